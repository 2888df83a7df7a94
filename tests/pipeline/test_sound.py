"""Encoded speech: the true peak after the encoder, measured by ffmpeg, stays under the target."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.media import run_ffmpeg
from pipeline.sound import loudness, mix
from pipeline.sound.speech import write_wav
from tests.pipeline.measure import ebur128

RATE = loudness.RATE


def _peaky() -> np.ndarray:
    """3 s of soft noise with a 0.4 s burst of a square wave rising in pitch, limited to
    -4 dBTP: a square wave is what an encoder overshoots most (its harmonics above the
    encoder's band are cut, and its edges ring); this one by 2 to 5 dB."""
    t = np.arange(3 * RATE) / RATE
    x = 0.05 * np.random.default_rng(3).standard_normal(len(t))
    burst = (t > 1.3) & (t < 1.7)
    s = t[burst] - 1.3
    x[burst] = np.sign(np.sin(2 * np.pi * (200 * s + 4000 * s**2)))
    return loudness.limit(x.astype(np.float32))  # as every beat's speech is


@pytest.mark.parametrize("codec", ["aac", "opus"])
def test_an_encoder_overshoot_is_turned_down_where_it_peaks(tmp_path: Path, codec: str) -> None:
    x = _peaky()
    assert loudness.true_peak_db(x) <= loudness.LIMIT_DBTP + 0.05
    # The encoder alone overshoots the target (otherwise this test shows nothing).
    options, ext = mix.CODECS[codec]
    write_wav(tmp_path / "x.wav", x)
    run_ffmpeg(["-i", str(tmp_path / "x.wav"), *options, str(tmp_path / f"plain{ext}")])
    _, plain_peak = ebur128(tmp_path / f"plain{ext}")
    assert plain_peak > loudness.TARGET_PEAK_DBTP

    out = tmp_path / f"checked{ext}"
    mix.encode(x, codec, out)
    _, peak = ebur128(out)
    assert peak <= loudness.TARGET_PEAK_DBTP
    # Only the burst and a few ms either side were turned down: the noise before it comes
    # out as loud as from the plain encode (within 0.1 dB RMS).
    y, plain = mix.decoded(out), mix.decoded(tmp_path / f"plain{ext}")
    quiet = slice(int(0.2 * RATE), int(1.2 * RATE))
    assert 20 * np.log10(np.std(y[quiet]) / np.std(plain[quiet])) == pytest.approx(0, abs=0.1)
    # Nothing went missing: the same length as the source, within an encoder frame.
    assert abs(len(y) - len(x)) <= 1024


def test_speech_under_the_ceiling_is_encoded_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []
    real = mix.run_ffmpeg

    def counting(args: list[str], capture: bool = False) -> bytes:
        calls.append(args)
        return real(args, capture)

    monkeypatch.setattr(mix, "run_ffmpeg", counting)
    quiet = 0.1 * np.sin(2 * np.pi * 300 * np.arange(RATE) / RATE).astype(np.float32)
    peak = mix.encode(quiet, "aac", tmp_path / "q.m4a")
    assert peak == pytest.approx(20 * np.log10(0.1), abs=0.5)
    assert len([a for a in calls if "-c:a" in a]) == 1


def test_an_unknown_codec_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"'mp3'.*aac, opus"):
        mix.encode(np.zeros(10, np.float32), "mp3", tmp_path / "x.mp3")
