"""Scene 8: failure modes: averaging vs dropping modes, objective vs samples, latent paths."""

from __future__ import annotations

from manim import *

from scenes import theme
from scenes.base import LectureScene, fit_to_panel, text
from scenes.mobjects import cloud_on, component_colors, curve_on, get_plane


class FailureModesScene(LectureScene):
    title = "Failure modes to keep in mind"
    narration = {
        "Averaging or dropping modes": "Fit one Gaussian by maximum likelihood and it "
        "averages the modes, covering the gaps. Fit it the other way round, by reverse KL, "
        "and it drops two modes to sit on one.",
        "Objective versus samples": "A better likelihood does not always mean better "
        "samples: likelihood rewards covering everything, while a viewer judges each sample "
        "on its own.",
        "Latent paths": "And a straight line in latent space need not stay straight in data "
        "space. The decoder bends it, so interpolating codes can wander.",
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
            legend = self.get_legend().move_to([theme.PANEL_X, 1.3, 0])
            self.play(FadeIn(plane), FadeIn(heading), FadeIn(cloud))
            self.play(Create(forward), FadeIn(legend[0]))
            self.play(Create(reverse), FadeIn(legend[1]))
            self.wait(theme.BEAT_PAUSE * 2)
        # 2. Scores are not samples.
        with self.beat("Objective versus samples"):
            scores = self.get_scores().next_to(legend, DOWN, buff=0.6)
            self.play(FadeIn(scores, shift=0.2 * UP))
            self.wait(theme.BEAT_PAUSE * 3)
        # 3. A straight latent segment and its bent image.
        with self.beat("Latent paths"):
            self.play(*(FadeOut(m) for m in (forward, reverse, legend, scores, cloud)))
            path = lec.latent.path
            z_line = curve_on(axes, path.z, theme.LATENT_COLOR, 5)
            x_line = curve_on(axes, path.x, theme.DECODED_COLOR, 5)
            lengths = self.get_lengths().move_to([theme.PANEL_X, 0.8, 0])
            self.play(Create(z_line), FadeIn(lengths[0]))
            self.play(TransformFromCopy(z_line, x_line), FadeIn(lengths[1]), run_time=2)
            self.wait(theme.BEAT_PAUSE * 2)

    # ---- pieces -------------------------------------------------------------------------
    def get_rings(self, axes: Axes, ellipses, color: str) -> VGroup:
        return VGroup(
            *(curve_on(axes, e, color, w) for e, w in zip(ellipses[:2], (4.0, 2.5), strict=True))
        )

    def get_legend(self) -> VGroup:
        rkl = self.fmt(
            "families.reverse_kl.reverse_kl", self.lecture.families.reverse_kl.reverse_kl
        )
        rows = VGroup(
            VGroup(
                text("forward KL (maximum likelihood)", theme.BODY_SIZE, theme.FIT_COLOR),
                text("covers every mode, and the gaps", theme.SMALL_SIZE, theme.MUTED),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.1),
            VGroup(
                text("reverse KL", theme.BODY_SIZE, theme.MODEL_COLOR),
                text(f"sits on one mode, KL(q‖p) = {rkl}", theme.SMALL_SIZE, theme.MUTED),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.1),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        return fit_to_panel(rows)

    def get_scores(self) -> VGroup:
        fit, em = self.lecture.fit, self.lecture.families.em
        one = self.fmt("fit.mle.avg_log_likelihood", fit.mle.avg_log_likelihood)
        three = self.fmt("families.em.avg_log_likelihoods[-1]", float(em.avg_log_likelihoods[-1]))
        rows = VGroup(
            text("average log-likelihood on the data", theme.SMALL_SIZE, theme.MUTED),
            MathTex(
                rf"\text{{one Gaussian: }} {{{one}}}",
                font_size=theme.NUMBER_SIZE * 1.2,
                color=theme.FIT_COLOR,
            ),
            MathTex(rf"\text{{three (EM): }} {{{three}}}", font_size=theme.NUMBER_SIZE * 1.2),
            text("higher is better, yet a model can score well", theme.SMALL_SIZE, theme.MUTED),
            text("and still draw implausible samples", theme.SMALL_SIZE, theme.MUTED),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        return fit_to_panel(rows)

    def get_lengths(self) -> VGroup:
        path = self.lecture.latent.path
        zl = self.fmt("latent.path.z_length", path.z_length, 2)
        xl = self.fmt("latent.path.x_length", path.x_length, 2)
        return VGroup(
            text(f"straight in z: length {zl}", theme.BODY_SIZE, theme.LATENT_COLOR),
            text(f"bent in x = g(z): length {xl}", theme.BODY_SIZE, theme.DECODED_COLOR),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
