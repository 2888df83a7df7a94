"""Scene 3: one Gaussian fitted by maximum likelihood to three clusters, and the KL view."""

from __future__ import annotations

import numpy as np
from manim import *

from scenes import theme
from scenes.base import LectureScene, fit_to_panel, text
from scenes.mobjects import cloud_on, component_colors, curve_on, get_plane, to_scene


class SingleGaussianFitScene(LectureScene):
    title = "Fitting one Gaussian by maximum likelihood"
    narration = {
        "A poor first guess": "Suppose our model is a single Gaussian. Start from a vague "
        "guess: broad, and centred in the wrong place. Its average log-likelihood is low.",
        "Climbing to the MLE": "Maximum likelihood moves the mean and covariance until the "
        "average log-likelihood is as high as it can go: "
        "{lec.fit.mle.avg_log_likelihood:.3f} for this data.",
        "Mode averaging": "The optimiser did its job, but one ellipse cannot be three "
        "clusters. It puts mass in the empty middle: the model family is too simple.",
        "The KL view": "Average negative log-likelihood is a cross-entropy: the data's own "
        "entropy plus the KL divergence to the model. The true mixture scores higher; the "
        "gap between them is exactly the KL.",
    }
    climb_time = 6.0

    def construct(self) -> None:
        fit = self.lecture.fit
        plane = get_plane()
        axes = plane[0]
        heading = self.panel_heading(self.title)
        sample = self.lecture.data.sample
        cloud = cloud_on(axes, sample.points, component_colors(sample.components), opacity=0.45)
        step = ValueTracker(0)
        # 1. A vague starting Gaussian and its score.
        with self.beat("A poor first guess"):
            rings = always_redraw(lambda: self.get_rings(axes, step.get_value()))
            score = self.get_score_panel(step).move_to([theme.PANEL_X, 1.4, 0])
            self.play(FadeIn(plane), FadeIn(heading), FadeIn(cloud))
            self.play(Create(rings), FadeIn(score))
            self.wait(theme.BEAT_PAUSE)
        # 2. Follow the path of parameters to the MLE; the score ticks up.
        with self.beat("Climbing to the MLE"):
            argmax = MathTex(
                r"\theta^* = \arg\max_\theta \sum_{i=1}^{N} \log p_\theta(x_i)",
                font_size=theme.NUMBER_SIZE * 1.2,
            ).next_to(score, DOWN, buff=0.5)
            self.play(Write(argmax))
            self.draw_before(argmax, rings)  # beside the plane: not redrawn while rings move
            last = len(fit.path.t) - 1
            self.play(step.animate.set_value(last), run_time=self.climb_time, rate_func=linear)
            # Arrived: the rings and the score stop following the tracker. With an updater,
            # Manim redraws them, and everything added after them, at every later frame.
            rings.clear_updaters()
            score[1].clear_updaters()
            self.wait(theme.BEAT_PAUSE)
            self.play(FadeOut(argmax))
        # 3. The best single Gaussian still averages the modes.
        with self.beat("Mode averaging"):
            note = self.get_mode_note().next_to(score, DOWN, buff=0.6)
            marker = self.get_mean_marker(axes)
            self.play(FadeIn(note), Create(marker))
            self.wait(theme.BEAT_PAUSE * 2)
        # 4. Cross-entropy = entropy + KL, with the lecture's numbers.
        with self.beat("The KL view"):
            table = self.get_kl_table().move_to([theme.PANEL_X, -1.5, 0])
            self.play(FadeOut(note), FadeOut(marker), Write(table[0]))
            self.play(FadeIn(table[1:], shift=0.2 * UP))
            self.wait(theme.BEAT_PAUSE * 3)

    # ---- pieces -------------------------------------------------------------------------
    def get_rings(self, axes: Axes, s: float) -> VGroup:
        """The 1-3 sigma ellipses at fractional step ``s`` of the fit path."""
        ells = self.lecture.fit.path_ellipses
        i = int(np.clip(np.floor(s), 0, len(ells) - 2))
        f = float(np.clip(s - i, 0.0, 1.0))
        # 1 and 2 sigma only: the 3 sigma ring of a broad Gaussian leaves the plane.
        shapes = ((1 - f) * ells[i] + f * ells[i + 1])[:2]
        widths = (4.0, 2.5)
        return VGroup(
            *(
                curve_on(axes, ring, theme.FIT_COLOR, w)
                for ring, w in zip(shapes, widths, strict=True)
            )
        )

    def get_score_panel(self, step: ValueTracker) -> VGroup:
        path = self.lecture.fit.path
        label = text("average log-likelihood", theme.BODY_SIZE, theme.MUTED)
        value = self.live_number(
            "fit.mle.avg_log_likelihood",
            self.lecture.fit.mle.avg_log_likelihood,
            3,
            theme.FIT_COLOR,
        )
        steps = np.arange(len(path.t))

        def update(num: DecimalNumber) -> None:
            num.set_value(float(np.interp(step.get_value(), steps, path.avg_log_likelihoods)))

        value.add_updater(update)
        update(value)
        return VGroup(label, value).arrange(DOWN, buff=0.25)

    def get_mode_note(self) -> VGroup:
        return VGroup(
            text("The best single Gaussian", theme.BODY_SIZE),
            text("spreads over all three modes", theme.BODY_SIZE),
            text("and peaks where no data lives.", theme.BODY_SIZE, theme.FIT_COLOR),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)

    def get_mean_marker(self, axes: Axes) -> Cross:
        centre = to_scene(axes, self.lecture.fit.mle.mean[None, :])[0]
        return Cross(scale_factor=0.12, stroke_color=theme.ACCENT).move_to([*centre, 0])

    def get_kl_table(self) -> VGroup:
        fit = self.lecture.fit
        size = theme.NUMBER_SIZE * 1.2
        identity = MathTex(
            r"\underbrace{\mathbb E[-\log q]}_{\text{cross-entropy}}", "=",
            r"\underbrace{H(p_{\text{data}})}_{\text{entropy}}", "+",
            r"\underbrace{D_{\mathrm{KL}}(p_{\text{data}}\,\|\,q)}_{\text{mismatch}}",
            font_size=size,
        )  # fmt: skip
        g, m = fit.data_split_gaussian, fit.data_split_mixture
        rows = VGroup()
        for label, split, key, color in (
            ("one Gaussian", g, "data_split_gaussian", theme.FIT_COLOR),
            ("true mixture", m, "data_split_mixture", theme.TEXT),
        ):
            ce = self.fmt(f"fit.{key}.cross_entropy", split.cross_entropy)
            h = self.fmt(f"fit.{key}.entropy", split.entropy)
            kl = self.fmt(f"fit.{key}.kl", split.kl)
            row = VGroup(
                text(label, theme.SMALL_SIZE, color),
                MathTex(f"{ce} = {h} + {kl}", font_size=size, color=color),
            ).arrange(RIGHT, buff=0.35)
            rows.add(row)
        rows.arrange(DOWN, aligned_edge=RIGHT, buff=0.25)
        mc = fit.mc_split_gaussian
        kl_mc = self.fmt("fit.mc_split_gaussian.kl", mc.kl)
        se = self.fmt("fit.mc_split_gaussian.kl_se", mc.kl_se)
        n = self.fmt("fit.mc_split_gaussian.n_samples", mc.n_samples, 0)
        check = VGroup(
            text(f"Monte Carlo, {n} fresh samples:", theme.SMALL_SIZE, theme.MUTED),
            text(f"KL = {kl_mc} ± {se}", theme.SMALL_SIZE, theme.MUTED),
        ).arrange(DOWN, buff=0.1)
        return fit_to_panel(VGroup(identity, rows, check).arrange(DOWN, buff=0.35))
