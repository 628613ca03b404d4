# PyTorch twin of bench/depthwise.js: a depthwise 3x3 layer, 64 channels, 56x56, batch 32
# (F.conv2d(x, w, b, padding=1, groups=64)), forward with autograd recording and
# forward + .sum().backward(); median milliseconds over REPS runs after 2 warm-ups.
# Usage: python3 bench/reference/depthwise_torch.py THREADS REPS  -> one JSON line {"forward": ms, "forward_backward": ms}
# (Debian: apt-get install python3-torch; run with /usr/bin/python3.) TORCH_NO_MKLDNN=1 turns oneDNN off.
import json, os, sys, time
import torch
import torch.nn.functional as F

threads, reps = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads)
if os.environ.get('TORCH_NO_MKLDNN'):
    torch.backends.mkldnn.enabled = False
torch.manual_seed(0)
N, C, H = 32, 64, 56
x = (torch.rand(N, C, H, H) * 2 - 1).requires_grad_()
w = (torch.rand(C, 1, 3, 3) * 2 - 1).requires_grad_()
b = (torch.rand(C) * 2 - 1).requires_grad_()


def med(fn):
    for _ in range(2):
        fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t) * 1e3)
    ts.sort()
    return ts[len(ts) // 2]


out = {
    'forward': med(lambda: F.conv2d(x, w, b, padding=1, groups=C)),
    'forward_backward': med(lambda: F.conv2d(x, w, b, padding=1, groups=C).sum().backward()),
}
print(json.dumps(out))
