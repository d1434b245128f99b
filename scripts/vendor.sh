#!/usr/bin/env bash
# Refresh the vendored front-end files under core/static/vendor/.
#
# Downloads exact, pinned package versions from the npm registry with
# `npm pack` into a throw-away temp dir (never `npm install` in the repo),
# extracts them with tar and copies only the files we serve.
#
# Usage:  scripts/vendor.sh            (from anywhere; paths are repo-relative)
# Needs:  bash, npm, tar, sha256sum
set -euo pipefail

HTMX_VERSION="2.0.10"
BOOTSTRAP_VERSION="5.3.8"
ECHARTS_VERSION="6.1.0"
# echarts 5+ no longer ships map data; the China GeoJSON comes from 4.9.0.
ECHARTS_MAPS_VERSION="4.9.0"
# Search-as-you-type pickers over the scoped JSON endpoints (core/pickers.py).
TOMSELECT_VERSION="2.6.2"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$REPO_ROOT/core/static/vendor"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/qingling-vendor.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# fetch <name> <version>: npm pack + extract into $WORK/<name>@<version>/package
fetch() {
    local name="$1" version="$2" tgz
    echo ">> npm pack ${name}@${version}"
    tgz="$(cd "$WORK" && npm pack --silent "${name}@${version}" 2>/dev/null | tail -n 1)"
    mkdir -p "$WORK/${name}@${version}"
    tar -xzf "$WORK/$tgz" -C "$WORK/${name}@${version}"
    # sanity check: the tarball really is the version we asked for
    local got
    got="$(node -p "require('$WORK/${name}@${version}/package/package.json').version")"
    if [[ "$got" != "$version" ]]; then
        echo "!! ${name}: expected ${version}, got ${got}" >&2
        exit 1
    fi
}

# put <name@version> <path-in-package> <dest-path-relative-to-$DEST>
put() {
    local pkg="$1" src="$2" dst="$3"
    mkdir -p "$(dirname "$DEST/$dst")"
    cp "$WORK/$pkg/package/$src" "$DEST/$dst"
    echo "   $pkg:$src -> core/static/vendor/$dst"
}

fetch htmx.org  "$HTMX_VERSION"
fetch bootstrap "$BOOTSTRAP_VERSION"
fetch echarts   "$ECHARTS_VERSION"
fetch echarts   "$ECHARTS_MAPS_VERSION"
fetch tom-select "$TOMSELECT_VERSION"

H="htmx.org@$HTMX_VERSION"
B="bootstrap@$BOOTSTRAP_VERSION"
E="echarts@$ECHARTS_VERSION"
M="echarts@$ECHARTS_MAPS_VERSION"
T="tom-select@$TOMSELECT_VERSION"

put "$H" dist/htmx.min.js                    htmx/htmx.min.js
put "$B" dist/css/bootstrap.min.css          bootstrap/css/bootstrap.min.css
put "$B" dist/css/bootstrap.min.css.map      bootstrap/css/bootstrap.min.css.map
put "$B" dist/js/bootstrap.bundle.min.js     bootstrap/js/bootstrap.bundle.min.js
put "$B" dist/js/bootstrap.bundle.min.js.map bootstrap/js/bootstrap.bundle.min.js.map
put "$E" dist/echarts.min.js                 echarts/echarts.min.js
put "$M" map/json/china.json                 maps/china.json
put "$M" map/json/province/tianjin.json      maps/province/tianjin.json
put "$M" map/json/province/hubei.json        maps/province/hubei.json
put "$T" dist/js/tom-select.complete.min.js  tom-select/tom-select.complete.min.js
put "$T" dist/css/tom-select.bootstrap5.min.css tom-select/tom-select.bootstrap5.min.css
put "$T" dist/js/tom-select.complete.min.js.map  tom-select/tom-select.complete.min.js.map
put "$T" dist/css/tom-select.bootstrap5.min.css.map tom-select/tom-select.bootstrap5.min.css.map

echo ">> licences (package.json \"license\")"
for pkg in "$H" "$B" "$E" "$M" "$T"; do
    printf '   %-18s %s\n' "$pkg" \
        "$(node -p "require('$WORK/$pkg/package/package.json').license")"
done

echo ">> sha256 of vendored files"
(cd "$DEST" && find . -type f ! -name README.md | LC_ALL=C sort | xargs sha256sum)
