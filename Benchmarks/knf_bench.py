#!/usr/bin/env python3
"""Peer benchmark for `asr bench features`: kaldi-native-fbank on the same audio and options.

Reads raw little-endian float32 samples (int16 units) written by `asr bench features --peer`, or
synthesises white noise of --seconds when --input is absent; times OnlineFbank (accept the whole
waveform, input_finished, copy every frame out) on each utterance of --utterance-seconds, single-threaded: one warm-up, then --repeat runs.
Prints one JSON object with realtime_factor = audio seconds / best wall seconds.

    pip install kaldi-native-fbank numpy
    python3 Benchmarks/knf_bench.py --seconds 600 --num-mel-bins 80
"""
import argparse
import json
import time

import kaldi_native_fbank as knf
import numpy as np


def boolean(text):
    return text.lower() in ("1", "true", "yes")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--input")
    p.add_argument("--seconds", type=float, default=600)
    p.add_argument("--rate", type=float, default=16000)
    p.add_argument("--num-mel-bins", type=int, default=80)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--utterance-seconds", type=float, default=3)
    p.add_argument("--snip-edges", type=boolean, default=True)
    p.add_argument("--window-type", default="povey")
    p.add_argument("--use-energy", type=boolean, default=False)
    p.add_argument("--high-freq", type=float, default=0)
    a = p.parse_args()
    if a.input:
        samples = np.fromfile(a.input, dtype="<f4")
    else:
        samples = (np.random.default_rng(1).standard_normal(int(a.seconds * a.rate)) * 1000).astype(np.float32)
    opts = knf.FbankOptions()
    opts.frame_opts.dither = 0.0
    opts.frame_opts.samp_freq = a.rate
    opts.frame_opts.snip_edges = a.snip_edges
    opts.frame_opts.window_type = a.window_type
    opts.mel_opts.num_bins = a.num_mel_bins
    opts.mel_opts.high_freq = a.high_freq
    opts.use_energy = a.use_energy

    # The same cut as asr bench features: pieces of --utterance-seconds, a last piece shorter than
    # one second joined to the one before it.
    size, second = int(a.utterance_seconds * a.rate), int(a.rate)
    pieces, start = [], 0
    while start < len(samples):
        end = len(samples) if size <= 0 else min(len(samples), start + size)
        if len(samples) - end < second:
            end = len(samples)
        pieces.append(samples[start:end])
        start = end

    def run():
        total = 0
        for piece in pieces:
            fb = knf.OnlineFbank(opts)
            fb.accept_waveform(a.rate, piece)
            fb.input_finished()
            n = fb.num_frames_ready
            out = np.empty((n, fb.dim), dtype=np.float32)
            for i in range(n):
                out[i] = fb.get_frame(i)
            total += n
        return total

    frames = run()
    runs = []
    for _ in range(a.repeat):
        start = time.perf_counter()
        run()
        runs.append(time.perf_counter() - start)
    seconds = len(samples) / a.rate
    best = min(runs)
    print(json.dumps({"engine": "kaldi-native-fbank", "version": knf.__version__, "threads": 1,
                      "audio_seconds": seconds, "utterances": len(pieces), "frames": frames, "runs": runs, "best_seconds": best,
                      "realtime_factor": seconds / best, "microseconds_per_frame": best / frames * 1e6}))


if __name__ == "__main__":
    main()
