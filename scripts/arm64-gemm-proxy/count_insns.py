#!/usr/bin/env python3
# Instructions executed per function, from a qemu-aarch64 `-singlestep -d nochain,exec`
# log (one line per guest instruction) and the symbols of the PIE binary (nm).
import bisect
import collections
import re
import subprocess
import sys
log, binary = sys.argv[1], sys.argv[2]
syms = []
for line in subprocess.run(['aarch64-linux-gnu-nm', '-C', '--defined-only', binary], capture_output=True, text=True).stdout.splitlines():
    parts = line.split(' ', 2)
    if len(parts) == 3 and parts[1] in 'tTwW':
        syms.append((int(parts[0], 16), parts[2]))
syms.sort()
addrs = [a for a, _ in syms]
counts = collections.Counter()
pat = re.compile(r'Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/')
BASE = 0x5500000000  # where qemu-user loads a PIE executable
for line in open(log):
    m = pat.match(line)
    if not m: continue
    pc = int(m.group(1), 16) - BASE
    i = bisect.bisect_right(addrs, pc) - 1
    name = syms[i][1] if 0 <= i and pc < 0x10000000 else '(outside the binary: libc, loader)'
    counts[name] += 1
total = sum(counts.values())
gemm = sum(v for k, v in counts.items() if 'dendrite::gemm' in k or 'gemm_f32' in k)
print(f'total {total}, in dendrite::gemm {gemm}')
for k, v in counts.most_common(12): print(f'{v:>10}  {k[:110]}')
