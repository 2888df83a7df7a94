"""Rendering end to end: a preview still, and the lecture video with one chapter per scene."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from pipeline.cli import main
from pipeline.media import probe
from pipeline.render import chapter_metadata
from scenes import SCENES_IN_ORDER


def test_chapter_metadata_escapes_and_accumulates() -> None:
    meta = chapter_metadata(["A=b", "C;d"], [1.5, 2.25])
    assert meta.splitlines() == [
        ";FFMETADATA1",
        "[CHAPTER]", "TIMEBASE=1/1000", "START=0", "END=1500", "title=A\\=b",
        "[CHAPTER]", "TIMEBASE=1/1000", "START=1500", "END=3750", "title=C\\;d",
    ]  # fmt: skip


@pytest.mark.slow
def test_preview_last_frame_writes_a_png() -> None:
    result = CliRunner().invoke(main, ["preview", "TitleScene", "--last-frame"])
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip().splitlines()[-1])
    assert path.suffix == ".png"
    with Image.open(path) as im:
        assert im.size == (854, 480)


@pytest.mark.slow
def test_render_assembles_a_lecture_with_one_chapter_per_scene(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["render", "--output-dir", str(tmp_path), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    info = probe(tmp_path / "low" / "lecture.mp4")
    titles = [c["tags"]["title"] for c in info["chapters"]]
    assert titles == [cls.title for cls in SCENES_IN_ORDER]
    video = next(s for s in info["streams"] if s["codec_type"] == "video")
    assert (video["codec_name"], video["height"]) == ("h264", 480)
    ends = [float(c["end_time"]) for c in info["chapters"]]
    assert ends[-1] == pytest.approx(float(info["format"]["duration"]), abs=0.15)
    # Nothing half-written left behind.
    assert not list((tmp_path / "low").glob(".*"))
    assert np.all(np.diff([float(c["start_time"]) for c in info["chapters"]]) > 0) or len(ends) == 1
