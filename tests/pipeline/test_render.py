"""Rendering end to end: a preview still, and the lecture video with one chapter per scene."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from pipeline.cli import main
from pipeline.contact_sheet import LABEL_HEIGHT, THUMB
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
    # The contact sheet: one thumbnail per beat, in rows of four.
    sheet = CliRunner().invoke(main, ["contact-sheet", "--output-dir", str(tmp_path)])
    assert sheet.exit_code == 0, sheet.output
    beats = sum(len(cls.narration) for cls in SCENES_IN_ORDER)
    assert f"({beats} beats)" in sheet.output
    with Image.open(tmp_path / "low" / "contact_sheet.png") as im:
        assert im.size == (4 * THUMB[0], -(-beats // 4) * (THUMB[1] + LABEL_HEIGHT))


def test_contact_sheet_before_rendering_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["contact-sheet", "--output-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "has not been rendered here" in result.output
    assert "run `lecture render -q low` first" in result.output
