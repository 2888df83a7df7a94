"""The pages and text files written from templates: valid HTML5, the lecture's title from
its declaration, what they are given escaped in HTML and kept as it is in text."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import html5lib
import jinja2
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.outputs import pages
from pipeline.outputs.transcript import Paragraph, clock
from pipeline.sound.speech import script
from scenes.kit.course import LectureSpec
from scenes.lecture1 import LECTURE

#: a title no template may pass on as markup
MARKUP = 'Means & <b>modes</b> "quoted"'


class _Text(HTMLParser):
    """The text a browser would show, as one string."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def _shown(source: str) -> str:
    html5lib.HTMLParser(strict=True).parse(source)  # a parse error fails the test
    page = _Text()
    page.feed(source)
    return page.text


def _lecture(title: str) -> LectureSpec:
    return LectureSpec(
        "demo", title, "Lecture 9", scenes=(type("Demo", (), {}),), numbers=lambda seed: seed
    )


def test_the_transcript_escapes_in_html_and_keeps_text_as_said() -> None:
    """Mutation caught: autoescape off (the title's <b> becomes markup)."""
    said = [Paragraph(65.0, MARKUP, "beat", "p < q & q > r, said plainly.")]
    context = {"lecture": _lecture(MARKUP), "scenes": [(MARKUP, said)], "clock": clock}
    shown = _shown(pages.render("transcript.html", **context))
    assert shown.count(MARKUP) == 3  # the page's title, its heading and the scene's
    assert "1:05 p < q & q > r, said plainly." in shown
    text = pages.render("transcript.txt", **context)
    assert text.startswith(f"{MARKUP}: transcript\nLecture 9\n")
    assert "[1:05] p < q & q > r, said plainly." in text
    assert MARKUP.upper() in text


def test_a_name_the_code_does_not_pass_is_an_error() -> None:
    said = [Paragraph(1.0, "A", "beat", "Said.")]
    with pytest.raises(jinja2.UndefinedError, match="clock"):
        pages.render("transcript.txt", lecture=_lecture("A"), scenes=[("A", said)])


def test_the_watch_page_keeps_the_title_out_of_its_script() -> None:
    source = pages.render("watch.html", title="</script><script>alert(1)//", version=4)
    assert _shown(source).startswith("</script><script>alert(1)//")
    assert source.count("</script>") == 1  # the page's own: the title's is \u003c/script\u003e
    assert 'src="frame.png?v=4"' in source


def test_the_narration_script_lists_every_beat_under_the_lectures_title(tmp_path: Path) -> None:
    takes = tmp_path / "takes"
    result = CliRunner().invoke(main, ["narration", "script", "--takes", str(takes)])
    assert result.exit_code == 0, result.output
    markdown = (takes / "script.md").read_text()
    shown = _shown((takes / "script.html").read_text())
    assert markdown.startswith(f"# {LECTURE.title}: narration script\n")
    assert shown.startswith(f"{LECTURE.title}: narration script")
    beats = script(list(LECTURE.scenes), LECTURE, LECTURE.seed)
    assert markdown.count("\n**") == len(beats) == sum(len(c.narration) for c in LECTURE.scenes)
    for beat in beats:  # its file to record, and what to say, in both
        assert f"(`{beat.scene}/{beat.id}.wav`, {beat.words} words)\n\n{beat.spoken}\n" in markdown
        assert f"{beat.scene}/{beat.id}.wav {' '.join(beat.spoken.split())}" in shown
    for scene in LECTURE.scenes:
        assert f"## {scene.__name__}: {scene.title}\n" in markdown
        assert f"{scene.__name__}: {scene.title}" in shown
