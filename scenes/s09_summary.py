"""Scene 9: what to take away, and what comes next."""

from __future__ import annotations

from manim import *

from scenes import theme
from scenes.base import LectureScene, fit_to_panel_width, text


class SummaryScene(LectureScene):
    title = "Summary"
    section = "Lecture 1"
    points = (
        "A generative model learns pθ(x), not just boundaries",
        "Maximum likelihood minimises the KL from data to model",
        "Sampling turns randomness into data",
        "Gaussians and latent variables keep it tractable",
    )
    next_lecture = "Next: Lecture 2, Variational Autoencoders"
    #: (authors, year, title, where): checked against each paper's first page
    references = (
        ("R. A. Fisher", "1922", "On the Mathematical Foundations of Theoretical Statistics",
         "Phil. Trans. R. Soc. A"),
        ("S. Kullback, R. A. Leibler", "1951", "On Information and Sufficiency",
         "Ann. Math. Statist."),
        ("D. P. Kingma, M. Welling", "2014", "Auto-Encoding Variational Bayes", "ICLR"),
        ("L. Theis, A. van den Oord, M. Bethge", "2016",
         "A Note on the Evaluation of Generative Models", "ICLR"),
        ("Y. Song, S. Ermon", "2019",
         "Generative Modeling by Estimating Gradients of the Data Distribution", "NeurIPS"),
        ("J. Ho, A. Jain, P. Abbeel", "2020", "Denoising Diffusion Probabilistic Models",
         "NeurIPS"),
    )  # fmt: skip
    narration = {
        "Takeaways": "To sum up. A generative model learns the whole distribution, not "
        "only the boundaries between groups. Likelihood is a principled objective: maximising "
        "it minimises the KL from data to model. Sampling is what makes a model generative. "
        "And Gaussians and latent variables keep it tractable.",
        "Further reading": "To read further, start with six papers. Fisher laid the "
        "foundations of maximum likelihood. Kullback and Leibler defined their divergence. "
        "Kingma and Welling introduced the variational autoencoder. Theis and colleagues "
        "showed why likelihood and sample quality can disagree. Song and Ermon sampled by "
        "following estimated scores, as our diffusion preview does with the exact one. And "
        "Ho and colleagues introduced denoising diffusion.",
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
            for i, row in enumerate(rows):
                self.at_sentence(1 + i)
                self.play(FadeIn(row[1], shift=0.2 * RIGHT), GrowFromCenter(row[0]))
                self.wait(theme.BEAT_PAUSE)
        # 2. Where to read more.
        with self.beat("Further reading"):
            self.play(FadeOut(rows))
            reading = self.get_references().next_to(heading, DOWN, buff=0.5)
            self.play(FadeIn(reading[0]))
            for i, row in enumerate(reading[1]):
                self.at_sentence(1 + i)
                self.play(FadeIn(row, shift=0.1 * UP))
                self.wait(theme.BEAT_PAUSE)
            self.play(FadeOut(reading))
        # 3. What comes next.
        with self.beat("Next"):
            self.play(FadeIn(rows))
            upcoming = text(self.next_lecture, theme.HEADING_SIZE, theme.ACCENT).to_edge(
                DOWN, buff=0.7
            )
            self.play(FadeIn(upcoming, shift=0.2 * UP))
            self.wait(theme.BEAT_PAUSE * 3)
            self.play(FadeOut(Group(*self.mobjects)))

    def get_references(self) -> VGroup:
        rows = VGroup()
        for authors, year, title, venue in self.references:
            rows.add(
                VGroup(
                    text(f"{authors} ({year})", theme.SMALL_SIZE, theme.ACCENT),
                    text(f"{title}. {venue}", theme.SMALL_SIZE),
                ).arrange(DOWN, aligned_edge=LEFT, buff=0.08)
            )
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        label = text("Further reading", theme.BODY_SIZE, theme.MUTED)
        return fit_to_panel_width(
            VGroup(label, rows).arrange(DOWN, aligned_edge=LEFT, buff=0.3), theme.CARD_WIDTH
        )

    def get_rows(self) -> VGroup:
        rows = VGroup()
        for i, point in enumerate(self.points):
            label = text(point, theme.BODY_SIZE * 1.1)
            label.move_to(ORIGIN, aligned_edge=UL).shift(self.row_spacing * i * DOWN)
            bullet = Dot(radius=0.07, color=theme.ACCENT).next_to(label, LEFT, buff=0.3)
            rows.add(VGroup(bullet, label))
        return rows
