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
        "Takeaways": "To sum up: generative modelling learns the whole distribution; "
        "likelihood is principled because of the KL identity; sampling is what makes a model "
        "generative; Gaussians and latents make it tractable.",
        "Further reading": "For further reading: Fisher on maximum likelihood, Kullback and "
        "Leibler on their divergence, Kingma and Welling on the variational autoencoder, "
        "Theis and colleagues on why likelihood and samples can disagree, Song and Ermon on "
        "score-based sampling, which our diffusion preview used, and Ho and colleagues on "
        "denoising diffusion.",
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
        # 2. Where to read more.
        with self.beat("Further reading"):
            self.play(FadeOut(rows))
            reading = self.get_references().next_to(heading, DOWN, buff=0.5)
            self.play(
                LaggedStart(*(FadeIn(r, shift=0.1 * UP) for r in reading), lag_ratio=0.2),
                run_time=2.5,
            )
            self.wait(theme.BEAT_PAUSE * 4)
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
