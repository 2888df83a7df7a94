"""Scene 6: latent codes z ~ N(0, I) deformed, in stages, into data x = g(z)."""

from __future__ import annotations

import numpy as np
from manim import *

from math_core.latent import homotopy
from scenes import theme
from scenes.base import LectureScene, fit_to_panel, text
from scenes.mobjects import (
    DotCloud,
    MoveCloud,
    RecolorCloud,
    angle_colors,
    cloud_on,
    get_plane,
    polyline,
    to_scene,
)


class LatentDeformationScene(LectureScene):
    title = "Latent variables: deforming simple noise"
    section = "Section 6"
    narration = {
        "Latent codes": "Start from the simplest distribution there is: latent codes z drawn "
        "from a standard normal, [[p(z)|p of z]], shown with a square grid. Colour marks where "
        "each "
        "code sits.",
        "Linear map": "A hand-made decoder, not a learned one, turns codes into data. First "
        "[[the matrix A|the matrix, capital A,]] stretches and shears the plane. Grid lines "
        "stay straight and parallel.",
        "Bend": "Then a smooth nonlinearity bends it: a sine of the first coordinate and a "
        "cosine of the second. Now the grid curves.",
        "Noise": "Finally, a little Gaussian noise. Now the decoder is a density: "
        "[[p_θ(x | z)|p theta of x given z]] is a Gaussian centred on [[g(z)|g of z]]. Each "
        "x keeps the colour of the z it came from.",
        "The latent integral": "The model's density of x averages the decoder over all "
        "codes: [[p_θ(x)|p theta of x]] is the integral of "
        "[[p_θ(x | z)|p theta of x given z]], times [[p(z)|p of z]]. The "
        "prior says where codes live; the decoder turns codes into observations. Here z and "
        "x are both two-dimensional, so nothing is compressed: the example shows the "
        "deformation only. In a real model, z is far smaller than x.",
    }
    stage_time = 3.0
    #: stage -> the sentence of its beat at which the points move (else as the beat starts)
    move_at_sentence = {0: 1}
    #: stage -> (sentence, phrase): where its new term is pointed at before the points move
    stage_marks = {0: ((0, "turns codes into data"),)}
    #: (stage, sentence) -> phrases of that sentence at which its term is pointed at again
    note_marks = {(2, 1): ("is a Gaussian centred",)}
    #: stage -> (sentence, note): what each later sentence of a stage's beat adds, in words
    stage_notes = {
        0: ((2, "grid lines stay straight and parallel"),),
        1: ((1, "now the grid lines curve"),),
        2: ((1, "x given z: a Gaussian around g(z)"), (2, "each x keeps the colour of its z")),
    }

    def construct(self) -> None:
        lat = self.lecture.latent
        plane = get_plane(theme.LATENT_RANGE, labels=("", ""))
        axes = plane[0]
        heading = self.panel_heading(self.title)
        cloud = cloud_on(axes, lat.z, theme.TEXT, opacity=0.7)
        grid = self.get_grid(axes, 0.0)
        t = ValueTracker(0.0)

        def bend(g: VGroup) -> None:
            self.bend_grid(g, axes, t.get_value())

        equations = self.get_equations().move_to([theme.PANEL_X, 0.2, 0])
        # 1. z ~ N(0, I) with its grid.
        with self.beat("Latent codes"):
            self.play(FadeIn(plane), FadeIn(heading))
            self.play(FadeIn(cloud), Create(grid), run_time=2)
            self.play(Write(equations[0]), run_time=1.5)
            # The points and the grid never reach the equations: draw those first, so they
            # are not redrawn at every frame of the moves below (the frames are the same).
            self.draw_before(equations[0], cloud)
            self.at_sentence(1)
            self.play(RecolorCloud(cloud, angle_colors(lat.z)), run_time=3)
            self.wait(theme.BEAT_PAUSE)
        # 2-4. The three stages of g, each a third of the homotopy.
        note = VMobject()  # the stage's current note, under the equations
        for j, name in enumerate(("Linear map", "Bend", "Noise")):
            with self.beat(name):
                self.play(Write(equations[j + 1]), FadeOut(note), run_time=1.5)
                self.draw_before(equations[j + 1], cloud)
                for sentence, phrase in self.stage_marks.get(j, ()):
                    self.at_sentence(sentence, phrase)
                    self.play(Circumscribe(equations[j + 1], color=theme.ACCENT), run_time=1.5)
                if j in self.move_at_sentence:  # the sentence that names the stage
                    self.at_sentence(self.move_at_sentence[j])
                grid.add_updater(bend)  # only while it moves: an updater makes it redrawn
                self.play(
                    MoveCloud(cloud, self.get_path(axes, j)),
                    t.animate.set_value((j + 1) / 3),
                    run_time=self.stage_time,
                    rate_func=smooth,
                )
                grid.clear_updaters()
                for sentence, words in self.stage_notes[j]:
                    self.at_sentence(sentence)
                    new = self.get_note(words, equations)
                    self.play(FadeOut(note), FadeIn(new, shift=0.2 * UP))
                    note = new
                    for phrase in self.note_marks.get((j, sentence), ()):
                        self.at_sentence(sentence, phrase)
                        self.play(Indicate(equations[j + 1], color=theme.ACCENT), run_time=1.5)
                self.wait(theme.BEAT_PAUSE)
        # 5. What the pieces mean together: the marginal over codes.
        with self.beat("The latent integral"):
            meaning = self.get_integral().move_to([theme.PANEL_X, 0.0, 0])
            self.play(FadeOut(equations), FadeOut(note))
            self.play(Write(meaning[0]), run_time=3)
            self.play(Circumscribe(meaning[0], color=theme.ACCENT), run_time=1.5)
            self.wait(theme.BEAT_PAUSE)
            # The prior, with the codes back where they started; the decoder, carrying them
            # to the data again.
            self.at_sentence(1)
            self.play(FadeIn(meaning[1][0], shift=0.2 * UP), run_time=0.8)
            self.sweep_codes(axes, cloud, grid, t, 1.0, 0.0)
            self.play(FadeIn(meaning[1][1], shift=0.2 * UP), run_time=0.8)
            self.sweep_codes(axes, cloud, grid, t, 0.0, 1.0)
            self.at_sentence(2)  # nothing compressed: the same points, only moved
            self.play(FadeIn(meaning[2][0], shift=0.2 * UP), run_time=1.2)
            self.sweep_codes(axes, cloud, grid, t, 1.0, 0.0)
            self.sweep_codes(axes, cloud, grid, t, 0.0, 1.0)
            self.at_sentence(3)
            self.play(FadeIn(meaning[2][1], shift=0.2 * UP), run_time=1.2)
            self.wait(theme.BEAT_PAUSE)

    # ---- pieces -------------------------------------------------------------------------
    def get_path(self, axes: Axes, stage: int):
        lat = self.lecture.latent

        def path(a: float) -> np.ndarray:
            return to_scene(axes, homotopy(lat.generator, lat.z, lat.noise, (stage + a) / 3))

        return path

    def sweep_codes(
        self, axes: Axes, cloud: DotCloud, grid: VGroup, t: ValueTracker, a: float, b: float
    ) -> None:
        """Move the codes and the grid from time ``a`` of the decoder's homotopy to ``b``."""
        lat = self.lecture.latent

        def path(s: float) -> np.ndarray:
            return to_scene(axes, homotopy(lat.generator, lat.z, lat.noise, a + (b - a) * s))

        grid.add_updater(lambda g: self.bend_grid(g, axes, t.get_value()))
        self.play(MoveCloud(cloud, path), t.animate.set_value(b), run_time=2.5)
        grid.clear_updaters()

    def grid_lines_at(self, axes: Axes, t: float) -> np.ndarray:
        """The grid's lines moved to time ``t`` of the homotopy, in scene coordinates."""
        lat = self.lecture.latent
        n_lines, n_points, _ = lat.grid_lines.shape
        moved = homotopy(lat.generator, lat.grid_lines.reshape(-1, 2), None, t)
        return to_scene(axes, moved).reshape(n_lines, n_points, 2)

    def get_grid(self, axes: Axes, t: float) -> VGroup:
        return VGroup(*(polyline(line, theme.GRID, 1.5) for line in self.grid_lines_at(axes, t)))

    def bend_grid(self, grid: VGroup, axes: Axes, t: float) -> None:
        """Move the grid's lines in place (every frame: no new mobjects, one coordinate map)."""
        for line, xy in zip(grid, self.grid_lines_at(axes, t), strict=True):
            line.set_points_as_corners(np.column_stack([xy, np.zeros(len(xy))]))

    def get_integral(self) -> VGroup:
        gen = self.lecture.latent.generator
        size = theme.NUMBER_SIZE * 1.2
        ns = self.fmt("latent.generator.noise_scale", gen.noise_scale, 2)
        integral = MathTex(
            r"p_\theta(x) = \int p_\theta(x \mid z)\, p(z)\, dz", font_size=size * 1.1
        )
        parts = VGroup(
            VGroup(
                MathTex(r"p(z) = \mathcal N(0, I)", font_size=size),
                text("the prior: where codes live", theme.SMALL_SIZE, theme.MUTED),
            ),
            VGroup(
                MathTex(rf"p_\theta(x \mid z) = \mathcal N(g(z),\, {ns}^2 I)", font_size=size),
                text("the decoder: codes to observations", theme.SMALL_SIZE, theme.MUTED),
            ),
        )
        for row in parts:
            row.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        parts.arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        honesty = VGroup(
            VGroup(
                text("here z and x are both 2-D:", theme.SMALL_SIZE, theme.ACCENT),
                text("no compression, only deformation", theme.SMALL_SIZE, theme.ACCENT),
            ).arrange(DOWN, buff=0.1),
            text("in a real model, z is far smaller than x", theme.SMALL_SIZE, theme.MUTED),
        ).arrange(DOWN, buff=0.25)
        return fit_to_panel(VGroup(integral, parts, honesty).arrange(DOWN, buff=0.5))

    def get_note(self, words: str, equations: VGroup) -> Mobject:
        """A stage's note in words, under the decoder's equations."""
        note = fit_to_panel(text(words, theme.BODY_SIZE, theme.ACCENT))
        return note.next_to(equations, DOWN, buff=0.6).set_x(theme.PANEL_X)

    def get_equations(self) -> VGroup:
        gen = self.lecture.latent.generator
        size = theme.NUMBER_SIZE * 1.2
        a = gen.A
        entries = [
            [self.fmt(f"latent.generator.A[{i}][{j}]", a[i, j], 2) for j in range(2)]
            for i in range(2)
        ]
        sa = self.fmt("latent.generator.sin_amplitude", gen.sin_amplitude, 2)
        sf = self.fmt("latent.generator.sin_frequency", gen.sin_frequency, 2)
        ca = self.fmt("latent.generator.cos_amplitude", gen.cos_amplitude, 2)
        cf = self.fmt("latent.generator.cos_frequency", gen.cos_frequency, 2)
        ns = self.fmt("latent.generator.noise_scale", gen.noise_scale, 2)
        rows = VGroup(
            MathTex(r"z \sim \mathcal N(0, I)", font_size=size),
            MathTex(
                r"x = \begin{pmatrix}"
                + f"{entries[0][0]} & {entries[0][1]} \\\\ {entries[1][0]} & {entries[1][1]}"
                + r"\end{pmatrix} z",
                font_size=size,
            ),
            MathTex(
                r"+\begin{pmatrix}"
                + f"{sa}\\sin({sf}\\,z_1) \\\\ {ca}\\cos({cf}\\,z_2)"
                + r"\end{pmatrix}",
                font_size=size,
            ),
            MathTex(
                rf"+\,{ns}\,\varepsilon,\quad \varepsilon \sim \mathcal N(0, I)", font_size=size
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.45)
        return rows
