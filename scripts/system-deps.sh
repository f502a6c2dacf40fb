#!/usr/bin/env bash
# Installs the system packages the portal needs, if any are missing (Debian/Ubuntu).
#   scripts/system-deps.sh run    WeasyPrint's libraries, and what psycopg2 builds with
#   scripts/system-deps.sh test   the same, Debian's Chromium for the browser tests,
#                                 poppler's pdftotext for reading a PDF page as cropped, and
#                                 Redis for the tests of the shared cache and sessions
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libpq-dev gcc)
case "${1:-run}" in
  run) ;;
  test) packages+=(chromium fonts-liberation poppler-utils redis-server) ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "Missing system packages: ${missing[*]}. Install them with your package manager." >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
