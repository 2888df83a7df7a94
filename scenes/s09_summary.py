"""Scene 9: what to take away, and what comes next."""

from __future__ import annotations

from manim import *

from scenes import theme
from scenes.base import LectureScene, text


class SummaryScene(LectureScene):
    title = "Summary"
    points = (
        "A generative model learns p(x), not just boundaries",
        "Maximum likelihood minimises KL(data ‖ model)",
        "Sampling turns randomness into data",
        "Gaussians and latent variables keep it tractable",
    )
    next_lecture = "Next: Lecture 2, Variational Autoencoders"
    narration = {
        "Takeaways": "To sum up: generative modelling learns the whole distribution; "
        "likelihood is principled because of the KL identity; sampling is what makes a model "
        "generative; Gaussians and latents make it tractable.",
        "Next": "Next time we build the variational autoencoder and derive its evidence "
        "lower bound.",
    }
    row_spacing = 0.8

    def construct(self) -> None:
        heading = text(self.title, theme.TITLE_SIZE).to_edge(UP, buff=theme.TITLE_EDGE_BUFF)
        # 1. The takeaways.
        with self.beat("Takeaways"):
            rows = self.get_rows().move_to(0.3 * DOWN)
            self.play(FadeIn(heading))
            self.play(
                LaggedStart(*(FadeIn(r, shift=0.2 * RIGHT) for r in rows), lag_ratio=0.35),
                run_time=2.5,
            )
            self.wait(theme.BEAT_PAUSE * 3)
        # 2. What comes next.
        with self.beat("Next"):
            upcoming = text(self.next_lecture, theme.HEADING_SIZE, theme.ACCENT).to_edge(
                DOWN, buff=0.7
            )
            self.play(FadeIn(upcoming, shift=0.2 * UP))
            self.wait(theme.BEAT_PAUSE * 3)
            self.play(FadeOut(Group(*self.mobjects)))

    def get_rows(self) -> VGroup:
        rows = VGroup()
        for i, point in enumerate(self.points):
            label = text(point, theme.BODY_SIZE * 1.1)
            label.move_to(ORIGIN, aligned_edge=UL).shift(self.row_spacing * i * DOWN)
            bullet = Dot(radius=0.07, color=theme.ACCENT).next_to(label, LEFT, buff=0.3)
            rows.add(VGroup(bullet, label))
        return rows
