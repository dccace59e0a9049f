"""Where PyTorch's time goes in one epoch of the tutorial MLP on this machine, for docs/engine.md.

    /usr/bin/python3 bench/pytorch/mlp_threads.py [THREADS] [--profile]

One epoch of train_speed.py's Mlp (Embedding(5000, 32) -> Flatten -> Linear(16000, 250) -> ReLU -> Linear(250, 1)) with
Adam, batch 128, on 25,000 seeded random reviews of 500 ids (every position real, so no padding
shortcut applies), on THREADS intra-op threads (default 2). Run it with OPENBLAS_NUM_THREADS=1 or
OMP_NUM_THREADS=1 in the environment to see whether OpenBLAS's own threads and PyTorch's OpenMP
threads compete for the two cores. `--profile` prints the operators of ten steps instead. A
benchmark reference only, never a Polarity dependency.
"""

import sys
import time

import numpy as np
import torch
from torch import nn

from train_speed import Mlp, keras_init

REVIEWS, LENGTH, WORDS, DIMS, HIDDEN, BATCH = 25_000, 500, 5_000, 32, 250, 128


def main(threads, profile):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    rng = np.random.default_rng(1)
    reviews = 10 * BATCH if profile else REVIEWS
    ids = torch.from_numpy(rng.integers(1, WORDS, (reviews, LENGTH)).astype(np.int64))
    y = torch.from_numpy(rng.integers(0, 2, reviews).astype(np.float32))
    sizes = {"numWords": WORDS, "embeddingDim": DIMS, "maxLen": LENGTH, "hiddenUnits": HIDDEN}
    net = keras_init(Mlp(sizes, 1))  # the model bench:train times
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.BCEWithLogitsLoss()

    def step(rows):
        loss = loss_fn(net(ids[rows], None)[:, 0], y[rows])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    order = torch.randperm(reviews)
    batches = [order[b : b + BATCH] for b in range(0, reviews, BATCH)]
    if profile:
        step(batches[0])
        with torch.profiler.profile() as prof:
            for rows in batches:
                step(rows)
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=12))
        return
    started = time.perf_counter()
    for rows in batches:
        step(rows)
    print(f"threads {torch.get_num_threads()}: {time.perf_counter() - started:.1f} s per epoch")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--profile"]
    main(int(args[0]) if args else 2, "--profile" in sys.argv)
