"""Speech encoded for the outputs, with its true peak checked after the encoder.

The speech is limited to :data:`pipeline.sound.loudness.LIMIT_DBTP` before it is encoded, but a
lossy encoder adds its own overshoot, and how much depends on the audio: ffmpeg's AAC turned
a -4.0 dBTP track into -2.8 dBTP in one render of the lecture and into -0.6 dBTP in another
(piper's speech differs from run to run). So every encoded track is decoded and measured;
where the decoded sound peaks above :data:`CEILING_DBTP`, the speech is turned down there
(a few milliseconds either side, as the limiter does) and encoded again, a few rounds at most.
The loudness hardly moves: only the peaks' surroundings are touched.

The sound goes into the outputs as its own stream (an ``.m4a`` or ``.ogg`` file here) that
the muxing ffmpeg copies.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from pipeline.media import atomic_path, run_ffmpeg
from pipeline.sound import loudness
from pipeline.sound.speech import read_wav, write_wav

#: encoder options and container of each codec, at 48 kHz mono (speech needs no more).
#: AAC's "fast" coder: 6.1 s for the 537 s lecture against 22.6 s for the default
#: "twoloop", with a lower peak (-2.4 against -2.1 dBTP). Opus at compression level 5:
#: 3.2 s against 14.2 s at 10, at the same loudness within 0.3 LU.
CODECS = {
    "aac": (["-c:a", "aac", "-aac_coder", "fast", "-b:a", "128k"], ".m4a"),
    "opus": (["-c:a", "libopus", "-b:a", "48k", "-compression_level", "5"], ".ogg"),
}
#: the decoded sound's highest true peak: the target (-1.5 dBTP) less ffmpeg's ebur128 and
#: this measure's disagreement (within 0.3 dB, see the tests) and a little more
CEILING_DBTP = loudness.TARGET_PEAK_DBTP - 0.5
#: encodes at most: the first three may turn the peaks down where they are, the fourth the
#: whole track, the fifth is the last check
ROUNDS = 5
#: how far either side of a peak the gain reaches: wider than the limiter's 5 ms, since the
#: encoder's error spreads over its frames (AAC's are 21 ms, Opus's 20 ms with overlap). With
#: 20 ms Opus needed four encodes of a test burst, and its noise nearby lost 0.25 dB; with
#: 50 ms, three, and nothing lost
WINDOW_S = 0.05


class SoundError(RuntimeError):
    """An encoder's output could not be brought under the true-peak ceiling."""


def decoded(path: Path) -> np.ndarray:
    """The first audio stream of ``path`` as mono float at :data:`loudness.RATE`."""
    raw = run_ffmpeg(
        ["-i", str(path), "-map", "0:a:0", "-ac", "1", "-ar", str(loudness.RATE),
         "-f", "f32le", "-"],
        capture=True,
    )  # fmt: skip
    return np.frombuffer(raw, "<f4")


def encode(samples: np.ndarray, codec: str, dst: Path) -> float:
    """Write ``samples`` (mono float at :data:`loudness.RATE`) to ``dst`` in ``codec``, its
    decoded true peak at or under :data:`CEILING_DBTP`; return that peak in dBTP."""
    if codec not in CODECS:
        raise ValueError(f"unknown codec {codec!r}; the codecs are {', '.join(CODECS)}")
    options, _ = CODECS[codec]
    x = np.asarray(samples, np.float32)
    with tempfile.TemporaryDirectory() as scratch, atomic_path(dst) as tmp:
        wav = Path(scratch) / "sound.wav"
        for round_ in range(ROUNDS):
            write_wav(wav, x)
            run_ffmpeg(["-i", str(wav), *options, "-ar", str(loudness.RATE), "-ac", "1",
                        "-f", _format(codec), str(tmp)])  # fmt: skip
            envelope = _aligned(loudness.peak_envelope(decoded(tmp)), len(x))
            peak = 20 * np.log10(max(float(envelope.max(initial=0.0)), 1e-10))
            if peak <= CEILING_DBTP:
                return peak
            if round_ < ROUNDS - 2:  # down where it peaks
                gain = loudness.ceiling_gain(envelope, CEILING_DBTP - 0.2, WINDOW_S)
                x = x * gain.astype(np.float32)
            else:  # down as a whole, by what is left
                x = x * np.float32(10 ** ((CEILING_DBTP - peak - 0.1) / 20))
        raise SoundError(
            f"{codec} encoding of {dst.name} peaks at {peak:.2f} dBTP after {ROUNDS} "
            f"encodes, above the ceiling of {CEILING_DBTP:.1f} dBTP"
        )


def _aligned(envelope: np.ndarray, length: int) -> np.ndarray:
    """The decoded sound's envelope on the source's samples (an encoder pads its end)."""
    return np.pad(envelope[:length], (0, max(0, length - len(envelope))))


def encode_wav(wav: Path, codec: str, directory: Path) -> Path:
    """``wav`` encoded in ``codec`` into ``directory`` (same stem); its path."""
    dst = directory / (wav.stem + CODECS[codec][1])
    encode(read_wav(wav), codec, dst)
    return dst


def _format(codec: str) -> str:
    return {"aac": "ipod", "opus": "ogg"}[codec]
