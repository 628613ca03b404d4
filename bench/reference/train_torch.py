"""W6 / W7 reference: PyTorch training on Fashion-MNIST, the networks of bench/README.md.

Usage: python3 train_torch.py DATA_DIR mlp|cnn EPOCHS THREADS [SEED]
Prints one JSON object {"epoch_s": [seconds per epoch], "test_acc": accuracy}.
Run it with OMP_WAIT_POLICY=PASSIVE (bench/train.js does): otherwise PyTorch's
OpenMP threads spin against its BLAS threads on a small machine, and its best
configuration is the bar.
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


def read_idx(path):
    raw = gzip.open(path).read()
    dims = struct.unpack('>' + 'I' * raw[3], raw[4:4 + 4 * raw[3]])
    return torch.frombuffer(bytearray(raw[4 + 4 * raw[3]:]), dtype=torch.uint8).reshape(dims)


def split(data_dir, prefix):
    images = read_idx(os.path.join(data_dir, prefix + '-images-idx3-ubyte.gz')).float().div(255).unsqueeze(1)
    labels = read_idx(os.path.join(data_dir, prefix + '-labels-idx1-ubyte.gz')).long()
    return images, labels


def network(kind):
    """The model and its batch size (W6: the MLP, W7: the CNN)."""
    if kind == 'mlp':
        return nn.Sequential(
            nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(512, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10)), 128
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10)), 64


def main():
    data_dir, kind, epochs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    (x_train, y_train), (x_test, y_test) = split(data_dir, 'train'), split(data_dir, 't10k')
    model, batch = network(kind)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    epoch_s = []
    for _ in range(epochs):
        order = torch.randperm(len(y_train))
        model.train()
        start = time.perf_counter()
        for i in range(0, len(y_train), batch):
            rows = order[i:i + batch]
            optimizer.zero_grad()
            F.cross_entropy(model(x_train[rows]), y_train[rows]).backward()
            optimizer.step()
        epoch_s.append(time.perf_counter() - start)
    model.eval()
    with torch.no_grad():
        accuracy = (model(x_test).argmax(-1) == y_test).float().mean().item()
    print(json.dumps({'epoch_s': epoch_s, 'test_acc': accuracy}))


if __name__ == '__main__':
    main()
