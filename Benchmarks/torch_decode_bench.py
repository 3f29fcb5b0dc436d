#!/usr/bin/env python3
"""Peer benchmark for `asr bench decode`: greedy decoding time of the paper's decoder in PyTorch
(CPU, 1 thread) against input length, hard monotonic versus softmax attention.

As in Sources/Benchmarking/AttentionModelBenchmark.swift: a memory of ceil(frames/4) random encoder states (512),
frames/8 output steps (end of sequence ignored), decoder LSTM cell 256 fed [embedding 30; previous
context], attention d = 512, output layer on [state; context] over 49 classes; encoder excluded.
Hard monotonic attention scans forward from the previous stop one state at a time and stops at the
first energy >= 0 (zero context once it runs off the end); softmax attends over every state.

    python3 Benchmarks/torch_decode_bench.py [--json] [--repeats 3]
"""
import argparse
import json
import time

import torch
import torch.nn as nn

MEMORY, HIDDEN, DIM, EMBEDDING, CLASSES = 512, 256, 512, 30, 49


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(CLASSES + 1, EMBEDDING)
        self.cell = nn.LSTMCell(EMBEDDING + MEMORY, HIDDEN)
        self.query = nn.Linear(HIDDEN, DIM)
        self.key = nn.Linear(MEMORY, DIM, bias=False)
        self.v = nn.Parameter(torch.randn(DIM) / DIM ** 0.5)
        self.g = nn.Parameter(torch.tensor(1 / DIM ** 0.5))
        self.r = nn.Parameter(torch.tensor(-1.0))
        self.output = nn.Linear(HIDDEN + MEMORY, CLASSES)

    @torch.no_grad()
    def greedy(self, h, steps, attention):
        keys = self.key(h)                     # [T, D]
        T = h.shape[0]
        s = torch.zeros(1, HIDDEN)
        c = torch.zeros(1, HIDDEN)
        context = torch.zeros(1, MEMORY)
        label = torch.tensor([CLASSES])
        head, finished = 0, False
        v_hat = self.v / self.v.norm()
        for _ in range(steps):
            s, c = self.cell(torch.cat([self.embedding(label), context], 1), (s, c))
            q = self.query(s)[0]
            if attention == "softmax":
                weights = torch.softmax(torch.tanh(keys + q) @ self.v, 0)
                context = (weights @ h)[None]
            else:
                context = torch.zeros(1, MEMORY)
                while not finished:
                    if head >= T:
                        finished = True
                        break
                    e = self.g * (torch.tanh(keys[head] + q) @ v_hat) + self.r
                    if e.item() >= 0:
                        context = h[head][None]
                        break
                    head += 1
            label = self.output(torch.cat([s, context], 1)).argmax(1)
        return label


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    decoder = Decoder()
    cases = []
    for attention in ("monotonic", "softmax"):
        for frames in (250, 500, 1000, 2000, 4000):
            h = torch.rand((frames + 3) // 4, MEMORY) * 2 - 1
            best = float("inf")
            for n in range(args.repeats + 1):
                start = time.perf_counter()
                decoder.greedy(h, frames // 8, attention)
                if n > 0:
                    best = min(best, (time.perf_counter() - start) * 1000)
            cases.append(dict(attention=attention, frames=frames, ms=round(best, 2)))
            if not args.json:
                print(f"{attention:9} frames={frames:5}  {best:8.2f} ms", flush=True)
    if args.json:
        print(json.dumps({"cases": cases, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
