"""W2-W5 reference: PyTorch on the CPU, milliseconds per forward + backward call.

Usage: python3 kernels_torch.py [THREADS]   (Debian: apt-get install python3-torch; /usr/bin/python3)
Prints one JSON object {workload: median ms}. Each workload is written as a
user writes it: fresh outputs, autograd on, the loss a sum (or the
cross-entropy) so that backward reaches every input.

PyTorch's best configuration is not its default. bench/kernels-conv.js and
bench/kernels-math.js run this script twice, as it is and with
    TORCH_NO_MKLDNN=1 OMP_WAIT_POLICY=PASSIVE
    GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736
and compare against the faster figure of each workload: oneDNN is slow on
one-channel convolutions, and glibc handing freed buffers back to the kernel
makes every large output pay its page faults again.
"""
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

# name: (batch, in channels, height = width, out channels, kernel, padding, stride)
CONVOLUTIONS = {
    'a': (64, 1, 28, 32, 3, 1, 1),
    'b': (64, 32, 14, 64, 3, 1, 1),
    'c': (32, 64, 56, 64, 3, 1, 1),
    'd': (32, 64, 56, 128, 1, 0, 2),
}


def median_ms(call, reps):
    for _ in range(2):
        call()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1e3)
    return sorted(times)[reps // 2]


def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    if os.environ.get('TORCH_NO_MKLDNN'):
        torch.backends.mkldnn.enabled = False
    figures = {}
    for name, (n, c, h, o, k, pad, stride) in CONVOLUTIONS.items():
        x = torch.rand(n, c, h, h, requires_grad=True)
        w = torch.rand(o, c, k, k, requires_grad=True)
        b = torch.rand(o, requires_grad=True)
        step = lambda: F.conv2d(x, w, b, stride=stride, padding=pad).sum().backward()
        figures['conv_' + name] = median_ms(step, 5 if name == 'c' else 9)
    x = torch.rand(64, 32, 28, 28, requires_grad=True)
    figures['maxpool'] = median_ms(lambda: F.max_pool2d(x, 2, 2).sum().backward(), 15)
    for rows, classes in ((1024, 10), (256, 10000)):
        z = torch.rand(rows, classes, requires_grad=True)
        y = torch.randint(0, classes, (rows,))
        figures[f'softmax_ce_{rows}x{classes}'] = median_ms(lambda: F.cross_entropy(z, y).backward(), 15)
    x = torch.rand(16777216, requires_grad=True)
    figures['dropout'] = median_ms(lambda: F.dropout(x, 0.5, True).sum().backward(), 7)
    print(json.dumps(figures))


if __name__ == '__main__':
    main()
