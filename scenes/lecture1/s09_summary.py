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
        "Gaussians: closed forms, readable geometry",
        "Latent variables: easy sampling, hard likelihood",
    )
    next_lecture = "Next: Lecture 2, Variational Autoencoders"
    #: (authors, year, title, where): checked against each paper's first page
    references = (
        ("R. A. Fisher", "1922", "On the Mathematical Foundations of Theoretical Statistics",
         "Phil. Trans. R. Soc. A"),
        ("S. Kullback, R. A. Leibler", "1951", "On Information and Sufficiency",
         "Ann. Math. Statist."),
        ("D. P. Kingma, M. Welling", "2014", "Auto-Encoding Variational Bayes", "ICLR"),
        ("J. Sohl-Dickstein, E. A. Weiss, N. Maheswaranathan, S. Ganguli", "2015",
         "Deep Unsupervised Learning using Nonequilibrium Thermodynamics", "ICML"),
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
        "Gaussians keep coming back because they have closed forms and a geometry we can "
        "read: a mean, and ellipses along the eigenvectors. Latent variables make sampling "
        "easy, a code and then a decoder, but make the likelihood hard, an integral over "
        "every code.",
        "Further reading": "To read further, start with seven papers. Fisher laid the "
        "foundations of maximum likelihood. Kullback and Leibler defined their divergence. "
        "Kingma and Welling introduced the variational autoencoder. Sohl-Dickstein and "
        "colleagues introduced diffusion models: destroy the data's structure with noise, "
        "and learn to restore it. Theis and colleagues "
        "showed why likelihood and sample quality can disagree. Song and Ermon sampled by "
        "following estimated scores, as our diffusion preview does with the exact one. And "
        "Ho and colleagues made diffusion practical with denoising diffusion probabilistic "
        "models.",
        "Next": "Next time we build the variational autoencoder and derive its evidence "
        "lower bound.",
    }
    row_spacing = 0.8
    #: reference index -> the phrase of its sentence at which it is pointed at again
    reading_marks = {3: "destroy the data's structure", 5: "as our diffusion preview"}

    def construct(self) -> None:
        heading = text(self.title, theme.TITLE_SIZE).to_edge(UP, buff=theme.TITLE_EDGE_BUFF)
        # 1. The takeaways.
        with self.beat("Takeaways"):
            # Left, leaving the right of the frame for the two sketches.
            rows = self.get_rows().move_to(0.3 * DOWN).to_edge(LEFT, buff=theme.SAFE_X)
            sketches = self.get_sketches(rows)
            self.play(FadeIn(heading))
            for i, row in enumerate(rows):
                self.at_sentence(1 + i)
                self.play(Write(row[1]), GrowFromCenter(row[0]), run_time=2)
                if i in sketches:  # the picture of what the row says, as it is said
                    phrase, sketch = sketches[i]
                    self.at_sentence(1 + i, phrase)
                    self.play(Create(sketch), run_time=2)
                self.wait(theme.BEAT_PAUSE)
        # 2. Where to read more.
        with self.beat("Further reading"):
            pictures = VGroup(*(sketch for _, sketch in sketches.values()))
            self.play(FadeOut(rows), FadeOut(pictures))
            reading = self.get_references().next_to(heading, DOWN, buff=0.35)
            self.play(FadeIn(reading[0]))
            for i, row in enumerate(reading[1]):
                self.at_sentence(1 + i)
                self.play(FadeIn(row, shift=0.1 * UP), run_time=1.5)
                if i in self.reading_marks:  # a long sentence: its paper is pointed at again
                    self.at_sentence(1 + i, self.reading_marks[i])
                    self.play(Indicate(row, color=theme.ACCENT, scale_factor=1.04), run_time=1.5)
                self.wait(theme.BEAT_PAUSE)
            self.play(FadeOut(reading))
        # 3. What comes next.
        with self.beat("Next"):
            self.play(FadeIn(rows), FadeIn(pictures))
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
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.14)
        label = text("Further reading", theme.BODY_SIZE, theme.MUTED)
        return fit_to_panel_width(
            VGroup(label, rows).arrange(DOWN, aligned_edge=LEFT, buff=0.25), theme.CARD_WIDTH
        )

    def get_sketches(self, rows: VGroup) -> dict[int, tuple[str, VMobject]]:
        """Row -> (phrase, picture): an ellipse on its axes beside the Gaussians, the latent
        integral beside the latent variables."""
        ellipse = Ellipse(width=1.3, height=0.6, color=theme.FIT_COLOR).rotate(PI / 7)
        axes = VGroup(
            Line(ORIGIN, 0.65 * RIGHT, color=theme.ACCENT).rotate(PI / 7, about_point=ORIGIN),
            Line(ORIGIN, 0.3 * UP, color=theme.ACCENT).rotate(PI / 7, about_point=ORIGIN),
        )
        gaussian = VGroup(ellipse, axes)  # both about the origin: the axes from the centre
        integral = MathTex(
            r"\int p_\theta(x \mid z)\,p(z)\,dz", font_size=theme.NUMBER_SIZE, color=theme.ACCENT
        )
        for sketch, row in ((gaussian, rows[3]), (integral, rows[4])):
            sketch.next_to(row, RIGHT, buff=0.5)
        return {3: ("a geometry we can read", gaussian), 4: ("but make the likelihood", integral)}

    def get_rows(self) -> VGroup:
        rows = VGroup()
        for i, point in enumerate(self.points):
            label = text(point, theme.BODY_SIZE)
            label.move_to(ORIGIN, aligned_edge=UL).shift(self.row_spacing * i * DOWN)
            bullet = Dot(radius=0.07, color=theme.ACCENT).next_to(label, LEFT, buff=0.3)
            rows.add(VGroup(bullet, label))
        return rows
