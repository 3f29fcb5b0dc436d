#!/usr/bin/env python3
"""Peer benchmark for `asr bench train`: one training step (forward, backward, Adam update) of the
same encoder-decoder in PyTorch on the CPU.

Model (as in Sources/Models/Attention): encoder of stacked unidirectional LSTMs dropping every other frame
after layers 1 and 2; decoder LSTM cell fed [embedding of the previous label; previous context];
output layer on [state; new context] over 48 phones + end of sequence; attention either Bahdanau
softmax or monotonic (energy g * v/|v| . tanh(W s + V h + b) + r, noise N(0, 1) before the sigmoid,
expected alignment by the exact log-space form of Raffel et al. 2017, App. C). Cross-entropy, global
norm clip 2, Adam.

    python3 Benchmarks/torch_train_bench.py [--json] [--steps 5]

Prints {"cases": [{"config", "attention", "threads", "ms_per_step"}]} with --json (best of --steps).
"""
import argparse
import json
import time

import torch
import torch.nn as nn

CONFIGS = {
    "paper": dict(encoder_layers=3, encoder_hidden=512, decoder_hidden=256, attention_dim=512),
    "small": dict(encoder_layers=3, encoder_hidden=128, decoder_hidden=128, attention_dim=128),
}
BATCH, FRAMES, LABELS, FEATURES, PHONES, EMBEDDING = 8, 300, 40, 123, 48, 30


class Model(nn.Module):
    def __init__(self, encoder_layers, encoder_hidden, decoder_hidden, attention_dim, attention):
        super().__init__()
        self.attention = attention
        self.encoder = nn.ModuleList(
            nn.LSTM(FEATURES if k == 0 else encoder_hidden, encoder_hidden, batch_first=True)
            for k in range(encoder_layers))
        self.subsample_after = {0, 1}
        self.embedding = nn.Embedding(PHONES + 2, EMBEDDING)
        self.cell = nn.LSTMCell(EMBEDDING + encoder_hidden, decoder_hidden)
        self.query = nn.Linear(decoder_hidden, attention_dim)           # W s + b
        self.key = nn.Linear(encoder_hidden, attention_dim, bias=False)  # V h
        self.v = nn.Parameter(torch.randn(attention_dim) / attention_dim ** 0.5)
        self.g = nn.Parameter(torch.tensor(1 / attention_dim ** 0.5))
        self.r = nn.Parameter(torch.tensor(-1.0))
        self.output = nn.Linear(decoder_hidden + encoder_hidden, PHONES + 1)

    def forward(self, x, previous_labels):
        h = x
        for k, layer in enumerate(self.encoder):
            h, _ = layer(h)
            if k in self.subsample_after:
                h = h[:, ::2]
        B, T, M = h.shape
        keys = self.key(h)
        embedded = self.embedding(previous_labels)
        s = torch.zeros(B, self.cell.hidden_size)
        c = torch.zeros(B, self.cell.hidden_size)
        context = torch.zeros(B, M)
        alpha = torch.zeros(B, T)
        alpha[:, 0] = 1
        outputs = []
        for i in range(previous_labels.shape[1]):
            s, c = self.cell(torch.cat([embedded[:, i], context], 1), (s, c))
            t = torch.tanh(keys + self.query(s)[:, None, :])
            if self.attention == "softmax":
                weights = torch.softmax(t @ self.v, 1)
            else:
                e = self.g * (t @ (self.v / self.v.norm())) + self.r
                p = torch.sigmoid(e + torch.randn_like(e))
                log_skip = torch.log(torch.clamp(1 - p, min=1e-10))
                exclusive = torch.cumsum(log_skip, 1) - log_skip
                weights = p * torch.exp(exclusive + torch.logcumsumexp(
                    torch.log(torch.clamp(alpha, min=1e-30)) - exclusive, 1))
                alpha = weights
            context = torch.bmm(weights[:, None, :], h)[:, 0]
            outputs.append(torch.cat([s, context], 1))
        return self.output(torch.stack(outputs, 1))


def time_step(config, attention, threads, steps):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = Model(**CONFIGS[config], attention=attention)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-6)
    x = torch.randn(BATCH, FRAMES, FEATURES)
    labels = torch.randint(0, PHONES, (BATCH, LABELS))
    targets = torch.cat([labels, torch.full((BATCH, 1), PHONES)], 1)
    previous = torch.cat([torch.full((BATCH, 1), PHONES + 1), labels], 1)
    best = float("inf")
    for n in range(steps + 1):
        start = time.perf_counter()
        optimizer.zero_grad()
        logits = model(x, previous)
        loss = nn.functional.cross_entropy(logits.reshape(-1, PHONES + 1), targets.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 2.0)
        optimizer.step()
        elapsed = (time.perf_counter() - start) * 1000
        if n > 0:  # the first step warms up
            best = min(best, elapsed)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--steps", type=int, default=5)
    args = parser.parse_args()
    cases = []
    for config in ("paper", "small"):
        for attention in ("monotonic", "softmax"):
            for threads in (1, 2):
                ms = time_step(config, attention, threads, args.steps)
                cases.append(dict(config=config, attention=attention, threads=threads, ms_per_step=round(ms, 2)))
                if not args.json:
                    print(f"{config:6} {attention:9} threads={threads}  {ms:8.1f} ms/step", flush=True)
    if args.json:
        print(json.dumps({"cases": cases, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
