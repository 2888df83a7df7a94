"""Scene 8: failure modes: averaging vs dropping modes, objective vs samples, latent paths."""

from __future__ import annotations

from manim import *

from scenes import theme
from scenes.base import LectureScene, fit_to_panel, text
from scenes.mobjects import GrowCloud, cloud_on, component_colors, curve_on, get_plane


class FailureModesScene(LectureScene):
    title = "Failure modes to keep in mind"
    section = "Section 8"
    narration = {
        "Averaging or dropping modes": "Fit one Gaussian by maximum likelihood, the forward "
        "KL from [[p_data|p data]] to [[p_θ|p theta]], and it averages the modes, covering the "
        "gaps. Fit it the "
        "other way round, by the reverse KL, and it drops two modes to sit on one.",
        "Objective versus samples": "Likelihood and sample quality can disagree. Take the "
        "three-Gaussian fit and move {lec.families.objective.junk_percent:.0f} percent of "
        "its mass to a tight blob in the empty middle. About one sample in five is now "
        "implausible, yet the average log-likelihood only falls from "
        "{lec.families.objective.good_avg_log_likelihood:.3f} to "
        "{lec.families.objective.polluted_avg_log_likelihood:.3f}, still far above the "
        "single Gaussian's {lec.fit.mle.avg_log_likelihood:.3f}.",
        "Latent paths": "And a straight line in latent space need not stay straight in data "
        "space. The decoder bends it, so interpolating codes can wander. These failure modes "
        "are what the designs of VAEs and diffusion models set out to address, in the next "
        "lectures.",
    }

    def construct(self) -> None:
        lec = self.lecture
        plane = get_plane()
        axes = plane[0]
        heading = self.panel_heading(self.title)
        sample = lec.data.sample
        cloud = cloud_on(axes, sample.points, component_colors(sample.components), opacity=0.35)
        # 1. Forward KL (MLE) spreads; reverse KL locks onto one mode.
        with self.beat("Averaging or dropping modes"):
            forward = self.get_rings(axes, lec.fit.ellipses.ellipses, theme.FIT_COLOR)
            reverse = self.get_rings(
                axes, lec.families.reverse_kl_ellipses.ellipses, theme.MODEL_COLOR
            )
            legend = self.get_legend().next_to(heading, DOWN, buff=0.5).set_x(theme.PANEL_X)
            self.play(FadeIn(plane), FadeIn(heading), FadeIn(cloud))
            self.play(Create(forward), run_time=2)
            self.play(FadeIn(legend[0], shift=0.2 * UP))
            self.wait(theme.BEAT_PAUSE)
            self.at_sentence(1)
            self.play(Create(reverse), run_time=2)
            self.play(FadeIn(legend[1], shift=0.2 * UP))
            self.wait(theme.BEAT_PAUSE)
        # 2. Two models with close scores and very different samples.
        with self.beat("Objective versus samples"):
            demo = lec.families.objective
            good = cloud_on(axes, demo.good_samples, theme.MODEL_COLOR, opacity=0.8)
            junk = [theme.ACCENT if j else theme.MODEL_COLOR for j in demo.polluted_is_junk]
            polluted = cloud_on(axes, demo.polluted_samples, junk, opacity=0.8)
            scores = self.get_scores().next_to(heading, DOWN, buff=0.5).set_x(theme.PANEL_X)
            self.play(*(FadeOut(m) for m in (forward, reverse, legend, cloud)))
            self.play(FadeIn(good), FadeIn(scores[:2]))
            self.wait(theme.BEAT_PAUSE)
            self.at_sentence(1)
            self.play(FadeOut(good))
            self.play(GrowCloud(polluted), run_time=3)
            self.at_sentence(2)
            # The three scores as the sentence reaches each one.
            for row in scores[2:]:
                self.play(FadeIn(row, shift=0.2 * UP), run_time=2)
                self.wait(theme.BEAT_PAUSE)
        # 3. A straight latent segment and its bent image.
        with self.beat("Latent paths"):
            self.play(FadeOut(polluted), FadeOut(scores))
            path = lec.latent.path
            z_line = curve_on(axes, path.z, theme.LATENT_COLOR, 5)
            x_line = curve_on(axes, path.x, theme.DECODED_COLOR, 5)
            lengths = self.get_lengths().move_to([theme.PANEL_X, 0.8, 0])
            self.play(Create(z_line), run_time=1.5)
            self.play(FadeIn(lengths[0]))
            self.at_sentence(1)
            self.play(TransformFromCopy(z_line, x_line), run_time=2.5)
            self.play(FadeIn(lengths[1]))
            self.at_sentence(2)
            self.play(FadeIn(lengths[2], shift=0.2 * UP), run_time=1.5)
            # Once more, the straight codes and the bent path they decode to.
            self.play(Indicate(z_line, color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
            self.play(Indicate(x_line, color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
            self.wait(theme.BEAT_PAUSE)

    # ---- pieces -------------------------------------------------------------------------
    def get_rings(self, axes: Axes, ellipses, color: str) -> VGroup:
        return VGroup(
            *(curve_on(axes, e, color, w) for e, w in zip(ellipses[:2], (4.0, 2.5), strict=True))
        )

    def get_legend(self) -> VGroup:
        rkl = self.fmt(
            "families.reverse_kl.reverse_kl", self.lecture.families.reverse_kl.reverse_kl
        )
        data = r"p_{\text{data}}"
        size = theme.NUMBER_SIZE * 1.05
        rows = VGroup(
            VGroup(
                text("maximum likelihood", theme.BODY_SIZE, theme.FIT_COLOR),
                MathTex(
                    rf"\min_\theta D_{{\mathrm{{KL}}}}({data}\,\|\,p_\theta)",
                    font_size=size,
                    color=theme.FIT_COLOR,
                ),
                text("covers every mode, and the gaps", theme.SMALL_SIZE, theme.MUTED),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.12),
            VGroup(
                text("reverse KL", theme.BODY_SIZE, theme.MODEL_COLOR),
                MathTex(
                    rf"\min_\theta D_{{\mathrm{{KL}}}}(p_\theta\,\|\,{data}) = {rkl}",
                    font_size=size,
                    color=theme.MODEL_COLOR,
                ),
                text("sits on one mode", theme.SMALL_SIZE, theme.MUTED),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.12),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.4)
        return fit_to_panel(rows)

    def get_scores(self) -> VGroup:
        """Header; the good model's row; the polluted one's; what it shows (rows 3-4)."""
        demo, fit = self.lecture.families.objective, self.lecture.fit
        size = theme.NUMBER_SIZE * 1.1
        good = self.fmt("families.objective.good_avg_log_likelihood", demo.good_avg_log_likelihood)
        bad = self.fmt(
            "families.objective.polluted_avg_log_likelihood", demo.polluted_avg_log_likelihood
        )
        good_far = self.fmt("families.objective.good_far_percent", demo.good_far_percent, 1)
        bad_far = self.fmt("families.objective.polluted_far_percent", demo.polluted_far_percent, 1)
        junk = self.fmt("families.objective.junk_percent", demo.junk_percent, 0)
        one = self.fmt("fit.mle.avg_log_likelihood", fit.mle.avg_log_likelihood)
        bound = self.fmt("families.objective.loss_bound", demo.loss_bound)
        header = text("avg log-likelihood | samples far from data", theme.SMALL_SIZE, theme.MUTED)

        def row(name: str, score: str, far: str, color: str) -> VGroup:
            return VGroup(
                text(name, theme.SMALL_SIZE, color),
                MathTex(rf"{score} \quad\ {far}\%", font_size=size, color=color),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)

        return fit_to_panel(
            VGroup(
                header,
                row("three Gaussians (EM)", good, good_far, theme.MODEL_COLOR),
                row(f"same, w = {junk}% moved to the gap", bad, bad_far, theme.ACCENT),
                MathTex(
                    rf"\text{{at most }} -\log(1-w) = {bound} \text{{ lost}}",
                    font_size=size,
                    color=theme.MUTED,
                ),
                MathTex(rf"\text{{one Gaussian: }} {one}", font_size=size, color=theme.FIT_COLOR),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        )

    def get_lengths(self) -> VGroup:
        path = self.lecture.latent.path
        zl = self.fmt("latent.path.z_length", path.z_length, 2)
        xl = self.fmt("latent.path.x_length", path.x_length, 2)
        return VGroup(
            text(f"straight in z: length {zl}", theme.BODY_SIZE, theme.LATENT_COLOR),
            text(f"bent in x = g(z): length {xl}", theme.BODY_SIZE, theme.DECODED_COLOR),
            text("VAEs and diffusion: the next lectures", theme.SMALL_SIZE, theme.MUTED),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
