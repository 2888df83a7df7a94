"""Audio measured as a player hears it: ffmpeg's own decoders and its ebur128 meter."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np

from pipeline.loudness import RATE


def ebur128(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of ``path``'s audio, by ffmpeg."""
    err = subprocess.run(
        ["ffmpeg", "-nostdin", "-nostats", "-i", str(path), "-map", "0:a",
         "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    ).stderr  # fmt: skip
    summary = err[err.rindex("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary)
    assert integrated, summary
    assert peak, summary
    return float(integrated.group(1)), float(peak.group(1))


def decoded(path: Path) -> np.ndarray:
    """``path``'s audio as mono float samples at the pipeline's rate, decoded by ffmpeg."""
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(path), "-map", "0:a", "-ac", "1",
         "-ar", str(RATE), "-f", "f32le", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, "<f4")


def onset(audio: np.ndarray, after: float, window: float = 0.005) -> float:
    """First time at or after ``after`` where the decoded audio's energy rises above -40 dBFS."""
    step = int(window * RATE)
    start = int(after * RATE)
    frames = audio[start : start + (len(audio) - start) // step * step].reshape(-1, step)
    energy = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    return after + int(np.argmax(energy > -40)) * window
