"""How long a beat's animations and waits run as written, and how they stretch to its speech."""

from __future__ import annotations

from scenes import theme


class Segment:
    """A stretch of a beat between two sentence cues: its animations and waits as written."""

    def __init__(self, cue: float = 0.0) -> None:
        #: where the voice is when it opens: a sentence, plus the share of it already said
        #: for a phrase cue (0: the beat's own start)
        self.cue = cue
        self.animation = 0.0
        self.still = 0.0  # waits without updaters: the frames that hold still

    def stretches(self, needed: float) -> tuple[float, float]:
        """Factors for the animations and the waits so that the segment lasts ``needed``.

        The animations slow down first, up to theme.MAX_STRETCH; what is still missing is
        spread over the segment's waits (a pause held longer), and only a segment with no
        wait at all ends on a hold (see :meth:`LectureScene.at_sentence`).
        """
        total = self.animation + self.still
        if needed <= total or total <= 0:
            return 1.0, 1.0
        if self.animation > 0:
            animate = min(theme.MAX_STRETCH, (needed - self.still) / self.animation)
        else:
            animate = 1.0
        rest = needed - self.animation * animate
        hold = max(1.0, rest / self.still) if self.still > 0 else 1.0
        return animate, hold


class BeatTime:
    """How long a beat's own animations and waits run, as written, segment by segment."""

    def __init__(self) -> None:
        self.segments = [Segment()]

    @property
    def animation(self) -> float:
        return sum(s.animation for s in self.segments)

    @property
    def still(self) -> float:
        return sum(s.still for s in self.segments)
