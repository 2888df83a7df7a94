"""Scene 5: the geometry of a 2D Gaussian: level sets, principal axes, correlation."""

from __future__ import annotations

import numpy as np
from manim import *

from scenes import theme
from scenes.base import LectureScene, text
from scenes.mobjects import cloud_on, curve_on, get_plane, to_scene


class GaussianGeometryScene(LectureScene):
    title = "Gaussian geometry: mean, covariance, ellipses"
    section = "Section 5"
    reasons = (
        ("Closed forms", "sums, marginals, conditionals stay Gaussian"),
        ("Noise", "models perturb data with Gaussian noise"),
        ("Posteriors", "latent posteriors approximated by diagonal Gaussians"),
    )
    narration = {
        "Why Gaussians": "Why are Gaussians everywhere in generative models? For three "
        "reasons. Their manipulations have closed forms. Adding noise naturally means adding "
        "Gaussian perturbations. And the posterior over a latent variable is often "
        "approximated by a Gaussian with diagonal covariance.",
        "Samples and level sets": "Here are {lec.geometry.samples.shape[0]} samples "
        "from a correlated Gaussian. Its level sets are ellipses. In two dimensions the one, "
        "two and three [[σ|sigma]] ellipses hold {lec.geometry.mass_percents[0]:.0f}, "
        "{lec.geometry.mass_percents[1]:.0f} and {lec.geometry.mass_percents[2]:.0f} "
        "percent of the mass, less than the familiar one-dimensional figures, and our "
        "samples agree.",
        "Principal axes": "The ellipses line up with the eigenvectors of the covariance. "
        "Along each one, the spread is the square root of its eigenvalue.",
        "Changing the covariance": "Change the off-diagonal entry and the ellipse turns and "
        "changes shape, because the eigenvalues move too. Positive correlation tilts it up; "
        "at zero it is axis aligned, and its semi-axes are the two standard deviations, the "
        "square roots of the diagonal entries; negative correlation tilts it down.",
    }
    sweep_time = 6.0

    def construct(self) -> None:
        geo = self.lecture.geometry
        plane = get_plane()
        axes = plane[0]
        heading = self.panel_heading(self.title)
        cloud = cloud_on(axes, geo.samples, theme.LATENT_COLOR, opacity=0.45)
        # 0. Why this family matters.
        with self.beat("Why Gaussians"):
            reasons = self.get_reasons().move_to(0.3 * DOWN)
            title = text("Why Gaussians are everywhere", theme.HEADING_SIZE)
            title.to_edge(UP, buff=theme.TITLE_EDGE_BUFF)
            self.play(FadeIn(title))
            self.at_sentence(1)
            self.play(LaggedStart(*(FadeIn(r[0]) for r in reasons), lag_ratio=0.3))
            for i, row in enumerate(reasons):
                self.at_sentence(2 + i)
                self.play(FadeIn(row[1], shift=0.2 * RIGHT), run_time=1.2)
                self.play(Indicate(row[0], color=theme.ACCENT), run_time=1.2)
            self.wait(theme.BEAT_PAUSE)
            self.play(FadeOut(title), FadeOut(reasons))
        # 1. Samples, then the 1-3 sigma ellipses and the mass each holds.
        with self.beat("Samples and level sets"):
            cov_tex = self.get_covariance_tex().move_to([theme.PANEL_X, 1.6, 0])
            rings = self.get_rings(axes, geo.geometry.ellipses)
            masses = self.get_mass_table().next_to(cov_tex, DOWN, buff=0.5)
            self.play(FadeIn(plane), FadeIn(heading), FadeIn(cloud), Write(cov_tex))
            self.at_sentence(1)
            self.play(LaggedStart(*(Create(r) for r in rings), lag_ratio=0.3), run_time=2)
            self.at_sentence(2)
            columns = [VGroup(*masses[c::3]) for c in range(3)]
            self.play(FadeIn(columns[0]), FadeIn(columns[1], shift=0.2 * UP), run_time=1.5)
            for ring in rings:
                self.play(Indicate(ring, color=theme.ACCENT, scale_factor=1.05), run_time=0.8)
            self.play(FadeIn(columns[2], shift=0.2 * UP), run_time=1.5)
            self.wait(theme.BEAT_PAUSE)
        # 2. Eigenvectors scaled by sqrt(eigenvalue).
        with self.beat("Principal axes"):
            arrows = self.get_axes_arrows(axes)
            eig = self.get_eigen_tex().next_to(cov_tex, DOWN, buff=0.6)
            self.play(FadeOut(masses))
            self.play(GrowArrow(arrows[0]), GrowArrow(arrows[1]), run_time=1.5)
            self.at_sentence(1)
            self.play(FadeIn(eig, shift=0.2 * UP), run_time=1.5)
            self.wait(theme.BEAT_PAUSE)
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
            eigen = self.get_eigen_readout(step).next_to(entry, DOWN, buff=0.4)
            self.play(FadeTransform(cov_tex, swept_tex), FadeIn(entry), FadeIn(eigen))
            self.draw_before(swept_tex, rings)  # beside the plane: not redrawn while rings move
            last = len(geo.sweep_covariances) - 1
            zero, lowest = last // 4, last // 2  # the entry runs +c, 0, -c, 0, +c
            self.at_sentence(0, "because the eigenvalues")
            self.play(Indicate(eigen, color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
            self.at_sentence(1)  # tilted up, then straightened to zero correlation
            sweep = self.sweep_time / 4
            self.play(step.animate.set_value(zero), run_time=sweep, rate_func=linear)
            self.at_sentence(1, "and its semi-axes")
            self.play(Indicate(eigen, color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
            self.at_sentence(1, "the square roots")
            self.play(Circumscribe(swept_tex, color=theme.ACCENT), run_time=1.5)
            self.at_sentence(1, "negative correlation")
            self.play(step.animate.set_value(lowest), run_time=sweep, rate_func=linear)
            self.play(step.animate.set_value(last), run_time=2 * sweep, rate_func=linear)
            rings.clear_updaters()
            for row in (entry, *eigen):
                row[1].clear_updaters()
            self.wait(theme.BEAT_PAUSE)

    # ---- pieces -------------------------------------------------------------------------
    def get_reasons(self) -> VGroup:
        rows = VGroup()
        for i, (name, detail) in enumerate(self.reasons, start=1):
            label = VGroup(
                text(name, theme.BODY_SIZE * 1.1),
                text(detail, theme.BODY_SIZE, theme.MUTED),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
            label.move_to(ORIGIN, aligned_edge=UL).shift(1.5 * (i - 1) * DOWN)
            digit = text(f"{i}.", theme.BODY_SIZE * 1.1, theme.ACCENT)
            digit.next_to(label[0], LEFT, buff=0.3)
            rows.add(VGroup(digit, label))
        return rows.move_to(ORIGIN)

    def get_mass_table(self) -> VGroup:
        """Probability inside each ellipse, and the share of our samples found there."""
        geo = self.lecture.geometry
        size = theme.NUMBER_SIZE * 1.1
        head = VGroup(
            text("ellipse", theme.SMALL_SIZE, theme.MUTED),
            text("mass", theme.SMALL_SIZE, theme.MUTED),
            text("samples", theme.SMALL_SIZE, theme.MUTED),
        )
        cells = [head]
        for j in range(3):
            mass = self.fmt(f"geometry.mass_percents[{j}]", geo.mass_percents[j], 0)
            seen = self.fmt(f"geometry.inside_percents[{j}]", geo.inside_percents[j], 1)
            cells.append(
                VGroup(
                    MathTex(rf"{j + 1}\sigma", font_size=size, color=theme.ACCENT),
                    MathTex(rf"{mass}\%", font_size=size),
                    MathTex(rf"{seen}\%", font_size=size, color=theme.MUTED),
                )
            )
        grid = VGroup(*(m for row in cells for m in row))
        return grid.arrange_in_grid(rows=4, cols=3, buff=(0.6, 0.2), col_alignments="rrr")

    def get_eigen_readout(self, step: ValueTracker) -> VGroup:
        """The two eigenvalues, following the sweep (they end where they started)."""
        eigs = self.lecture.geometry.sweep_eigenvalues
        rows = VGroup()
        for j, name in ((1, r"\lambda_{\max} ="), (0, r"\lambda_{\min} =")):
            value = self.live_number(
                f"geometry.geometry.eigenvalues[{j}]",
                float(self.lecture.geometry.geometry.eigenvalues[j]),
                2,
                theme.FIT_COLOR,
            )

            def update(num: DecimalNumber, j: int = j) -> None:
                i = int(np.clip(round(step.get_value()), 0, len(eigs) - 1))
                num.set_value(float(eigs[i, j]))

            value.add_updater(update)
            label = MathTex(name, font_size=theme.NUMBER_SIZE * 1.2)
            rows.add(VGroup(label, value).arrange(RIGHT, buff=0.2))
        return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.2)

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
