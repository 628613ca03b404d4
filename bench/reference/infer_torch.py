# Reference for W8: PyTorch CPU inference latency of W6's MLP and W7's CNN, eval mode, no_grad.
# Usage: python3 infer_torch.py THREADS REPS  -> JSON {"mlp": {"1": us, "64": us}, "cnn": {...}} (median microseconds per call)
import json, sys, time, torch, torch.nn as nn
THREADS, REPS = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(THREADS); torch.manual_seed(0)
models = {
    'mlp': nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10)),
    'cnn': nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10)),
}
out = {}
with torch.no_grad():
    for name, m in models.items():
        m.eval(); out[name] = {}
        for b in (1, 64):
            x = torch.rand(b, 1, 28, 28) * 2 - 1
            for _ in range(max(3, REPS // 10)): m(x)
            ts = []
            for _ in range(REPS):
                t = time.perf_counter(); m(x); ts.append(time.perf_counter() - t)
            ts.sort(); out[name][str(b)] = ts[len(ts) // 2] * 1e6
print(json.dumps(out))
