# PyTorch twin of bench/scaling.js: python3 bench/reference/scaling_torch.py THREADS -> one JSON line
import json, sys, time, os, torch, torch.nn as nn, torch.nn.functional as F
t = int(sys.argv[1]); torch.set_num_threads(t)
def med(f, reps):
    for _ in range(2): f()
    ts = []
    for _ in range(reps):
        s = time.perf_counter(); f(); ts.append((time.perf_counter() - s) * 1e3)
    ts.sort(); return ts[reps // 2]
out = {'threads': t}
for n in (1024, 2048):
    a = torch.rand(n, n) - 0.5; b = torch.rand(n, n)
    ms = med(lambda: a @ b, 5 if n == 2048 else 9); out[f'gemm{n}_gflops'] = round(2 * n ** 3 / ms / 1e6, 1)
x = torch.rand(32, 64, 56, 56, requires_grad=True); w = torch.rand(64, 64, 3, 3, requires_grad=True); b = torch.rand(64, requires_grad=True)
out['w2c_ms'] = round(med(lambda: F.conv2d(x, w, b, padding=1).sum().backward(), 5), 1)
torch.manual_seed(0)
m = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))
opt = torch.optim.Adam(m.parameters(), lr=1e-3); xb = torch.rand(64, 1, 28, 28); yb = torch.randint(0, 10, (64,))
def step():
    opt.zero_grad(); F.cross_entropy(m(xb), yb).backward(); opt.step()
out['w7_step_ms'] = round(med(step, 15), 2)
print(json.dumps(out))
