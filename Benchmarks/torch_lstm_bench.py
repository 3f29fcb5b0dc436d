#!/usr/bin/env python3
"""PyTorch peer of `asr bench lstm`: forward + backward time per step of the same LSTM shapes.

Usage: python3 Benchmarks/torch_lstm_bench.py [--threads 1,2] [--repeats 5] [--json]
Cases: encoder-3x512 (3 layers of 512, 123 inputs, batch 8, 300 frames) and small-2x128.
Each step: forward over the batch, backward of sum(output * g) with a fixed random g; the input
needs no gradient (as in `asr bench lstm`). Reports the best wall and process CPU time of
--repeats runs after one warm-up.
"""
import argparse
import json
import time

import torch

CASES = [("encoder-3x512", 123, 512, 3, 8, 300), ("small-2x128", 123, 128, 2, 8, 300)]


def measure(inputs, hidden, layers, batch, frames, threads, repeats):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    lstm = torch.nn.LSTM(inputs, hidden, num_layers=layers, batch_first=True)
    x = torch.randn(batch, frames, inputs)
    g = torch.rand(batch, frames, hidden) * 2 - 1
    best, best_cpu = float("inf"), float("inf")
    for run in range(repeats + 1):
        start, cpu_start = time.perf_counter(), time.process_time()
        lstm.zero_grad(set_to_none=True)
        y, _ = lstm(x)
        y.backward(g)
        ms = (time.perf_counter() - start) * 1000
        cpu_ms = (time.process_time() - cpu_start) * 1000
        if run > 0:
            best, best_cpu = min(best, ms), min(best_cpu, cpu_ms)
    return best, best_cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    for name, inputs, hidden, layers, batch, frames in CASES:
        for n in [int(t) for t in args.threads.split(",")]:
            ms, cpu_ms = measure(inputs, hidden, layers, batch, frames, n, args.repeats)
            rows.append({"name": name, "threads": n, "ms_per_step": round(ms, 2), "cpu_ms_per_step": round(cpu_ms, 2)})
            if not args.json:
                print(f"{name}  threads={n}  {ms:.1f} ms/step  (cpu {cpu_ms:.1f} ms)")
    if args.json:
        print(json.dumps({"cases": rows, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
