"""One training epoch of a Polarity network rebuilt in PyTorch, for bench/train-speed.ts.

    python3 bench/pytorch/train_speed.py DIR

DIR holds what the Node side wrote: ids.bin (int32, reviews x maxLen, padded by Polarity's own
encoder, so tokenization and vocabulary are identical), labels.bin (int32 label indices) and
config.json (the model name and its hyper-parameters as Polarity resolved them, flushDenormal:
whether subnormal floats are flushed to zero, and optionally batches: train only that many of the
epoch's batches and project the epoch's time from them). Prints one JSON line: seconds for the
epoch (shuffling and batch assembly included; projected when batches is set), reviews per second,
and the mean loss and accuracy of the batches run. PyTorch is a benchmark reference only, never a Polarity dependency.
"""

import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class Mlp(nn.Module):
    """Embedding -> Flatten -> Dense(hidden, relu) -> output, as src/models/neural/mlp.ts."""

    def __init__(self, p, outputs):
        super().__init__()
        self.embedding = nn.Embedding(p["numWords"], p["embeddingDim"])
        self.hidden = nn.Linear(p["maxLen"] * p["embeddingDim"], p["hiddenUnits"])
        self.output = nn.Linear(p["hiddenUnits"], outputs)

    def forward(self, ids, lengths):
        x = self.embedding(ids).flatten(1)
        return self.output(torch.relu(self.hidden(x)))


class Cnn(nn.Module):
    """Embedding -> Conv1D(same, relu) -> MaxPool -> Flatten -> Dense -> output, as cnn.ts."""

    def __init__(self, p, outputs):
        super().__init__()
        width = p["kernelSize"]
        self.embedding = nn.Embedding(p["numWords"], p["embeddingDim"])
        self.conv = nn.Conv1d(p["embeddingDim"], p["filters"], width, padding="same")
        self.pool = nn.MaxPool1d(p["poolSize"])
        pooled = p["maxLen"] // p["poolSize"]
        self.hidden = nn.Linear(pooled * p["filters"], p["hiddenUnits"])
        self.output = nn.Linear(p["hiddenUnits"], outputs)

    def forward(self, ids, lengths):
        x = self.embedding(ids).transpose(1, 2)
        x = self.pool(torch.relu(self.conv(x))).transpose(1, 2).flatten(1)
        return self.output(torch.relu(self.hidden(x)))


class CnnGlobal(nn.Module):
    """Parallel Conv1D per width -> global max -> concat -> Dense -> Dropout -> output, as cnn-global.ts."""

    def __init__(self, p, outputs):
        super().__init__()
        self.embedding = nn.Embedding(p["numWords"], p["embeddingDim"])
        self.convs = nn.ModuleList(nn.Conv1d(p["embeddingDim"], p["filters"], w) for w in p["filterSizes"])
        self.hidden = nn.Linear(p["filters"] * len(p["filterSizes"]), p["hiddenUnits"])
        self.dropout = nn.Dropout(p["dropout"])
        self.output = nn.Linear(p["hiddenUnits"], outputs)

    def forward(self, ids, lengths):
        x = self.embedding(ids).transpose(1, 2)
        pooled = [torch.relu(conv(x)).amax(2) for conv in self.convs]
        return self.output(self.dropout(torch.relu(self.hidden(torch.cat(pooled, 1)))))


class Recurrent(nn.Module):
    """Embedding (padding id 0) -> LSTM / BiLSTM / GRU over the real tokens only (packed) -> pooling -> Dropout -> output."""

    def __init__(self, kind, p, outputs):
        super().__init__()
        self.pooling = p["pooling"]
        self.embedding = nn.Embedding(p["numWords"], p["embeddingDim"], padding_idx=0)
        cell = nn.GRU if kind == "gru" else nn.LSTM
        both = kind == "bilstm"
        self.rnn = cell(p["embeddingDim"], p["units"], batch_first=True, bidirectional=both)
        self.dropout = nn.Dropout(p["dropout"])
        self.output = nn.Linear(p["units"] * (2 if both else 1), outputs)

    def forward(self, ids, lengths):
        packed = pack_padded_sequence(self.embedding(ids), lengths, batch_first=True, enforce_sorted=False)
        states, last = self.rnn(packed)
        if self.pooling == "max":
            padded, _ = pad_packed_sequence(states, batch_first=True, padding_value=float("-inf"))
            features = padded.amax(1)
        else:
            h = last[0] if isinstance(last, tuple) else last
            features = torch.cat(list(h), 1) if h.shape[0] > 1 else h[0]
        return self.output(self.dropout(features))


def keras_init(net):
    """Keras's (and Polarity's) initialisers: embedding uniform in +-0.05, Glorot-uniform kernels, zero biases."""
    for module in net.modules():
        if isinstance(module, nn.Embedding):
            nn.init.uniform_(module.weight, -0.05, 0.05)
        elif isinstance(module, (nn.Linear, nn.Conv1d)):
            nn.init.xavier_uniform_(module.weight)
            nn.init.zeros_(module.bias)
    return net


def build(model, p, outputs):
    if model == "mlp":
        return keras_init(Mlp(p, outputs))
    if model == "cnn":
        return keras_init(Cnn(p, outputs))
    if model == "cnn-global":
        return keras_init(CnnGlobal(p, outputs))
    return keras_init(Recurrent(model, p, outputs))


def left_aligned(ids):
    """Moves each row's real ids (non-zero) to the front, for packing; Polarity pads before by default."""
    lengths = (ids != 0).sum(1)
    first = np.argmax(ids != 0, axis=1) * (lengths > 0)
    cols = (np.arange(ids.shape[1])[None, :] + first[:, None]) % ids.shape[1]
    return np.take_along_axis(ids, cols, 1) * (np.arange(ids.shape[1])[None, :] < lengths[:, None]), lengths


def main(folder):
    config = json.load(open(os.path.join(folder, "config.json")))
    p, model_name, labels = config["hyperParameters"], config["model"], config["labels"]
    torch.set_num_threads(config.get("threads", 2))
    # x86 slows down on subnormal floats; flushing them to zero (FTZ/DAZ) is PyTorch's fast setting,
    # off by default. WebAssembly has no such mode, which is why Polarity's kernels flush by hand.
    flush = bool(config.get("flushDenormal", False))
    torch.set_flush_denormal(flush)
    torch.manual_seed(config.get("seed", 1))
    labels_np = np.fromfile(os.path.join(folder, "labels.bin"), dtype=np.int32)
    ids_np = np.fromfile(os.path.join(folder, "ids.bin"), dtype=np.int32).reshape(len(labels_np), -1)
    recurrent = model_name in ("lstm", "bilstm", "gru")
    if recurrent:
        ids_np, lengths_np = left_aligned(ids_np)
    else:
        lengths_np = np.full(len(labels_np), ids_np.shape[1])
    ids = torch.from_numpy(ids_np.astype(np.int64))
    lengths = torch.from_numpy(np.maximum(lengths_np, 1).astype(np.int64))
    y = torch.from_numpy(labels_np.astype(np.int64))

    outputs = 1 if labels <= 2 else labels
    net = build(model_name, p, outputs)
    batch = p["batchSize"]
    steps = (len(y) + batch - 1) // batch
    # The batches are drawn at random, so the first `run` of them cost what any `run` of them do.
    run = min(steps, config.get("batches") or steps)
    optimizer = torch.optim.Adam(net.parameters(), lr=p["learningRate"], eps=1e-7)
    linear = p.get("learningRateSchedule") == "linear"
    total = steps * p.get("epochs", 1)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: max(0.0, 1 - s / total) if linear else 1.0)
    loss_fn = nn.BCEWithLogitsLoss() if outputs == 1 else nn.CrossEntropyLoss()

    net.train()
    started = time.perf_counter()
    order = torch.randperm(len(y))
    loss_sum, correct, seen = 0.0, 0, 0
    for b in range(run):
        rows = order[b * batch : (b + 1) * batch]
        logits = net(ids[rows], lengths[rows])
        target = y[rows]
        if outputs == 1:
            logits = logits[:, 0]
            loss = loss_fn(logits, target.float())
            predicted = (logits > 0).long()
        else:
            loss = loss_fn(logits, target)
            predicted = logits.argmax(1)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        loss_sum += loss.item() * len(rows)
        correct += int((predicted == target).sum())
        seen += len(rows)
    measured = time.perf_counter() - started
    seconds = measured * steps / run
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
                "flushDenormal": flush,
                "seconds": seconds,
                "batches": run,
                "steps": steps,
                "measuredSeconds": measured,
                "reviewsPerSecond": len(y) / seconds,
                "loss": loss_sum / seen,
                "accuracy": correct / seen,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
