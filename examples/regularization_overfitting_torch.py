#!/usr/bin/env python3
"""PyTorch twin of examples/regularization-overfitting.js (docs/experiments/1-overfitting.md,
"The same experiment in PyTorch"): the same wide MLP, data, recipe and variants, so that a reader
can tell whether an effect (or its absence) belongs to dendrite or to the method.

    python3 examples/regularization_overfitting_torch.py [--epochs 40] [--seeds 3] [--lr 0.02]

Needs torch and ../shared/data/fashion-mnist (or DENDRITE_SHARED). Seeds are PyTorch's own,
so individual runs differ from dendrite's; compare the means and the per-seed differences.
"""
import argparse
import gzip
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack('>' + 'I' * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def load(shared):
    d = os.path.join(shared, 'data', 'fashion-mnist')
    x = read_idx(os.path.join(d, 'train-images-idx3-ubyte.gz')).float().div(255).reshape(-1, 784)
    y = read_idx(os.path.join(d, 'train-labels-idx1-ubyte.gz')).long()
    tx = read_idx(os.path.join(d, 't10k-images-idx3-ubyte.gz')).float().div(255).reshape(-1, 784)
    ty = read_idx(os.path.join(d, 't10k-labels-idx1-ubyte.gz')).long()
    return (x[:1000], y[:1000]), (x[1000:2000], y[1000:2000]), (tx, ty)


def mlp(dropout):
    layers = []
    for fan_in in (784, 1024):
        lin = nn.Linear(fan_in, 1024)
        nn.init.kaiming_uniform_(lin.weight, nonlinearity='relu')  # dendrite's heUniform, zero bias
        nn.init.zeros_(lin.bias)
        layers += [lin, nn.ReLU()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(1024, 10))  # PyTorch's default, as dendrite's Linear default
    return nn.Sequential(*layers)


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x)
        loss = F.cross_entropy(logits, y).item()
        acc = (logits.argmax(1) == y).float().mean().item()
    model.train()
    return loss, acc


def run(variant, seed, data, args):
    torch.manual_seed(seed)
    (x, y), (vx, vy), (tx, ty) = data
    model = mlp(variant.get('dropout', 0))
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)
    l2 = variant.get('l2', 0)
    weights = [m.weight for m in model if isinstance(m, nn.Linear)]
    stop = variant.get('early_stopping')
    best, best_state, waited, epochs = None, None, 0, 0
    for epoch in range(args.epochs):
        order = torch.randperm(len(x))
        for i in range(0, len(x), 32):
            idx = order[i:i + 32]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            if l2 > 0:  # dendrite's l2(s): s·Σw² over the kernels, in the loss and its gradient
                loss = loss + l2 * sum((w * w).sum() for w in weights)
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        epochs = epoch + 1
        if stop:
            monitor, patience = stop
            vloss, vacc = evaluate(model, vx, vy)
            value = vloss if monitor == 'val_loss' else -vacc
            if best is None or value < best:
                best, waited = value, 0
                best_state = {k: v.clone() for k, v in model.state_dict().items()}
            else:
                waited += 1
                if waited >= patience:
                    break
    if stop:
        model.load_state_dict(best_state)
    _, train_acc = evaluate(model, x, y)
    test_loss, test_acc = evaluate(model, tx, ty)
    return train_acc, test_acc, test_loss, epochs


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--epochs', type=int, default=40)
    p.add_argument('--seeds', type=int, default=3)
    p.add_argument('--lr', type=float, default=0.02)
    args = p.parse_args()
    torch.set_num_threads(min(2, os.cpu_count() or 1))
    shared = os.environ.get('DENDRITE_SHARED', os.path.join(os.path.dirname(__file__), '..', '..', 'shared'))
    data = load(shared)
    variants = [
        ('baseline (no regularization)', {}),
        ('dropout 0.2 after each hidden layer', {'dropout': 0.2}),
        ('dropout 0.5 after each hidden layer', {'dropout': 0.5}),
        ('L2 penalty 1e-3 on the kernels', {'l2': 1e-3}),
        ('early stopping (val_loss, patience 5, restore best)', {'early_stopping': ('val_loss', 5)}),
        ('early stopping (val_accuracy, patience 30, restore best)', {'early_stopping': ('val_accuracy', 30)}),
    ]
    print(f'PyTorch {torch.__version__}, {torch.get_num_threads()} threads; MLP 784-1024-1024-10, SGD lr {args.lr} '
          f'momentum 0.9, cosine over {args.epochs} epochs, batch 32, seeds 0..{args.seeds - 1}')
    print('| variant | epochs run | train acc | test acc | Δ test acc | Δ per seed | test loss |')
    print('|---|---|---|---|---|---|---|')
    base = None
    for name, v in variants:
        runs = [run(v, s, data, args) for s in range(args.seeds)]
        tests = [r[1] for r in runs]
        if base is None:
            base = tests
        mean = lambda k: sum(r[k] for r in runs) / len(runs)
        delta = [100 * (t - b) for t, b in zip(tests, base)]
        print(f"| {name} | {'/'.join(str(r[3]) for r in runs)} | {100 * mean(0):.2f}% | {100 * mean(1):.2f}% | "
              f"{sum(delta) / len(delta):+.2f} pt | {' / '.join(f'{d:+.2f}' for d in delta)} | {mean(2):.4f} |", flush=True)


if __name__ == '__main__':
    main()
