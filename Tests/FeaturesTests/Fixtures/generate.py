#!/usr/bin/env python3
"""Generates the golden fbank/MFCC fixtures of FeaturesTests with kaldi-native-fbank.

Run from this folder:  python3 generate.py
Needs: pip install kaldi-native-fbank==1.23.0 soundfile numpy scipy, and Debian's
pocketsphinx-testdata (the source recordings under /usr/share/pocketsphinx/test/data).

Writes wav/*.wav (16-bit PCM), golden/<wav>.f32 (all matrices of one wav, little-endian float32,
row-major, concatenated) and golden/index.json (one record per case: options under the Swift
field names of FbankOptions/MfccOptions, frames, dim, offset in floats; or "error" when
kaldi-native-fbank rejects the options). An fbank case with useEnergy stores only its energy column
([frames, 1] at offset); its other dim - 1 columns are those of case number melColumnsFrom.
"""
import hashlib
import itertools
import json
import os

import kaldi_native_fbank as knf
import numpy as np
import scipy.signal
import soundfile as sf

DATA = "/usr/share/pocketsphinx/test/data"
HERE = os.path.dirname(os.path.abspath(__file__))


def cut(path, start, count):
    samples, rate = sf.read(path, dtype="int16")
    return samples[start:start + count], rate


def make_wavs():
    """Three ~1 s recordings of real speech; odd lengths so no frame count is a round number."""
    os.makedirs(os.path.join(HERE, "wav"), exist_ok=True)
    wavs = {}
    a, rate = cut(f"{DATA}/cards/001.wav", 0, 16123)
    wavs["cards001-16k"] = (a, rate)
    b, rate = cut(f"{DATA}/librivox/sense_and_sensibility_01_austen_64kb-0870.wav", 32000, 15877)
    wavs["librivox0870-16k"] = (b, rate)
    c, rate = cut(f"{DATA}/librivox/sense_and_sensibility_01_austen_64kb-0880.wav", 16000, 16090)
    # 8 kHz input: polyphase resampling by 1/2 (scipy's default Kaiser window), rounded to int16.
    c8 = scipy.signal.resample_poly(c.astype(np.float64), 1, 2)
    c8 = np.clip(np.round(c8), -32768, 32767).astype(np.int16)
    wavs["librivox0880-8k"] = (c8, rate // 2)
    for name, (x, r) in wavs.items():
        sf.write(os.path.join(HERE, "wav", name + ".wav"), x, r, subtype="PCM_16")
    return wavs


def fbank_options(rate, bins, energy, snip, window, high):
    o = knf.FbankOptions()
    o.frame_opts.dither = 0.0
    o.frame_opts.samp_freq = float(rate)
    o.frame_opts.snip_edges = snip
    o.frame_opts.window_type = window
    o.mel_opts.num_bins = bins
    o.mel_opts.high_freq = float(high)
    o.use_energy = energy
    return o


def run(extractor, rate, samples):
    extractor.accept_waveform(float(rate), samples.astype(np.float32).tolist())
    extractor.input_finished()
    frames = [np.asarray(extractor.get_frame(i), dtype=np.float32) for i in range(extractor.num_frames_ready)]
    return np.stack(frames) if frames else np.zeros((0, 0), np.float32)


def main():
    wavs = make_wavs()
    os.makedirs(os.path.join(HERE, "golden"), exist_ok=True)
    index = {"generator": "generate.py", "kaldi_native_fbank": knf.__version__, "wavs": {}, "cases": []}
    for name, (x, rate) in wavs.items():
        raw = open(os.path.join(HERE, "wav", name + ".wav"), "rb").read()
        index["wavs"][name] = {"file": f"wav/{name}.wav", "sha256": hashlib.sha256(raw).hexdigest(),
                               "samples": int(len(x)), "rate": int(rate)}
        blob = []
        offset = 0
        # The full grid on two recordings (16 and 8 kHz), 40 bins only on the third.
        bin_counts = [40] if name == "librivox0870-16k" else [23, 40, 80]
        grid = itertools.product(bin_counts, [False, True], [True, False], ["povey", "hamming"], [0, -400])
        cases = []
        for bins, energy, snip, window, high in grid:
            opts = fbank_options(rate, bins, energy, snip, window, high)
            swift = {"sampleFrequency": float(rate), "dither": 0.0, "numMelBins": bins, "useEnergy": energy,
                     "snipEdges": snip, "windowType": window, "highFreq": float(high)}
            cases.append(("fbank", swift, lambda o=opts: knf.OnlineFbank(o)))
        for energy in [True, False]:
            m = knf.MfccOptions()
            m.frame_opts.dither = 0.0
            m.frame_opts.samp_freq = float(rate)
            m.use_energy = energy
            swift = {"sampleFrequency": float(rate), "dither": 0.0, "useEnergy": energy}
            cases.append(("mfcc", swift, lambda o=m: knf.OnlineMfcc(o)))
        for kind, swift, make in cases:
            record = {"wav": name, "kind": kind, "options": swift}
            try:
                matrix = run(make(), rate, x)
            except Exception as error:  # kaldi-native-fbank refuses e.g. empty mel bins
                record["error"] = str(error).splitlines()[0] if str(error) else type(error).__name__
                index["cases"].append(record)
                continue
            record.update({"frames": int(matrix.shape[0]), "dim": int(matrix.shape[1])})
            if kind == "fbank" and swift["useEnergy"]:
                # Store only the energy column: the mel columns equal those of the same case without
                # energy (checked here, bit for bit), which the record names by its position.
                plain = dict(swift, useEnergy=False)
                position, base = next((i, r) for i, r in enumerate(index["cases"])
                                      if r["wav"] == name and r["kind"] == "fbank" and r["options"] == plain)
                stored = np.frombuffer(b"".join(blob), dtype="<f4")[base["offset"]:]
                stored = stored[:base["frames"] * base["dim"]].reshape(base["frames"], base["dim"])
                assert np.array_equal(stored, matrix[:, 1:]), "energy changed the mel columns"
                record["melColumnsFrom"] = position
                matrix = matrix[:, :1]
            record["offset"] = offset
            blob.append(matrix.astype("<f4").tobytes())
            offset += matrix.size
            index["cases"].append(record)
        with open(os.path.join(HERE, "golden", name + ".f32"), "wb") as f:
            f.write(b"".join(blob))
    with open(os.path.join(HERE, "golden", "index.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
