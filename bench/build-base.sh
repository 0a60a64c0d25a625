#!/usr/bin/env bash
# Builds the package at another git revision into .cache/bench-base/<sha>/ (a copy made with git archive, its
# own npm ci, npm run build) and prints the dist folder, for `npm run bench -- --base <that folder>`: the
# benchmark then runs that build beside this checkout's, in the same run.
#   bench/build-base.sh [rev]   (default: the commit where this branch left main: git merge-base HEAD main)
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:-$(git merge-base HEAD main)}"
sha="$(git rev-parse --verify "$rev^{commit}")"
dir=".cache/bench-base/$sha"
if [ ! -f "$dir/dist/index.js" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  git archive "$sha" | tar -x -C "$dir"
  (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts >&2 && npm run --silent build >&2)
fi
echo "$(pwd)/$dir/dist"
