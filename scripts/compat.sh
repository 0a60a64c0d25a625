#!/usr/bin/env bash
# The compatibility matrix (issue 7), `npm run test:compat`: Node 20, 22 and 24 × OpenTelemetry JS SDK 2.x and 3.x.
#
# 1. Builds the package and packs it (`npm pack`): the fixtures consume the tarball, exactly as users do.
# 2. For each fixture under test/compat/<sdk2|sdk3>/ (its own package.json + package-lock.json), makes an
#    application directory under .cache/compat/: `npm ci` from the fixture's lockfile, then
#    `npm install <tarball>` (the output goes to install.log, which the test reads for peer warnings).
#    npm runs under the Node the fixture targets (SDK 3.x requires Node >= 22.15), so engine checks are real.
# 3. Runs build/test/compat/matrix.compat.js (node:test) and prints the summary lines.
# COMPAT_TARBALL=<file.tgz> tests that tarball instead of packing this checkout (e.g. a published version).
# COMPAT_BUILT=1 skips the two tsc builds (dist/, build/) when they are fresh, as right after `npm test` in CI.
# Node 22 and 24 come from scripts/node-binary.sh (cached in .cache/node, downloaded at most once per machine).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
work="$root/.cache/compat"
t0=$(date +%s)

node24="$(scripts/node-binary.sh 24.22.3)"
node22="$(scripts/node-binary.sh 22.23.5)"
node24_path="$(dirname "$node24"):$PATH"

rm -rf "$work"
mkdir -p "$work"

if [ "${COMPAT_BUILT:-}" != 1 ]; then
  npm run --silent build       # dist/, which npm pack ships
  npm run --silent build:test  # build/, the harness (test/compat/*.ts)
fi
if [ -n "${COMPAT_TARBALL:-}" ]; then
  tarball="$(cd "$(dirname "$COMPAT_TARBALL")" && pwd)/$(basename "$COMPAT_TARBALL")" # e.g. a published version
else
  tarball="$work/$(npm pack --ignore-scripts --pack-destination "$work" --json | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].filename))')"
fi

# Both applications install at once: npm mostly waits on the registry and the disk.
install_app() {
  local fixture="$1" npm_path="$2" app="$work/$1"
  mkdir -p "$app"
  cp "test/compat/$fixture/package.json" "test/compat/$fixture/package-lock.json" test/compat/app.cjs "$app/"
  echo "compat: $fixture: npm ci + npm install $(basename "$tarball") under node $(PATH="$npm_path" node --version)"
  (cd "$app" && PATH="$npm_path" npm ci --no-audit --no-fund --loglevel=error >ci.log 2>&1) || { cat "$app/ci.log"; return 1; }
  (cd "$app" && PATH="$npm_path" npm install --no-audit --no-fund "$tarball" >install.log 2>&1) || { cat "$app/install.log"; return 1; }
}
install_app sdk2 "$PATH" & sdk2_pid=$!
install_app sdk3 "$node24_path" & sdk3_pid=$! # SDK 3.x needs Node >= 22.15: npm checks engines against Node 24
wait "$sdk2_pid" || { echo "compat: sdk2: install FAILED" >&2; exit 1; }
wait "$sdk3_pid" || { echo "compat: sdk3: install FAILED" >&2; exit 1; }

echo "compat: running the matrix [$(( $(date +%s) - t0 ))s]"
status=0
COMPAT_WORKDIR="$work" COMPAT_NODE24="$node24" COMPAT_NODE22="$node22" \
  node --test --test-reporter=spec build/test/compat/matrix.compat.js || status=$?

echo
echo "compat matrix summary:"
sed 's/^/  /' "$work/summary.txt" 2>/dev/null || echo "  (no summary written)"
echo "  total $(( $(date +%s) - t0 ))s, exit $status"
exit "$status"
