"""Audio measured as a player hears it (ffmpeg's own decoders and its ebur128 meter), and
speech-like test audio to measure."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np

from pipeline.sound.loudness import RATE


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


def caption_text(movie: Path) -> str:
    """The text of ``movie``'s subtitle track, its cues joined by spaces."""
    srt = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(movie), "-map", "0:s", "-f", "srt", "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return " ".join(ln for ln in srt.splitlines() if ln and not ln.isdigit() and "-->" not in ln)


def bursts(seconds: float = 6.0, level: float = 0.3, seed: int = 3) -> np.ndarray:
    """Speech-like test audio: noise shaped into syllables, with pauses."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    envelope = np.clip(np.sin(2 * np.pi * 3.1 * t), 0, None) * (np.sin(2 * np.pi * 0.4 * t) > -0.3)
    tone = np.sin(2 * np.pi * 220 * t) + 0.5 * rng.standard_normal(len(t))
    return (level * envelope * tone).astype(np.float32)


def take(path: Path, samples: np.ndarray) -> Path:
    """A recorded take at ``path`` (a WAV at the pipeline's rate)."""
    from pipeline.sound.speech import write_wav

    path.parent.mkdir(parents=True, exist_ok=True)
    write_wav(path, samples)
    return path
