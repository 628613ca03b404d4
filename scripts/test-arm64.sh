#!/usr/bin/env bash
# Cross-builds the kernel library and its C++ tests for linux-arm64 and runs
# them under qemu-aarch64: every ISA the emulated CPU offers (scalar and NEON),
# then the forced scalar path. Needs Debian's g++-aarch64-linux-gnu and qemu-user.
#   bash scripts/test-arm64.sh [test-name-filter]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-arm64"
for tool in aarch64-linux-gnu-g++ qemu-aarch64; do
  command -v "$tool" >/dev/null || { echo "test-arm64: $tool not found (apt-get install g++-aarch64-linux-gnu qemu-user)" >&2; exit 2; }
done
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-aarch64-linux-gnu.cmake" >/dev/null
cmake --build "$build" --target dendrite_kernel_tests --parallel "$(nproc)"
export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu
echo "== arm64, every ISA =="
qemu-aarch64 "$build/dendrite_kernel_tests" "$@"
echo "== arm64, forced scalar =="
DENDRITE_FORCE_SCALAR=1 qemu-aarch64 "$build/dendrite_kernel_tests" "$@"
