"""Scene 0: the lecture's title and its learning goals."""

from __future__ import annotations

from manim import DOWN, LEFT, ORIGIN, UL, UP, FadeIn, FadeOut, LaggedStart, VGroup, Write

from scenes import theme
from scenes.base import LectureScene, text


class TitleScene(LectureScene):
    title = "The Essence of Generative AI"
    subtitle = "Lecture 1 · Generative models"
    goals = (
        "Tell generative from discriminative models",
        "Fit densities by maximum likelihood",
        "Read likelihood as a KL mismatch",
        "Think in latent variables",
        "Get ready for VAEs and diffusion",
    )
    narration = {
        "Title": "Welcome. This first lecture asks what it really means for a model to "
        "generate data, and builds the probability we need to answer.",
        "Learning goals": "By the end you should be able to say what a generative model "
        "learns, why we fit it by maximum likelihood, and how sampling and latent "
        "variables fit in.",
    }
    #: the goals come in one by one along the sentence that names them
    goal_lag = 0.6
    goal_time = 4.0
    goal_spacing = 0.8

    def construct(self) -> None:
        # 1. Title card
        with self.beat("Title"):
            heading = self.get_title_card()
            self.play(Write(heading[0]), run_time=1.5)
            self.play(FadeIn(heading[1], shift=0.2 * UP))
            self.wait(theme.BEAT_PAUSE * 2)
        # 2. The goals, one by one
        with self.beat("Learning goals"):
            self.play(heading.animate.scale(0.6).to_edge(UP, buff=theme.TITLE_EDGE_BUFF))
            goals = self.get_goal_list().move_to(0.4 * DOWN)
            self.play(
                LaggedStart(*(FadeIn(g, shift=0.2 * UP) for g in goals), lag_ratio=self.goal_lag),
                run_time=self.goal_time,
            )
            self.wait(theme.BEAT_PAUSE * 2)
            self.play(FadeOut(goals), FadeOut(heading))

    def get_title_card(self) -> VGroup:
        main = text(self.title, theme.TITLE_SIZE)
        sub = text(self.subtitle, theme.BODY_SIZE, theme.MUTED)
        return VGroup(main, sub).arrange(DOWN, buff=0.4)

    def get_goal_list(self) -> VGroup:
        rows = VGroup()
        for i, goal in enumerate(self.goals, start=1):
            label = text(goal, theme.HEADING_SIZE * 0.85)
            # A fixed grid (not arrange): descenders would make the gaps uneven.
            label.move_to(ORIGIN, aligned_edge=UL).shift(self.goal_spacing * (i - 1) * DOWN)
            # Every goal starts with a capital, so aligning tops lines the digits up.
            digit = text(f"{i}.", theme.HEADING_SIZE * 0.85, theme.ACCENT)
            digit.next_to(label, LEFT, buff=0.3).align_to(label, UP)
            rows.add(VGroup(digit, label))
        return rows
