#!/usr/bin/env bash
# A speed proxy for the arm64 GEMM where no arm64 machine is at hand: the
# instructions one gemm_f32 call executes per flop under qemu-aarch64, NEON
# against the scalar path. (Real figures on arm64: DENDRITE_ISA=neon node bench/gemm.js.)
#   bash scripts/test-arm64.sh gemm                 # builds build-arm64/libdendrite_kernels.a
#   bash scripts/arm64-gemm-proxy/proxy.sh M N K
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
aarch64-linux-gnu-g++ -std=c++17 -O2 -I"$root/native/kernels" "$here/gemm_count.cc" \
  "$root/build-arm64/libdendrite_kernels.a" -lpthread -o "$work/gemm_count"
export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu
for isa in neon scalar; do
  mkfifo "$work/log"
  python3 "$here/count_insns.py" "$work/log" "$work/gemm_count" > "$work/count_$isa.txt" &
  qemu-aarch64 -singlestep -d nochain,exec -D "$work/log" "$work/gemm_count" "$isa" "$@" > /dev/null
  wait
  rm -f "$work/log"
  gemm=$(head -1 "$work/count_$isa.txt" | sed 's/.*in dendrite::gemm //')
  python3 -c "import sys; m,n,k=map(int,sys.argv[1:4]); g=int(sys.argv[4]); print(f'{sys.argv[5]:>6} {m}x{n}x{k}: {g} instructions in dendrite::gemm, {g/(2*m*n*k):.3f} per flop')" "$@" "$gemm" "$isa"
done
