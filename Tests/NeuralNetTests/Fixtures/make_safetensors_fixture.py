#!/usr/bin/env python3
"""Writes python.safetensors with the reference `safetensors` package (numpy API).

Command (from the repository root):
    python3 Tests/NeuralNetTests/Fixtures/make_safetensors_fixture.py
Values are exact in float32, so the Swift test states them as literals.
"""
import os

import numpy as np
from safetensors.numpy import save_file

here = os.path.dirname(os.path.abspath(__file__))
tensors = {
    "encoder.lstm0.weightIH": (np.arange(12, dtype=np.float32).reshape(4, 3) * 0.5 - 2.0),
    "out.bias": np.array([-0.0, 1.5, -3.25], dtype=np.float32),
    "scale": np.array(7.0, dtype=np.float32),
}
save_file(tensors, os.path.join(here, "python.safetensors"), metadata={"format": "np", "note": "fixture"})
