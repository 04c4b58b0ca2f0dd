#!/usr/bin/env bash
# Vendors the graph layout library of the docs page: installs
# @dagrejs/dagre from the npm registry into a temporary directory and copies
# its browser build (which bundles @dagrejs/graphlib) and both licences into
# docs/vendor/, recording what was vendored in docs/vendor/VERSION.
#
# Usage: docs/scripts/vendor.sh [version]   (default: the version below)
set -euo pipefail

version="${1:-3.1.3}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
vendor="$(cd "$here/.." && pwd)/vendor"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cd "$tmp"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts "@dagrejs/dagre@$version" >/dev/null

dagre="$tmp/node_modules/@dagrejs/dagre"
graphlib="$tmp/node_modules/@dagrejs/graphlib"
dagre_version="$(node -p "require('$dagre/package.json').version")"
graphlib_version="$(node -p "require('$graphlib/package.json').version")"

mkdir -p "$vendor"
# The page is opened offline: drop the source map reference so that no tool
# tries to load it.
grep -v '^//# sourceMappingURL=' "$dagre/dist/dagre.min.js" >"$vendor/dagre.min.js"
cp "$dagre/LICENSE" "$vendor/LICENSE.dagre"
cp "$graphlib/LICENSE" "$vendor/LICENSE.graphlib"
printf '@dagrejs/dagre@%s dist/dagre.min.js (bundles @dagrejs/graphlib@%s)\n' \
	"$dagre_version" "$graphlib_version" >"$vendor/VERSION"
echo "vendored @dagrejs/dagre@$dagre_version into $vendor"
