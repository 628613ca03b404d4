#!/usr/bin/env python3
"""PyTorch twin of bench/best-model.js: the same network (dd.models.fashionBnCnn),
augmentation (2-pixel random shifts with zero fill, horizontal flips with p 0.5),
Adam with a per-epoch cosine schedule, batch size and full Fashion-MNIST data.

Usage: OMP_WAIT_POLICY=PASSIVE python3 best_model_torch.py DATA_DIR EPOCHS THREADS SEED BATCH LR
Prints per-epoch lines on stderr and one JSON line {"test_acc", "seconds"} on stdout.
Without OMP_WAIT_POLICY=PASSIVE PyTorch's OpenMP threads spin against each other on a
2-core machine; passive is its best configuration here.
"""
import gzip
import json
import os
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

DATA, EPOCHS, THREADS, SEED, BATCH, LR = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
torch.set_num_threads(THREADS)
torch.manual_seed(SEED)


def idx(name):
    raw = gzip.open(os.path.join(DATA, name)).read()
    nd = raw[3]
    dims = struct.unpack('>' + 'I' * nd, raw[4:4 + 4 * nd])
    return torch.frombuffer(bytearray(raw[4 + 4 * nd:]), dtype=torch.uint8).reshape(dims)


def load(prefix):
    return idx(prefix + '-images-idx3-ubyte.gz').float().div(255).unsqueeze(1), idx(prefix + '-labels-idx1-ubyte.gz').long()


def conv_bn_relu(i, o):
    return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU()]


def build():
    model = nn.Sequential(
        *conv_bn_relu(1, 32), *conv_bn_relu(32, 32), nn.MaxPool2d(2),
        *conv_bn_relu(32, 64), *conv_bn_relu(64, 64), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64 * 7 * 7, 256, bias=False), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(256, 10),
    )
    # He-uniform weights for every layer but the output one, as the dendrite model starts them.
    for m in list(model.modules())[:-1]:
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_uniform_(m.weight, nonlinearity='relu')
    return model


def augment(x):
    """Shift each image by up to 2 pixels (zero fill) and flip half of them left-right."""
    n = x.shape[0]
    padded = F.pad(x, (2, 2, 2, 2))
    dy = torch.randint(0, 5, (n,))
    dx = torch.randint(0, 5, (n,))
    out = torch.stack([padded[i, :, dy[i]:dy[i] + 28, dx[i]:dx[i] + 28] for i in range(n)])
    flip = torch.rand(n) < 0.5
    out[flip] = out[flip].flip(-1)
    return out


(xtr, ytr), (xte, yte) = load('train'), load('t10k')
model = build()
opt = torch.optim.Adam(model.parameters(), lr=LR)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
t0 = time.perf_counter()
for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(ytr))
    for i in range(0, len(ytr), BATCH):
        j = perm[i:i + BATCH]
        opt.zero_grad()
        loss = F.cross_entropy(model(augment(xtr[j])), ytr[j])
        loss.backward()
        opt.step()
    sched.step()
    model.eval()
    with torch.no_grad():
        acc = sum((model(xte[k:k + 1000]).argmax(-1) == yte[k:k + 1000]).sum().item() for k in range(0, len(yte), 1000)) / len(yte)
    print(f'  torch seed {SEED} epoch {epoch + 1}: loss {loss.item():.4f}, test acc {100 * acc:.2f}% ({time.perf_counter() - t0:.0f} s)', file=sys.stderr, flush=True)
print(json.dumps({'test_acc': acc, 'seconds': time.perf_counter() - t0}))
