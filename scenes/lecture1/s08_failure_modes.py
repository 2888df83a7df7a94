"""Scene 8: failure modes: averaging vs dropping modes, objective vs samples, latent paths."""

from __future__ import annotations

from manim import *

from scenes import theme
from scenes.base import LectureScene, fit_to_panel, text
from scenes.mobjects import GrowCloud, cloud_on, component_colors, curve_on, get_plane, to_scene


class FailureModesScene(LectureScene):
    title = "Failure modes to keep in mind"
    section = "Section 8"
    narration = {
        "Averaging or dropping modes": "Fit one Gaussian by maximum likelihood, which "
        "minimises the forward KL from [[p_data|p data]] to [[p_θ|p theta]], and it averages "
        "the modes, covering the gaps. Fit it the other way round, by the reverse KL from "
        "[[p_θ|p theta]] to [[p_data|p data]], and it drops two modes to sit on one, at a "
        "reverse KL of {lec.families.reverse_kl.reverse_kl:.3f}. The reverse KL charges the "
        "model for mass it puts where [[p_data|p data]] is small, so one cluster costs less "
        "than the gaps between three. It also needs the density of [[p_data|p data]] "
        "itself, so it cannot be fitted from samples alone; here we know that density.",
        "Objective versus samples": "Likelihood and sample quality can disagree. Take the "
        "three-Gaussian fit from the start of the lecture and move "
        "{lec.families.objective.junk_percent:.0f} percent of its mass to a tight blob in the "
        "empty middle. Now {lec.families.objective.polluted_far_percent:.1f} percent of its "
        "samples land far from the data, yet the average log-likelihood only falls from "
        "{lec.families.objective.good_avg_log_likelihood:.3f} to "
        "{lec.families.objective.polluted_avg_log_likelihood:.3f}. It cannot fall much "
        "further: moving a share w of the mass costs each point at most minus the log of one "
        "minus w, here {lec.families.objective.loss_bound:.3f}. The polluted model's "
        "average still lies far above the single Gaussian's {lec.fit.mle.avg_log_likelihood:.3f}.",
        "Latent paths": "And a latent interpolation need not be a meaningful walk through "
        "the data. Walk a straight line in z in equal steps of {lec.latent.path.z_step:.2f}: "
        "the decoder turns them into steps from {lec.latent.path.x_step_min:.2f} to "
        "{lec.latent.path.x_step_max:.2f} long in x, slow at the ends and fast in the "
        "middle, along a bent path. These failure modes are what the designs of VAEs and "
        "diffusion models set out to address, in the next lectures.",
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
            self.play(FadeIn(legend[1][0], shift=0.2 * UP), run_time=1.5)
            self.at_sentence(1, "by the reverse KL")
            self.play(FadeIn(legend[1][1], shift=0.2 * UP), run_time=1.5)
            self.at_sentence(1, "and it drops two modes")
            self.play(Create(reverse), run_time=2)
            self.at_sentence(1, "at a reverse KL")
            self.play(FadeIn(legend[1][2], shift=0.2 * UP), run_time=1.5)
            self.play(Indicate(legend[1][1], color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
            self.at_sentence(2)
            self.play(FadeIn(legend[1][3], shift=0.2 * UP), run_time=1.5)
            self.at_sentence(2, "so one cluster costs less")
            self.play(Indicate(reverse, color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
            self.play(Indicate(forward, color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
            self.at_sentence(3)
            self.play(FadeIn(legend[1][4], shift=0.2 * UP), run_time=1.5)
            self.at_sentence(3, "so it cannot be fitted")
            self.play(Circumscribe(legend[1][4], color=theme.ACCENT), run_time=1.5)
            self.at_sentence(3, "here we know")
            self.play(Indicate(legend[1][1], color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
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
            self.play(FadeIn(scores[2], shift=0.2 * UP), run_time=1.5)
            self.at_sentence(2, "yet the average")
            self.play(Indicate(scores[1][1], color=theme.ACCENT, scale_factor=1.1), run_time=1.5)
            self.play(Indicate(scores[2][1], color=theme.ACCENT, scale_factor=1.1), run_time=1.5)
            self.at_sentence(3)  # why it cannot fall far: the bound
            self.play(FadeIn(scores[3], shift=0.2 * UP), run_time=1.5)
            self.at_sentence(3, "costs each point")
            self.play(Circumscribe(scores[3], color=theme.ACCENT), run_time=1.5)
            self.at_sentence(3, ", here")
            self.play(Indicate(scores[3], color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
            self.at_sentence(4)
            self.play(FadeIn(scores[4], shift=0.2 * UP), run_time=1.5)
            self.wait(theme.BEAT_PAUSE)
        # 3. A straight latent segment and its bent image.
        with self.beat("Latent paths"):
            self.play(FadeOut(polluted), FadeOut(scores))
            path = lec.latent.path
            z_line = curve_on(axes, path.z, theme.LATENT_COLOR, 5)
            x_line = curve_on(axes, path.x, theme.DECODED_COLOR, 5)
            z_ticks = self.get_ticks(axes, path.ticks_z, theme.LATENT_COLOR)
            x_ticks = self.get_ticks(axes, path.ticks_x, theme.DECODED_COLOR)
            steps = self.get_steps().move_to([theme.PANEL_X, 0.8, 0])
            self.play(Create(z_line), run_time=1.5)
            self.at_sentence(1)
            self.play(LaggedStart(*(GrowFromCenter(t) for t in z_ticks), lag_ratio=0.15))
            self.play(FadeIn(steps[0]))
            self.play(
                TransformFromCopy(z_line, x_line),
                TransformFromCopy(z_ticks, x_ticks),
                run_time=2.5,
            )
            self.play(FadeIn(steps[1]))
            self.play(Indicate(x_ticks, color=theme.ACCENT, scale_factor=1.3), run_time=1.5)
            self.at_sentence(2)
            self.play(FadeIn(steps[2], shift=0.2 * UP), run_time=1.5)
            self.at_sentence(2, "set out to address")
            self.play(FadeOut(z_ticks), FadeOut(x_ticks), run_time=1.5)
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
                text("charges for mass where data is rare", theme.SMALL_SIZE, theme.MUTED),
                text("needs the data's density, not samples", theme.SMALL_SIZE, theme.ACCENT),
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

    def get_ticks(self, axes: Axes, points, color: str) -> VGroup:
        """A dot at each of the path's equal steps in z (or where they land in x)."""
        return VGroup(
            *(
                Dot([*p, 0], radius=0.06, color=color, stroke_color=theme.BACKGROUND,
                    stroke_width=1.5)
                for p in to_scene(axes, points)
            )
        )  # fmt: skip

    def get_steps(self) -> VGroup:
        path = self.lecture.latent.path
        dz = self.fmt("latent.path.z_step", path.z_step, 2)
        lo = self.fmt("latent.path.x_step_min", path.x_step_min, 2)
        hi = self.fmt("latent.path.x_step_max", path.x_step_max, 2)
        return fit_to_panel(
            VGroup(
                text(f"equal steps in z: {dz} each", theme.BODY_SIZE, theme.LATENT_COLOR),
                text(f"in x = g(z): from {lo} to {hi}", theme.BODY_SIZE, theme.DECODED_COLOR),
                text("VAEs and diffusion: the next lectures", theme.SMALL_SIZE, theme.MUTED),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        )
