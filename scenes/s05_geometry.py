"""Scene 5: the geometry of a 2D Gaussian: level sets, principal axes, correlation."""

from __future__ import annotations

import numpy as np
from manim import *

from scenes import theme
from scenes.base import LectureScene, text
from scenes.mobjects import cloud_on, curve_on, get_plane, to_scene


class GaussianGeometryScene(LectureScene):
    title = "Gaussian geometry: mean, covariance, ellipses"
    narration = {
        "Samples and level sets": "Here are {lec.geometry.samples.shape[0]} samples "
        "from a correlated Gaussian. Its "
        "level sets are ellipses, drawn holding one, two and three standard deviations.",
        "Principal axes": "The ellipses line up with the eigenvectors of the covariance. "
        "Along each one, the spread is the square root of its eigenvalue.",
        "Changing the covariance": "Change the off-diagonal entry and the ellipse turns: "
        "positive correlation tilts it up, zero makes it axis aligned, negative tilts it "
        "down.",
    }
    sweep_time = 6.0

    def construct(self) -> None:
        geo = self.lecture.geometry
        plane = get_plane()
        axes = plane[0]
        heading = self.panel_heading(self.title)
        cloud = cloud_on(axes, geo.samples, theme.LATENT_COLOR, opacity=0.45)
        # 1. Samples, then the 1-3 sigma ellipses.
        with self.beat("Samples and level sets"):
            cov_tex = self.get_covariance_tex().move_to([theme.PANEL_X, 1.6, 0])
            rings = self.get_rings(axes, geo.geometry.ellipses)
            self.play(FadeIn(plane), FadeIn(heading), FadeIn(cloud), Write(cov_tex))
            self.play(LaggedStart(*(Create(r) for r in rings), lag_ratio=0.3), run_time=2)
            self.wait(theme.BEAT_PAUSE)
        # 2. Eigenvectors scaled by sqrt(eigenvalue).
        with self.beat("Principal axes"):
            arrows = self.get_axes_arrows(axes)
            eig = self.get_eigen_tex().next_to(cov_tex, DOWN, buff=0.6)
            self.play(GrowArrow(arrows[0]), GrowArrow(arrows[1]), FadeIn(eig))
            self.wait(theme.BEAT_PAUSE * 2)
        # 3. Sweep the off-diagonal entry; the rings follow.
        with self.beat("Changing the covariance"):
            self.play(FadeOut(arrows), FadeOut(eig), FadeOut(cloud))
            step = ValueTracker(0)
            # Create() added the rings one by one; the group itself must be in the scene
            # for its updater to run.
            self.add(rings)
            rings.add_updater(lambda r: r.become(self.get_sweep_rings(axes, step.get_value())))
            # The matrix shows the entry that moves by name; its value is read out below.
            swept_tex = self.get_covariance_tex(symbolic=True).move_to(cov_tex)
            entry = self.get_entry_readout(step).next_to(swept_tex, DOWN, buff=0.6)
            self.play(FadeTransform(cov_tex, swept_tex), FadeIn(entry))
            self.draw_before(swept_tex, rings)  # beside the plane: not redrawn while rings move
            last = len(geo.sweep_covariances) - 1
            self.play(step.animate.set_value(last), run_time=self.sweep_time, rate_func=linear)
            rings.clear_updaters()
            self.wait(theme.BEAT_PAUSE)

    # ---- pieces -------------------------------------------------------------------------
    def get_rings(self, axes: Axes, ellipses: np.ndarray) -> VGroup:
        widths = (4.0, 3.0, 2.0)
        return VGroup(
            *(curve_on(axes, e, theme.ACCENT, w) for e, w in zip(ellipses, widths, strict=True))
        )

    def get_sweep_rings(self, axes: Axes, s: float) -> VGroup:
        ells = self.lecture.geometry.sweep_ellipses
        i = int(np.clip(round(s), 0, len(ells) - 1))
        return self.get_rings(axes, ells[i])

    def get_covariance_tex(self, symbolic: bool = False) -> MathTex:
        """The covariance matrix; ``symbolic`` names its off-diagonal entry (the swept one)."""
        cov, name = self.lecture.geometry.cov, r"\Sigma_{12}"

        def entry(i: int, j: int) -> str:
            if symbolic and i != j:
                return name
            return self.fmt(f"geometry.cov[{i}][{j}]", cov[i, j], 1)

        tex = MathTex(
            r"\Sigma = \begin{pmatrix}"
            + f"{entry(0, 0)} & {entry(0, 1)} \\\\ {entry(1, 0)} & {entry(1, 1)}"
            + r"\end{pmatrix}",
            font_size=theme.NUMBER_SIZE * 1.3,
            substrings_to_isolate=[name] if symbolic else None,
        )
        return tex.set_color_by_tex(name, theme.ACCENT) if symbolic else tex

    def get_axes_arrows(self, axes: Axes) -> VGroup:
        g = self.lecture.geometry.geometry
        centre = to_scene(axes, self.lecture.geometry.mean[None, :])[0]
        arrows = VGroup()
        for j in (1, 0):
            tip = to_scene(
                axes,
                (self.lecture.geometry.mean + g.axis_lengths[j] * g.eigenvectors[:, j])[None, :],
            )[0]
            arrows.add(
                Arrow([*centre, 0], [*tip, 0], buff=0, color=theme.FIT_COLOR, stroke_width=6)
            )
        return arrows

    def get_eigen_tex(self) -> VGroup:
        g = self.lecture.geometry.geometry
        rows = VGroup()
        for j, name in ((1, "major"), (0, "minor")):
            lam = self.fmt(f"geometry.geometry.eigenvalues[{j}]", g.eigenvalues[j])
            root = self.fmt(f"geometry.geometry.axis_lengths[{j}]", g.axis_lengths[j])
            rows.add(
                VGroup(
                    text(name, theme.SMALL_SIZE, theme.MUTED),
                    MathTex(
                        rf"\lambda = {lam},\ \sqrt{{\lambda}} = {root}",
                        font_size=theme.NUMBER_SIZE * 1.2,
                    ),
                ).arrange(RIGHT, buff=0.3)
            )
        return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.25)

    def get_entry_readout(self, step: ValueTracker) -> VGroup:
        covs = self.lecture.geometry.sweep_covariances
        label = MathTex(r"\Sigma_{12} =", font_size=theme.NUMBER_SIZE * 1.3)
        # Starts and ends at the lecture's value, which is what gets recorded.
        value = self.live_number("geometry.cov[0][1]", float(covs[0, 0, 1]), 2, theme.ACCENT)

        def update(num: DecimalNumber) -> None:
            i = int(np.clip(round(step.get_value()), 0, len(covs) - 1))
            num.set_value(float(covs[i, 0, 1]))

        value.add_updater(update)
        return VGroup(label, value).arrange(RIGHT, buff=0.2)
