#!/usr/bin/env bash
# Prints the path of a Python 3.12 or newer (.python-version asks pyenv for 3.12).
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v pyenv >/dev/null; then
  pyenv install --skip-existing "$(cat .python-version)" >/dev/null 2>&1 || true
fi
for candidate in python3.12 python3.13 python3.14 python3 python; do
  if command -v "$candidate" >/dev/null &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    "$candidate" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
echo "Python 3.12 or newer is needed (pyenv install 3.12)." >&2
exit 1
