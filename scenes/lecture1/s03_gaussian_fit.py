"""Scene 3: one Gaussian fitted by maximum likelihood to three clusters, and the KL view."""

from __future__ import annotations

import numpy as np
from manim import *

from scenes import theme
from scenes.base import LectureScene, fit_to_panel, text
from scenes.mobjects import cloud_on, component_colors, curve_on, get_plane, to_scene


class SingleGaussianFitScene(LectureScene):
    title = "Fitting one Gaussian by maximum likelihood"
    section = "Section 3"
    narration = {
        "A poor first guess": "Now let the model [[p_θ|p theta]] be a single Gaussian. Start "
        "from a "
        "vague guess, broad and off centre: its average log-likelihood is low.",
        "The closed-form MLE": "Maximum likelihood picks the parameters under which the "
        "observed points are most probable: it pushes probability mass toward the samples. "
        "For a Gaussian the answer needs no search: the sample mean, here "
        "({lec.fit.mle.mean[0]:.2f}, {lec.fit.mle.mean[1]:.2f}), and the spread of the points "
        "about it, [[divided by N|divided by the number of points]]. The animation walks a "
        "path of Gaussians to that answer, and the average log-likelihood rises to "
        "{lec.fit.mle.avg_log_likelihood:.3f}. The source code's "
        "[[np.cov|numpy cov]] divides by one less, the unbiased estimate; with this many "
        "points its average log-likelihood is also {lec.fit.unbiased.avg_log_likelihood:.3f}.",
        "Mode averaging": "No single Gaussian does better on these points, and still the "
        "fit is poor: one ellipse cannot be three clusters. It spreads over all three and "
        "peaks in the empty middle. The estimate is right; the model family is too simple. "
        "That is why we need richer families: latent-variable, autoregressive and "
        "diffusion models.",
        "The KL view": "Why maximise likelihood at all? Averaged over [[p_data|p data]], "
        "the negative log-likelihood is a cross-entropy. Add and subtract log "
        "[[p_data|p data]] inside "
        "the expectation, and it splits into the entropy of [[p_data|p data]] plus the KL "
        "divergence "
        "from [[p_data|p data]] to [[p_θ|p theta]]. The entropy does not depend on "
        "[[θ|theta]], so in expectation, maximising likelihood minimises the KL.",
        "On our sample": "A sample only lets us average over the points we have: minimising "
        "the negative log-likelihood on it minimises the empirical cross-entropy. Because we "
        "know [[p_data|p data]] here, the same split can be computed on our "
        "{lec.data.sample.points.shape[0]} points. Lower cross-entropy is better: the "
        "Gaussian's exceeds the entropy term by {lec.fit.data_split_gaussian.kl:.3f}, the "
        "sample's KL, while for [[p_data|p data]] itself the KL term is zero. "
        "Fresh samples from [[p_data|p data]] estimate the true KL at "
        "{lec.fit.mc_split_gaussian.kl:.3f}. The two differ because both are estimates: the "
        "first reuses the points the Gaussian was fitted to, and each carries sampling "
        "error.",
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
            self.at_sentence(1)
            self.play(Create(rings), run_time=1.5)
            self.play(FadeIn(score))
            self.wait(theme.BEAT_PAUSE)
        # 2. The closed form, while a path of Gaussians walks to it; the score ticks up.
        with self.beat("The closed-form MLE"):
            closed = self.get_closed_form().next_to(score, DOWN, buff=0.5)
            self.play(Write(closed[0]), run_time=1.5)
            self.at_sentence(0, "it pushes probability mass")
            self.play(Circumscribe(closed[0], color=theme.ACCENT), run_time=1.5)
            self.at_sentence(1)  # the answer, in closed form
            self.play(Indicate(closed[0], color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
            self.at_sentence(1, "the sample mean")
            mean = to_scene(axes, fit.mle.mean[None, :])[0]
            self.play(FadeIn(closed[1], shift=0.2 * UP), Flash([*mean, 0], color=theme.ACCENT))
            self.at_sentence(1, "and the spread")
            self.play(FadeIn(closed[2], shift=0.2 * UP), run_time=1.5)
            for part in closed[:3]:  # beside the plane: not redrawn while rings move
                self.draw_before(part, rings)
            self.at_sentence(2)
            last = len(fit.path.t) - 1
            self.play(step.animate.set_value(last), run_time=self.climb_time, rate_func=linear)
            # Arrived: the rings and the score stop following the tracker. With an updater,
            # Manim redraws them, and everything added after them, at every later frame.
            rings.clear_updaters()
            score[1].clear_updaters()
            self.at_sentence(3)
            self.play(FadeIn(closed[3], shift=0.2 * UP), run_time=1.5)
            self.at_sentence(3, "with this many points")
            self.play(Indicate(closed[3][1], color=theme.ACCENT), run_time=1.5)
            self.play(Indicate(score[1], color=theme.ACCENT), run_time=1.5)
            self.wait(theme.BEAT_PAUSE)
            self.play(FadeOut(closed))
        # 3. The best single Gaussian still averages the modes.
        with self.beat("Mode averaging"):
            note = self.get_mode_note().next_to(score, DOWN, buff=0.6)
            marker = self.get_mean_marker(axes)
            clusters = self.get_cluster_marks(axes)
            self.play(FadeIn(note[0]), run_time=1.5)
            self.play(LaggedStart(*(Create(c) for c in clusters), lag_ratio=0.6), run_time=3)
            self.at_sentence(1)
            self.play(FadeIn(note[1]), FadeOut(clusters))
            self.play(Create(marker), FadeIn(note[2]), run_time=1.5)
            self.play(Indicate(marker, color=theme.ACCENT, scale_factor=1.6), run_time=1.5)
            self.at_sentence(2)
            self.play(FadeIn(note[3], shift=0.2 * UP), run_time=1.5)
            self.at_sentence(3)
            self.play(FadeIn(note[4], shift=0.2 * UP), run_time=1.5)
            self.wait(theme.BEAT_PAUSE)
        # 4. Cross-entropy = entropy + KL, derived in one line.
        with self.beat("The KL view"):
            derivation = self.get_derivation()
            derivation.next_to(heading, DOWN, buff=0.35).set_x(theme.PANEL_X)
            self.play(FadeOut(note), FadeOut(marker), FadeOut(score))
            self.at_sentence(1)
            self.play(Write(derivation[0]))
            self.at_sentence(2)
            self.play(Write(derivation[1]), run_time=2)
            self.play(Write(derivation[2]), run_time=2)
            self.at_sentence(3)
            self.play(FadeIn(derivation[3], shift=0.2 * UP))
            self.play(Circumscribe(derivation[2], color=theme.ACCENT), run_time=1.5)
            self.wait(theme.BEAT_PAUSE)
        # 5. The same split on the 3200 points, with the lecture's numbers.
        with self.beat("On our sample"):
            table = self.get_kl_table().next_to(derivation, DOWN, buff=0.4)
            self.play(Indicate(derivation[0], color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
            self.at_sentence(0, "minimising the negative")
            self.play(FadeIn(table[0], shift=0.2 * UP), run_time=1.5)
            self.at_sentence(0, "the empirical cross-entropy")
            self.play(Indicate(table[0], color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
            self.at_sentence(1)
            self.play(FadeIn(table[1], shift=0.2 * UP), run_time=1.5)
            self.at_sentence(2)
            self.play(Create(SurroundingRectangle(table[1][0], color=theme.FIT_COLOR, buff=0.1)))
            self.play(Circumscribe(table[1][0][1], color=theme.ACCENT), run_time=1.5)
            self.play(Indicate(table[1][1], color=theme.TEXT, scale_factor=1.1), run_time=1.5)
            self.at_sentence(3)
            self.play(FadeIn(table[2][1], shift=0.2 * UP))
            self.at_sentence(4)
            self.play(FadeIn(table[2][0], shift=0.2 * UP))
            self.at_sentence(4, "the first reuses")
            self.play(Indicate(table[1][0][1], color=theme.ACCENT, scale_factor=1.1), run_time=1.5)
            self.at_sentence(4, "and each carries")
            self.play(Indicate(table[2], color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
            self.wait(theme.BEAT_PAUSE)

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
        return fit_to_panel(
            VGroup(
                text("The best single Gaussian", theme.BODY_SIZE),
                text("spreads over all three modes", theme.BODY_SIZE),
                text("and peaks where no data lives.", theme.BODY_SIZE, theme.FIT_COLOR),
                text("Right estimate, too simple a family.", theme.BODY_SIZE, theme.ACCENT),
                text("Richer families come next.", theme.BODY_SIZE, theme.MUTED),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        )

    def get_cluster_marks(self, axes: Axes) -> VGroup:
        """A ring round each of p_data's three clusters (its components' 2 sigma ellipses)."""
        return VGroup(
            *(
                DashedVMobject(curve_on(axes, geo.ellipses[1], theme.COMPONENT_COLORS[k], 2.5))
                for k, geo in enumerate(self.lecture.data.component_ellipses)
            )
        )

    def get_mean_marker(self, axes: Axes) -> Cross:
        centre = to_scene(axes, self.lecture.fit.mle.mean[None, :])[0]
        return Cross(scale_factor=0.12, stroke_color=theme.ACCENT).move_to([*centre, 0])

    def get_closed_form(self) -> VGroup:
        """The maximiser (mean and covariance divided by N), and the source's np.cov beside it."""
        fit = self.lecture.fit
        size = theme.NUMBER_SIZE * 1.1
        mean = [self.fmt(f"fit.mle.mean[{j}]", fit.mle.mean[j], 2) for j in range(2)]
        unbiased = self.fmt("fit.unbiased.avg_log_likelihood", fit.unbiased.avg_log_likelihood)
        rows = VGroup(
            MathTex(
                r"\theta^* = \arg\max_\theta \sum_{i=1}^{N} \log p_\theta(x_i)",
                font_size=size,
            ),
            MathTex(
                rf"\hat\mu = \frac{{1}}{{N}}\sum_{{i=1}}^{{N}} x_i = ({mean[0]},\ {mean[1]})",
                font_size=size,
            ),
            MathTex(
                r"\hat\Sigma = \frac{1}{N}\sum_{i=1}^{N}(x_i-\hat\mu)(x_i-\hat\mu)^{\top}",
                font_size=size,
            ),
            VGroup(
                text("np.cov divides by N − 1 (unbiased):", theme.SMALL_SIZE, theme.MUTED),
                MathTex(unbiased, font_size=theme.SMALL_TEX_SIZE, color=theme.MUTED),
            ).arrange(RIGHT, buff=0.15),
        ).arrange(DOWN, buff=0.26)
        return fit_to_panel(rows)

    def get_derivation(self) -> VGroup:
        """E[-log p_theta] = E[-log p_data] + E[log p_data / p_theta] = H + KL."""
        size = theme.NUMBER_SIZE * 1.05
        data = r"p_{\text{data}}"
        rows = VGroup(
            MathTex(rf"\mathbb E_{{x\sim {data}}}\left[-\log p_\theta(x)\right]", font_size=size),
            MathTex(
                rf"= \mathbb E\left[-\log {data}(x)\right]"
                rf" + \mathbb E\left[\log \frac{{{data}(x)}}{{p_\theta(x)}}\right]",
                font_size=size,
            ),
            MathTex(
                rf"= \underbrace{{H({data})}}_{{\text{{entropy}}}} + "
                rf"\underbrace{{D_{{\mathrm{{KL}}}}({data}\,\|\,p_\theta)}}"
                r"_{\text{mismatch}}",
                font_size=size,
            ),
            MathTex(
                rf"H({data}) \text{{ does not depend on }} \theta",
                font_size=size,
                color=theme.ACCENT,
            ),
        ).arrange(DOWN, buff=0.25)
        rows[1].align_to(rows[0], LEFT).shift(0.4 * RIGHT)
        rows[2].align_to(rows[1], LEFT)
        rows[3].set_x(rows[:3].get_x())
        return fit_to_panel(rows)

    def get_kl_table(self) -> VGroup:
        fit = self.lecture.fit
        size = theme.NUMBER_SIZE * 1.1
        n = self.fmt("data.sample.points.shape[0]", self.lecture.data.sample.points.shape[0], 0)
        header = text(
            f"empirical: averages over our {n} points (lower is better)",
            theme.SMALL_SIZE,
            theme.MUTED,
        )
        g, m = fit.data_split_gaussian, fit.data_split_mixture
        rows = VGroup()
        data_label = MathTex(
            r"p_{\text{data}}\ \text{itself}", font_size=theme.SMALL_TEX_SIZE, color=theme.TEXT
        )
        for label, split, key, color in (
            (text("one Gaussian", theme.SMALL_SIZE, theme.FIT_COLOR), g, "data_split_gaussian",
             theme.FIT_COLOR),
            (data_label, m, "data_split_mixture", theme.TEXT),
        ):  # fmt: skip
            ce = self.fmt(f"fit.{key}.cross_entropy", split.cross_entropy)
            h = self.fmt(f"fit.{key}.entropy", split.entropy)
            kl = self.fmt(f"fit.{key}.kl", split.kl)
            row = VGroup(
                label,
                MathTex(f"{ce} = {h} + {kl}", font_size=size, color=color),
            ).arrange(RIGHT, buff=0.35)
            rows.add(row)
        rows.arrange(DOWN, aligned_edge=RIGHT, buff=0.25)
        mc = fit.mc_split_gaussian
        kl_mc = self.fmt("fit.mc_split_gaussian.kl", mc.kl)
        se = self.fmt("fit.mc_split_gaussian.kl_se", mc.kl_se)
        n_mc = self.fmt("fit.mc_split_gaussian.n_samples", mc.n_samples, 0)
        se_sample = self.fmt("fit.data_split_gaussian.kl_se", g.kl_se)
        check = VGroup(
            text(f"sample's KL: ± {se_sample} standard error", theme.SMALL_SIZE, theme.MUTED),
            text(f"{n_mc} fresh samples: KL = {kl_mc} ± {se}", theme.SMALL_SIZE, theme.MUTED),
        ).arrange(DOWN, aligned_edge=RIGHT, buff=0.12)
        return fit_to_panel(VGroup(header, rows, check).arrange(DOWN, buff=0.3))
