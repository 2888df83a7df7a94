"""Scene 1: the same data seen discriminatively (p_theta(y | x)) and generatively (p_theta(x)).

The model is the three-Gaussian mixture fitted to the data by EM (math_core), not the
distribution the data came from: the scene shows what a learned model does.
"""

from __future__ import annotations

import numpy as np
from manim import *
from manim.utils.color import color_to_rgb

from scenes import theme
from scenes.base import LectureScene, fit_to_panel, text
from scenes.mobjects import cloud_on, component_colors, curve_on, get_plane, to_scene


def grid_image(axes: Axes, rgba: np.ndarray) -> ImageMobject:
    """An RGBA array laid over a data grid on ``axes`` (row 0 = lowest y, as math_core stores)."""
    image = ImageMobject(np.flipud(rgba).astype(np.uint8))
    image.set_resampling_algorithm(RESAMPLING_ALGORITHMS["linear"])
    lo, hi = (
        axes.c2p(theme.PLANE_RANGE[0], theme.PLANE_RANGE[0]),
        axes.c2p(theme.PLANE_RANGE[1], theme.PLANE_RANGE[1]),
    )
    image.stretch_to_fit_width(hi[0] - lo[0]).stretch_to_fit_height(hi[1] - lo[1])
    # Under the axes and the points: a layer over them dimmed the ticks and labels.
    return image.move_to((lo + hi) / 2).set_z_index(-1)


class GenerativeVsDiscriminativeScene(LectureScene):
    title = "What is a generative model?"
    section = "Section 1"
    narration = {
        "The data": "Here are {lec.data.sample.points.shape[0]} points in the plane, "
        "in three groups. In practice the distribution behind data, [[p_data|p data]], is "
        "unknown. In this lecture we chose it ourselves, so every claim about it can be "
        "checked. Two kinds of model answer two different questions about these points.",
        "Discriminative": "A discriminative model learns [[p_θ(y | x)|p theta of y given x]]: "
        "which group "
        "a point belongs to. It only needs the boundaries between the groups. Here the "
        "regions are read off the density model of the next step, by Bayes' rule: each "
        "point joins the group most likely to have produced it.",
        "Generative": "A generative model learns [[p_θ(x)|p theta of x]], a density over the data "
        "itself. Here it is a mixture of three Gaussians, fitted to the points by the EM "
        "algorithm, expectation maximisation; it is bright where the data is dense. That is "
        "harder, and it is what lets us generate.",
        "Draw a new point": "Generating means sampling: x drawn from [[p_θ(x)|p theta of x]] "
        "is a new "
        "point that resembles the data without being one of them.",
    }
    region_opacity = 0.42

    def construct(self) -> None:
        data = self.lecture.data
        plane = get_plane()
        axes = plane[0]
        heading = self.panel_heading(self.title)
        cloud = cloud_on(
            axes, data.sample.points, component_colors(data.sample.components), opacity=0.5
        )
        # 1. The data, then the two questions one can ask of it.
        with self.beat("The data"):
            source = self.get_caption(
                r"x_i \sim p_{\text{data}}", "unknown in practice, known here"
            )
            questions = self.get_questions().next_to(source, DOWN, buff=0.7)
            self.play(FadeIn(plane), FadeIn(heading), FadeIn(cloud))
            self.at_sentence(1)
            self.play(FadeIn(source))
            self.at_sentence(2)
            self.play(Indicate(source[1], color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
            self.at_sentence(3)
            self.play(LaggedStart(*(FadeIn(q, shift=0.2 * UP) for q in questions), lag_ratio=0.5))
            self.wait(theme.BEAT_PAUSE)
        # 2. p(y | x): class regions from the fitted model's responsibilities, a probe point
        # that changes colour as it crosses them, then only the boundaries.
        with self.beat("Discriminative"):
            regions = self.get_class_regions(axes)
            label = self.get_caption(r"p_\theta(y \mid x)", "which group a point is in")
            step = ValueTracker(0)
            probe = self.get_probe(axes, step)
            self.play(FadeIn(regions), ReplacementTransform(source, label), FadeOut(questions))
            self.play(FadeIn(probe))
            last = len(data.probe.labels) - 1
            self.play(step.animate.set_value(last), run_time=3.5, rate_func=linear)
            self.at_sentence(1)
            boundaries = self.get_boundaries(axes)
            self.play(FadeOut(probe), FadeIn(boundaries), regions.animate.set_opacity(0.35))
            self.at_sentence(2)  # the regions come from the density model
            bayes = self.get_bayes_rule().next_to(label, DOWN, buff=0.6)
            self.play(regions.animate.set_opacity(self.region_opacity), run_time=1.5)
            self.at_sentence(2, "by Bayes' rule")
            self.play(Write(bayes[0]), run_time=1.5)
            self.play(FadeIn(bayes[1], shift=0.2 * UP))
            self.at_sentence(2, "each point joins")
            self.play(Circumscribe(bayes[0], color=theme.ACCENT), run_time=1.5)
            self.play(regions.animate.set_opacity(0.35), run_time=1.5)
            self.wait(theme.BEAT_PAUSE)
        # 3. p(x): the density surface, and the three Gaussians it is made of.
        with self.beat("Generative"):
            surface = self.get_density_surface(axes)
            new_label = self.get_caption(r"p_\theta(x)", "a density fitted to the data")
            self.play(
                FadeOut(regions),
                FadeOut(boundaries),
                FadeOut(bayes),
                FadeIn(surface),
                cloud.animate.fade(0.7),
                ReplacementTransform(label, new_label),
                run_time=2,
            )
            label = new_label
            self.at_sentence(1)
            rings = self.get_model_rings(axes)
            self.play(LaggedStart(*(Create(r) for r in rings), lag_ratio=0.4), run_time=2.5)
            self.at_sentence(1, "by the EM algorithm")
            em = self.get_em_note().next_to(label, DOWN, buff=0.7)
            self.play(FadeIn(em, shift=0.2 * UP), run_time=1.5)
            self.at_sentence(1, "it is bright")
            self.play(rings.animate.set_stroke(opacity=0.35), cloud.animate.fade(0.5), run_time=2)
            self.wait(theme.BEAT_PAUSE)
            self.at_sentence(2)
            harder = text("harder to learn, and it can generate", theme.BODY_SIZE, theme.ACCENT)
            harder = fit_to_panel(harder).next_to(label, DOWN, buff=0.7)
            self.play(FadeOut(rings), FadeOut(em), FadeIn(harder, shift=0.2 * UP), run_time=1.5)
            self.wait(theme.BEAT_PAUSE)
        # 4. Sampling: new points appear where the density is high.
        with self.beat("Draw a new point"):
            draws = self.get_new_draws(axes)
            equation = MathTex(
                r"x \sim p_\theta(x)", font_size=theme.HEADING_SIZE * 1.3, color=theme.ACCENT
            )
            equation.next_to(label, DOWN, buff=0.8)
            self.play(FadeOut(harder), Write(equation))
            self.play(LaggedStart(*(GrowFromCenter(d) for d in draws), lag_ratio=0.4), run_time=2)
            self.wait(theme.BEAT_PAUSE * 2)

    # ---- pieces -------------------------------------------------------------------------
    def get_caption(self, tex: str, words: str) -> VGroup:
        group = VGroup(
            MathTex(tex, font_size=theme.HEADING_SIZE * 1.3),
            text(words, theme.BODY_SIZE, theme.MUTED),
        ).arrange(DOWN, buff=0.3)
        return fit_to_panel(group).move_to([theme.PANEL_X, 1.2, 0])

    def get_bayes_rule(self) -> VGroup:
        """How the regions come from the density model: p(y | x) by Bayes' rule."""
        rule = MathTex(
            r"p_\theta(y \mid x) \propto p_\theta(y)\, p_\theta(x \mid y)",
            font_size=theme.NUMBER_SIZE * 1.2,
        )
        note = text("Bayes' rule, from the fitted density", theme.SMALL_SIZE, theme.MUTED)
        return fit_to_panel(VGroup(rule, note).arrange(DOWN, buff=0.2))

    def get_em_note(self) -> VGroup:
        return fit_to_panel(
            VGroup(
                text("three Gaussians, fitted by EM", theme.BODY_SIZE),
                text("(expectation maximisation)", theme.SMALL_SIZE, theme.MUTED),
            ).arrange(DOWN, buff=0.12)
        )

    def get_questions(self) -> VGroup:
        lines = VGroup(
            text("Which group is this point in?", theme.BODY_SIZE),
            text("Where do points like these lie?", theme.BODY_SIZE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        return fit_to_panel(lines)

    def get_probe(self, axes: Axes, step: ValueTracker) -> Dot:
        """A point walked along math_core's probe path, coloured by the model's group there."""
        probe = self.lecture.data.probe
        xy = to_scene(axes, probe.points)
        dot = Dot(radius=0.17, stroke_color=theme.TEXT, stroke_width=5)

        def follow(d: Dot) -> None:
            i = round(step.get_value())
            d.move_to([*xy[i], 0]).set_fill(theme.COMPONENT_COLORS[probe.labels[i]], 1)

        follow(dot)
        return dot.add_updater(follow)

    def get_boundaries(self, axes: Axes) -> ImageMobject:
        """The cells where the model's most probable group changes: its decision boundaries."""
        labels = self.lecture.data.model_class_grid.log_density.astype(int)
        edge = np.zeros(labels.shape, bool)
        edge[1:] |= labels[1:] != labels[:-1]
        edge[:, 1:] |= labels[:, 1:] != labels[:, :-1]
        white = np.array(color_to_rgb(theme.TEXT)) * 255
        rgba = np.concatenate(
            [np.broadcast_to(white, (*labels.shape, 3)), 255 * edge[..., None]], axis=-1
        )
        return grid_image(axes, rgba)

    def get_model_rings(self, axes: Axes) -> VGroup:
        """The fitted components' 2 sigma ellipses."""
        return VGroup(
            *(
                curve_on(axes, geo.ellipses[1], theme.COMPONENT_COLORS[k], width=3)
                for k, geo in enumerate(self.lecture.data.model_ellipses)
            )
        )

    def get_class_regions(self, axes: Axes) -> ImageMobject:
        labels = self.lecture.data.model_class_grid.log_density.astype(int)
        palette = np.array([color_to_rgb(c) for c in theme.COMPONENT_COLORS]) * 255
        rgba = np.concatenate(
            [palette[labels], np.full((*labels.shape, 1), 255 * self.region_opacity)], axis=-1
        )
        return grid_image(axes, rgba)

    def get_density_surface(self, axes: Axes) -> ImageMobject:
        log_density = self.lecture.data.model_density.log_density
        # Brightness follows the density itself (not its log), so the peaks stand out.
        level = np.exp(log_density - log_density.max())[..., None]
        glow = np.array(color_to_rgb(theme.ACCENT)) * 255
        rgba = np.concatenate(
            [np.broadcast_to(glow, (*level.shape[:2], 3)), 255 * 0.9 * level], axis=-1
        )
        return grid_image(axes, rgba)

    def get_new_draws(self, axes: Axes) -> VGroup:
        draws = self.lecture.data.new_draws
        xy = to_scene(axes, draws.points)
        return VGroup(
            *(
                Dot(
                    [*p, 0],
                    radius=0.09,
                    color=theme.TEXT,
                    stroke_color=theme.BACKGROUND,
                    stroke_width=2,
                )
                for p in xy
            )
        )
