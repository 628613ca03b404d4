"""W1 / W1t reference: numpy (its OpenBLAS) SGEMM throughput.

Usage: OPENBLAS_NUM_THREADS=1 python3 gemm_numpy.py
Prints one JSON line per shape, {"m", "n", "k", "op", "gflops"}: 2mnk over the
median of 7 timed batches, after 3 warm-up calls. A batch repeats the product
for about 50 ms, so small shapes are not timed below the clock's resolution.
The shapes and their order are those of bench/gemm.js (bench/README.md, W1).
"""
import json
import time

import numpy as np

SQUARE = [(n, n, n, 'NN') for n in (64, 128, 256, 512, 1024, 2048)]
OBLONG = [(1000, 1000, 1000, 'NN'), (4096, 64, 64, 'NN'), (64, 4096, 4096, 'NN'), (1, 784, 512, 'NN')]
TRANSPOSED = [(n, n, n, op) for n in (512, 1024) for op in ('TN', 'NT')]


def operands(m, n, k, op, rng):
    """op(A) is m×k and op(B) is k×n; a 'T' stores that operand transposed."""
    a = rng.uniform(-1, 1, (k, m) if op[0] == 'T' else (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, k) if op[1] == 'T' else (k, n)).astype(np.float32)
    return (a.T if op[0] == 'T' else a), (b.T if op[1] == 'T' else b)


def seconds_per_call(product):
    for _ in range(3):
        product()
    start = time.perf_counter()
    product()
    once = time.perf_counter() - start
    reps = max(1, int(0.05 / max(once, 1e-7)))
    batches = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(reps):
            product()
        batches.append((time.perf_counter() - start) / reps)
    return sorted(batches)[3]


def main():
    rng = np.random.default_rng(0)
    for m, n, k, op in SQUARE + OBLONG + TRANSPOSED:
        a, b = operands(m, n, k, op, rng)
        t = seconds_per_call(lambda: a @ b)
        print(json.dumps({'m': m, 'n': n, 'k': k, 'op': op, 'gflops': round(2 * m * n * k / t / 1e9, 2)}), flush=True)


if __name__ == '__main__':
    main()
