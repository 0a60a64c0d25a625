#!/usr/bin/env bash
# Builds the test collector (collector/: a small Go main with the upstream components ADOT ships) into
# .cache/otelcol/otelcol-ecs, `npm run collector:build`. Test tooling: never part of the npm package.
#
# A no-op when the binary is there and its sources did not change: the stamp file beside it holds a SHA-256
# of collector/go.mod, go.sum, main.go, this script and `go version`. Go's own module and build caches stay
# in their default places under $HOME (~/go/pkg/mod, ~/.cache/go-build), which outlive a fresh clone, so a
# second build on the same machine only relinks.
#
# Env: GOFLAGS defaults to -buildvcs=false (a CI clone or a git worktree need not stamp VCS data), and
#      GOTOOLCHAIN to local (go.mod asks for go 1.26.0; the machine's 1.26.x is enough).
set -euo pipefail
cd "$(dirname "$0")/.."

export GOFLAGS="${GOFLAGS:--buildvcs=false}"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"

out=.cache/otelcol/otelcol-ecs
stamp="$out.stamp"

if ! command -v go >/dev/null; then
  echo "collector-build: no go on PATH; install Go 1.26 or later (https://go.dev/doc/install)" >&2
  exit 2
fi

hash="$( { cat collector/go.mod collector/go.sum collector/main.go "$0"; go version; } | sha256sum | cut -d' ' -f1)"
if [ -x "$out" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  echo "collector-build: $out is up to date ($(go version | cut -d' ' -f3), sources unchanged)"
  exit 0
fi

mkdir -p "$(dirname "$out")"
t0=$(date +%s)
echo "collector-build: building $out with $(go version | cut -d' ' -f3) (a cold build takes minutes on 2 cores)"
# -mod=readonly: go.sum is committed and never rewritten by a build.
(cd collector && go build -mod=readonly -trimpath -ldflags='-s -w' -o "../$out.tmp" .)
mv "$out.tmp" "$out"
echo "$hash" > "$stamp"
echo "collector-build: built $out in $(( $(date +%s) - t0 )) s"
"$out" --version
