"""Scene 7: three families that approximate the same target: autoregressive, VAE, diffusion."""

from __future__ import annotations

import itertools

import numpy as np
from manim import *

from scenes import theme
from scenes.base import LectureScene, fit_to_panel, text
from scenes.mobjects import GrowCloud, MoveCloud, cloud_on, curve_on, get_plane, to_scene


class ModelFamiliesScene(LectureScene):
    title = "Model families: a preview"
    section = "Section 7"
    narration = {
        "Autoregressive": "An autoregressive model uses the chain rule: sample the first "
        "coordinate, then the second given the first. The slice shows p of x2 given one "
        "value of x1; it has two bumps, because two clusters cross that line.",
        "Variational autoencoder": "A variational autoencoder learns a decoder from a "
        "simple latent space, as in the latent section, and an encoder "
        "[[q_φ(z | x)|q phi of z given x]] "
        "that proposes codes for each point. The likelihood's integral has no closed form, "
        "so both are trained together by maximising a lower bound on it, the ELBO. "
        "That is the subject of Lecture 2.",
        "Diffusion": "A diffusion model adds noise step by step, then learns to walk back. "
        "Here the noise stops at [[σ|sigma]] {lec.families.diffusion.forward_sigmas[3]:.0f}: "
        "the three clusters have merged into one broad blob, though it is not yet pure noise. "
        "To walk back, each step moves a point a little way along the score, the gradient of "
        "the log-density with respect to x, which points toward denser data. "
        "[[α|Alpha]] sets the size of the step, and a little fresh Gaussian noise, "
        "[[ε|epsilon]], keeps the samples spread. Our score is exact: that of the mixture "
        "blurred by noise of size [[σ|sigma]], and [[σ|sigma]] shrinks as the walk goes on. "
        "Starting from noise, the samples return to the three clusters. Lecture 3 builds "
        "this.",
        "One target": "Three computational strategies, one target: each family "
        "approximates the same data distribution, so that it can draw realistic samples "
        "from it.",
    }
    forward_time = 3.0
    reverse_time = 4.0

    def construct(self) -> None:
        fam = self.lecture.families
        plane = get_plane()
        axes = plane[0]
        heading = self.panel_heading(self.title)
        # 1. x1 first, then x2 | x1.
        with self.beat("Autoregressive"):
            chain = MathTex(
                r"p_\theta(x) = \prod_i p_\theta(x_i \mid x_{<i})",
                font_size=theme.HEADING_SIZE * 1.2,
            )
            chain.move_to([theme.PANEL_X, 1.6, 0])
            samples = cloud_on(axes, fam.autoregressive, theme.MODEL_COLOR, opacity=0.7)
            samples.shown = 0
            slice_line, slice_curve = self.get_slice(axes)
            self.play(FadeIn(plane), FadeIn(heading), Write(chain))
            self.add(samples)  # after the plane, so the points are drawn over its axes
            self.play(GrowCloud(samples), run_time=2.5)
            self.at_sentence(1)  # the slice, and its two bumps
            self.play(Create(slice_line), Create(slice_curve), run_time=2)
            self.play(Indicate(slice_curve, color=theme.ACCENT, scale_factor=1.08), run_time=1.5)
            self.wait(theme.BEAT_PAUSE)
        # 2. Encoder, latent space, decoder.
        with self.beat("Variational autoencoder"):
            self.play(*(FadeOut(m) for m in (samples, slice_line, slice_curve, chain, plane)))
            diagram = self.get_vae_diagram().move_to(0.8 * UP)
            integral = MathTex(
                r"p_\theta(x) = \int p_\theta(x \mid z)\, p(z)\, dz",
                font_size=theme.NUMBER_SIZE * 1.3,
            )
            integral.next_to(diagram, DOWN, buff=0.6)
            elbo = MathTex(
                r"\log p_\theta(x) \ \geq\ "
                r"\mathbb E_{q_\phi(z \mid x)}\left[\log p_\theta(x \mid z)\right]"
                r" - D_{\mathrm{KL}}\left(q_\phi(z \mid x)\,\|\,p(z)\right)",
                font_size=theme.NUMBER_SIZE * 1.1,
            )
            trained = text(
                "trained by maximising this bound, the ELBO", theme.SMALL_SIZE, theme.MUTED
            )
            bound = VGroup(elbo, trained).arrange(DOWN, buff=0.2).next_to(integral, DOWN, buff=0.5)
            parts = [
                m for pair in zip(diagram[0], [*diagram[1], VGroup()], strict=True) for m in pair
            ]
            self.play(LaggedStart(*(FadeIn(m) for m in parts), lag_ratio=0.25), run_time=4)
            self.wait(theme.BEAT_PAUSE)
            self.at_sentence(1)
            self.play(Write(integral), run_time=2)
            self.play(Write(bound[0]), run_time=2.5)
            self.play(FadeIn(bound[1], shift=0.2 * UP))
            self.wait(theme.BEAT_PAUSE)
            self.at_sentence(2)
            self.play(Circumscribe(bound[0], color=theme.ACCENT), run_time=1.5)
            self.play(FadeOut(diagram), FadeOut(integral), FadeOut(bound))
        # 3. Noise the data, then denoise fresh noise with the score.
        with self.beat("Diffusion"):
            wide = get_plane(theme.DIFFUSION_RANGE)
            axes = wide[0]
            self.play(FadeIn(wide))
            forward = fam.diffusion.forward
            cloud = cloud_on(axes, forward[0], theme.COMPONENT_COLORS[0], opacity=0.5)
            sigma = self.fmt(
                "families.diffusion.forward_sigmas[3]", fam.diffusion.forward_sigmas[-1], 0
            )
            label = VGroup(
                text("add noise", theme.BODY_SIZE, theme.MUTED),
                text(
                    f"up to σ = {sigma}: blurred, not yet pure noise", theme.SMALL_SIZE, theme.MUTED
                ),
            ).arrange(DOWN, buff=0.15)
            label = fit_to_panel(label).move_to([theme.PANEL_X, 1.6, 0])
            self.play(FadeIn(cloud), FadeIn(label))
            self.at_sentence(1)  # where the noise stops
            self.play(MoveCloud(cloud, self.along(axes, forward)), run_time=self.forward_time)
            self.at_sentence(1, "though it is not yet")
            self.play(Indicate(label[1], color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
            reverse = fam.diffusion.reverse
            walkers = cloud_on(axes, reverse[0], theme.ACCENT, opacity=0.8)
            back = self.get_update_rule().move_to([theme.PANEL_X, 1.0, 0])
            rule, terms = back[1], back[2]
            self.at_sentence(2)  # the update, read term by term
            self.play(FadeOut(cloud), FadeIn(walkers), ReplacementTransform(label, back[0]))
            self.play(Write(rule), run_time=2)
            self.at_sentence(2, "the gradient of")
            self.play(FadeIn(terms[0], shift=0.2 * UP), run_time=1.5)
            self.at_sentence(2, "which points toward")
            self.play(Circumscribe(terms[0], color=theme.ACCENT), run_time=1.5)
            self.at_sentence(3)  # alpha, then epsilon
            self.play(FadeIn(terms[1][:2], shift=0.2 * UP), run_time=1.5)
            self.at_sentence(3, "and a little fresh")
            self.play(FadeIn(terms[1][2:], shift=0.2 * UP), run_time=1.5)
            self.at_sentence(3, "keeps the samples spread")
            self.play(Indicate(terms[1][2], color=theme.ACCENT), run_time=1.5)
            self.at_sentence(4)  # exact score, shrinking sigma
            self.play(FadeIn(terms[2], shift=0.2 * UP), run_time=1.5)
            self.at_sentence(4, "blurred by noise")
            self.play(Indicate(terms[2], color=theme.ACCENT), run_time=1.5)
            self.at_sentence(4, "shrinks as the walk")
            self.play(
                MoveCloud(walkers, self.along(axes, reverse)),
                run_time=self.reverse_time,
                rate_func=linear,
            )
            self.wait(theme.BEAT_PAUSE * 2)
        # 4. The three strategies aim at the same distribution.
        with self.beat("One target"):
            self.play(FadeOut(walkers), FadeOut(back), FadeOut(wide))
            summary = self.get_one_target().move_to(0.2 * DOWN)
            # One sentence: the three names, the arrows and the target come in along it.
            self.play(LaggedStart(*(FadeIn(m) for m in summary), lag_ratio=0.6), run_time=4)
            self.wait(theme.BEAT_PAUSE * 2)

    # ---- pieces -------------------------------------------------------------------------
    def along(self, axes: Axes, frames: np.ndarray):
        """A path through a sequence of point sets, linear between consecutive ones."""
        last = len(frames) - 1

        def path(a: float) -> np.ndarray:
            s = a * last
            i = min(int(s), last - 1)
            f = s - i
            return to_scene(axes, (1 - f) * frames[i] + f * frames[i + 1])

        return path

    def get_update_rule(self) -> VGroup:
        """One reverse step, and what each of its terms is."""
        rule = MathTex(
            r"x \leftarrow x + \tfrac{\alpha}{2}\nabla_x \log p_\sigma(x)"
            r" + \sqrt{\alpha}\,\varepsilon",
            font_size=theme.NUMBER_SIZE * 1.2,
        )
        size = theme.SMALL_TEX_SIZE
        terms = VGroup(
            MathTex(r"\nabla_x \log p_\sigma(x)", r"\text{: the score, toward denser data}",
                    font_size=size),
            MathTex(r"\alpha", r"\text{: step size,}\ \ ", r"\varepsilon \sim \mathcal N(0, I)",
                    r"\text{: fresh noise}", font_size=size),
            MathTex(r"p_\sigma", r"\text{: the data blurred by noise } \sigma", font_size=size),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)  # fmt: skip
        for term in terms:
            term[1::2].set_color(theme.MUTED)
        heading = text("denoise along the score", theme.BODY_SIZE, theme.MUTED)
        return fit_to_panel(VGroup(heading, rule, terms).arrange(DOWN, buff=0.35))

    def get_slice(self, axes: Axes) -> tuple[VMobject, VMobject]:
        fam = self.lecture.families
        x1 = fam.slice_x1
        line = DashedLine(
            axes.c2p(x1, theme.PLANE_RANGE[0]),
            axes.c2p(x1, theme.PLANE_RANGE[1]),
            color=theme.MUTED,
        )
        # The conditional density drawn sideways from the line, scaled to a readable width.
        width = 2.0 / float(fam.slice_pdf.max())
        curve = curve_on(
            axes, np.column_stack([x1 + width * fam.slice_pdf, fam.slice_grid]), theme.ACCENT, 3
        )
        return line, curve

    def get_one_target(self) -> VGroup:
        names = (
            VGroup(
                *(
                    text(name, theme.BODY_SIZE, color)
                    for name, color in (
                        ("autoregressive", theme.MODEL_COLOR),
                        ("variational autoencoder", theme.DECODED_COLOR),
                        ("diffusion", theme.ACCENT),
                    )
                )
            )
            .arrange(DOWN, buff=0.6)
            .shift(3.0 * LEFT)
        )
        target = MathTex(r"p_{\text{data}}(x)", font_size=theme.HEADING_SIZE * 1.5)
        target.shift(3.5 * RIGHT)
        arrows = VGroup(
            *(
                Arrow(
                    n.get_right(),
                    target.get_left() + 0.22 * (1 - i) * UP,
                    buff=0.25,
                    color=theme.MUTED,
                    stroke_width=3,
                )
                for i, n in enumerate(names)
            )
        )
        caption = text("one target: realistic samples of the data", theme.BODY_SIZE, theme.MUTED)
        caption.next_to(VGroup(names, target), DOWN, buff=0.9)
        return VGroup(names, arrows, target, caption)

    def get_vae_diagram(self) -> VGroup:
        def box(label: str, color: str) -> VGroup:
            words = text(label, theme.SMALL_SIZE)
            frame = RoundedRectangle(
                width=words.width + 0.5, height=0.9, corner_radius=0.15, color=color
            )
            return VGroup(frame, words)

        x_in = MathTex("x", font_size=theme.HEADING_SIZE * 1.3)
        enc = box("encoder  qφ(z | x)", theme.LATENT_COLOR)
        z = MathTex("z", font_size=theme.HEADING_SIZE * 1.3, color=theme.LATENT_COLOR)
        dec = box("decoder  pθ(x | z)", theme.DECODED_COLOR)
        x_out = MathTex(r"\hat x", font_size=theme.HEADING_SIZE * 1.3)
        # Wide gaps: each arrow between two parts has to read as an arrow, not a dash.
        row = VGroup(x_in, enc, z, dec, x_out).arrange(RIGHT, buff=0.85)
        arrows = VGroup(
            *(
                Arrow(a.get_right(), b.get_left(), buff=0.1, color=theme.MUTED, stroke_width=3)
                for a, b in itertools.pairwise(row)
            )
        )
        return VGroup(row, arrows)
