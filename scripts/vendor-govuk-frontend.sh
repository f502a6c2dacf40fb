#!/usr/bin/env bash
# Refreshes static/govuk/ from the npm package govuk-frontend at the version given
# (5.8.0 is the newest that crispy-forms-gds 2.0.1 supports). Needs npm; the result
# is committed, so neither `make run` nor `make test` needs Node.js.
set -euo pipefail
version="${1:?usage: $0 VERSION}"
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "govuk-frontend@$version" >/dev/null && tar xzf ./*.tgz)
dist="$work/package/dist/govuk"
rm -rf static/govuk
mkdir -p static/govuk
cp -r "$dist/assets" static/govuk/assets
# The source maps too: collectstatic's manifest storage follows the files' references.
cp "$dist/govuk-frontend.min.js" "$dist/govuk-frontend.min.js.map" "$dist/govuk-frontend.min.css.map" static/govuk/
# The precompiled stylesheet asks for /assets/...; serve them from beside it instead.
sed 's#url(/assets/#url(assets/#g' "$dist/govuk-frontend.min.css" > static/govuk/govuk-frontend.min.css
cat > static/govuk/VERSION <<NOTE
govuk-frontend $version, precompiled files from the npm package (scripts/vendor-govuk-frontend.sh).
Code: MIT licence. Fonts and images: Crown copyright; GDS Transport is for GOV.UK services.
NOTE
echo "static/govuk now holds govuk-frontend $version"
