"""Scene 2: ancestral sampling from the mixture, then the likelihood of what was drawn."""

from __future__ import annotations

from manim import *

from scenes import theme
from scenes.base import LectureScene, fit_to_panel, text
from scenes.mobjects import (
    DotCloud,
    GrowCloud,
    cloud_on,
    component_colors,
    curve_on,
    get_plane,
    to_scene,
)


class MixtureSamplingScene(LectureScene):
    title = "Sampling a mixture, and its likelihood"
    section = "Section 2"
    narration = {
        "Pick a component": "Here we know [[p_data|p data]]: it is a mixture of three "
        "Gaussians. To draw from it, first pick a component k: a uniform number lands in one "
        "of three intervals sized by the weights. Then draw x from that component's "
        "Gaussian.",
        "All the points": "Repeat that {lec.data.sample.points.shape[0]} times, "
        "independently. The counts per component follow the weights. The recipe is a "
        "stochastic program: draw a latent z from [[p(z)|p of z]], then x from "
        "[[p(x | z)|p of x given z]]. Here "
        "the latent is the component k.",
        "Likelihood": "Because the points are independent draws, the probability of the "
        "dataset is a product over points, and its log is a sum. On these points "
        "[[p_data|p data]] "
        "itself averages {lec.data.true_avg_log_likelihood:.3f}. The three-Gaussian fit does "
        "a little better, {lec.families.objective.good_avg_log_likelihood:.3f}, because it "
        "was fitted to these very points. On {lec.data.held_out.n_points:.0f} fresh points "
        "the truth wins, as it does on average: "
        "{lec.data.held_out.true_avg_log_likelihood:.3f} against "
        "{lec.data.held_out.model_avg_log_likelihood:.3f}.",
    }
    n_steps_shown = 4
    stick_width = 5.2
    grow_time = 5.0

    def construct(self) -> None:
        data = self.lecture.data
        plane = get_plane()
        axes = plane[0]
        heading = self.panel_heading(self.title)
        # 1. One draw at a time: the uniform picks the component, the Gaussian the point.
        self.drawn_dots = VGroup()  # the few points drawn one at a time
        with self.beat("Pick a component"):
            ellipses = self.get_component_ellipses(axes)
            stick = self.get_weight_stick().next_to(heading, DOWN, buff=0.4).set_x(theme.PANEL_X)
            self.play(FadeIn(plane), FadeIn(heading), Create(ellipses), FadeIn(stick))
            recipe = self.get_recipe().to_edge(DOWN, buff=0.7).set_x(theme.PANEL_X)
            self.play(Write(recipe[0]))
            for step in data.ancestral[: self.n_steps_shown]:
                self.show_one_draw(step, stick, ellipses, axes)
        # 2. All 3200 draws, with running counts.
        with self.beat("All the points"):
            cloud = cloud_on(axes, data.sample.points, component_colors(data.sample.components))
            cloud.shown = 0
            counts = self.get_live_counts().next_to(stick, DOWN, buff=0.7)
            self.add(cloud)
            self.play(FadeIn(counts))
            # Updaters start after the fade: a counter that grows digits mid-animation
            # would no longer match the animation's copy of it.
            self.follow_counts(counts, cloud)
            self.play(
                GrowCloud(cloud), run_time=self.grow_time, rate_func=rate_functions.ease_in_quad
            )
            self.at_sentence(2)  # the recipe as a program
            self.play(FadeIn(recipe[1][0], shift=0.2 * UP), run_time=1.5)
            self.play(Write(recipe[1][1]), run_time=2.5)
            self.at_sentence(3)  # its latent is k
            self.play(Indicate(recipe[0], color=theme.ACCENT, scale_factor=1.05), run_time=1.5)
            self.wait(theme.BEAT_PAUSE)
        # 3. The likelihood: product, then sum of logs, then the average.
        with self.beat("Likelihood"):
            self.play(FadeOut(counts), FadeOut(stick), FadeOut(recipe), FadeOut(self.drawn_dots))
            equations = self.get_likelihood_equations()
            # Below the heading with room to spare: the N over the product sign reaches up.
            equations.next_to(heading, DOWN, buff=0.3).set_x(theme.PANEL_X)
            for row in equations[:3]:
                self.play(Write(row))
            self.at_sentence(1)  # p_data's own average
            self.play(Write(equations[3]))
            # The fit's figure, then the fresh points' verdict, each as it is said.
            fitted, fresh = equations[4]
            self.at_sentence(2)
            self.play(FadeIn(fitted, shift=0.2 * UP))
            self.at_sentence(2, "because it was fitted")
            self.play(Circumscribe(fitted, color=theme.ACCENT), run_time=1.5)
            self.at_sentence(3)
            self.play(FadeIn(fresh, shift=0.2 * UP))
            self.at_sentence(3, "as it does on average")
            self.play(Indicate(fresh[1][0], color=theme.ACCENT), run_time=1.5)
            self.play(Indicate(fresh[1][2], color=theme.ACCENT), run_time=1.5)
            self.wait(theme.BEAT_PAUSE * 2)

    # ---- pieces -------------------------------------------------------------------------
    def get_component_ellipses(self, axes: Axes) -> VGroup:
        group = VGroup()
        for k, geo in enumerate(self.lecture.data.component_ellipses):
            group.add(curve_on(axes, geo.ellipses[1], theme.COMPONENT_COLORS[k], width=2.5))
        return group

    def get_weight_stick(self) -> VGroup:
        weights = self.lecture.data.mixture.weights
        bars, labels = VGroup(), VGroup()
        for k, w in enumerate(weights):
            bar = Rectangle(
                width=self.stick_width * w,
                height=0.42,
                fill_color=theme.COMPONENT_COLORS[k],
                fill_opacity=0.85,
                stroke_color=theme.BACKGROUND,
                stroke_width=3,
            )
            bars.add(bar)
        bars.arrange(RIGHT, buff=0)
        for k, bar in enumerate(bars):
            label = self.number(f"data.mixture.weights[{k}]", weights[k], 2, theme.BODY_SIZE)
            labels.add(label.next_to(bar, UP, buff=0.15))
        ends = VGroup(
            MathTex("0", font_size=theme.SMALL_SIZE * 1.2, color=theme.MUTED).next_to(bars, LEFT),
            MathTex("1", font_size=theme.SMALL_SIZE * 1.2, color=theme.MUTED).next_to(bars, RIGHT),
        )
        caption = text("component weights", theme.SMALL_SIZE, theme.MUTED).next_to(labels, UP)
        return VGroup(bars, labels, ends, caption)

    def show_one_draw(self, step, stick: VGroup, ellipses: VGroup, axes: Axes) -> None:
        bars = stick[0]
        x = bars.get_left()[0] + self.stick_width * step.uniform
        marker = Triangle(fill_color=theme.ACCENT, fill_opacity=1, stroke_width=0).scale(0.1)
        marker.rotate(PI).move_to([x, bars.get_bottom()[1] - 0.12, 0])
        label = VGroup(
            MathTex("u =", font_size=theme.NUMBER_SIZE, color=theme.ACCENT),
            self.number(
                f"data.ancestral[{step.index}].uniform",
                step.uniform,
                3,
                theme.NUMBER_SIZE,
                theme.ACCENT,
            ),
        ).arrange(RIGHT, buff=0.12)
        label.next_to(marker, DOWN, buff=0.1)
        chosen = bars[step.component]
        ring = ellipses[step.component]
        self.play(FadeIn(marker, shift=0.2 * DOWN), FadeIn(label), run_time=0.6)
        self.play(
            Indicate(chosen, color=theme.ACCENT, scale_factor=1.08),
            ring.animate.set_stroke(width=6),
            run_time=0.7,
        )
        point = to_scene(axes, step.point[None, :])[0]
        dot = Dot([*point, 0], radius=0.07, color=theme.COMPONENT_COLORS[step.component])
        self.play(GrowFromCenter(dot), ring.animate.set_stroke(width=2.5), run_time=0.5)
        self.play(FadeOut(marker), FadeOut(label), run_time=0.3)
        self.drawn_dots.add(dot)

    def get_live_counts(self) -> VGroup:
        data = self.lecture.data
        rows = VGroup()
        for k in range(data.mixture.n_components):
            final = int(data.sample.counts[k])
            number = self.live_number(
                f"data.sample.counts[{k}]", final, 0, theme.COMPONENT_COLORS[k]
            )
            number.set_value(0)
            name = MathTex(
                f"k = {k + 1}:", font_size=theme.NUMBER_SIZE * 1.25, color=theme.COMPONENT_COLORS[k]
            )
            rows.add(VGroup(name, number).arrange(RIGHT, buff=0.25))
        return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.25)

    def follow_counts(self, rows: VGroup, cloud: DotCloud) -> None:
        running = self.lecture.data.running_counts
        for k, row in enumerate(rows):

            def update(num: DecimalNumber, k: int = k) -> None:
                shown = int(cloud.shown)
                num.set_value(0 if shown == 0 else int(running[shown - 1, k]))

            row[1].add_updater(update)

    def get_recipe(self) -> VGroup:
        """Ancestral sampling, and the stochastic program it is an instance of."""
        size = theme.NUMBER_SIZE * 1.2
        mixture = MathTex(r"k \sim p(k), \quad x \sim p(x \mid k)", font_size=size)
        program = VGroup(
            text("a stochastic program, with latent z = k:", theme.SMALL_SIZE, theme.MUTED),
            MathTex(r"z \sim p(z), \quad x \sim p_\theta(x \mid z)", font_size=size),
        ).arrange(DOWN, buff=0.15)
        return fit_to_panel(VGroup(mixture, program).arrange(DOWN, buff=0.35))

    def get_likelihood_equations(self) -> VGroup:
        size = theme.NUMBER_SIZE * 1.25
        small = theme.NUMBER_SIZE * 1.05
        n = self.fmt("data.sample.points.shape[0]", self.lecture.data.sample.points.shape[0], 0)
        iid = MathTex(
            rf"\mathcal D = \{{x_i\}}_{{i=1}}^{{N}},\ N = {n},\ \text{{i.i.d.}}",
            font_size=small,
            color=theme.MUTED,
        )
        product = MathTex(r"p_\theta(\mathcal D) = \prod_{i=1}^{N} p_\theta(x_i)", font_size=size)
        logsum = MathTex(
            r"\log p_\theta(\mathcal D) = \sum_{i=1}^{N} \log p_\theta(x_i)", font_size=size
        )
        value = self.number(
            "data.true_avg_log_likelihood", self.lecture.data.true_avg_log_likelihood
        )
        average = VGroup(
            MathTex(r"\frac{1}{N}\sum_{i=1}^{N} \log p_{\text{data}}(x_i) =", font_size=size),
            value,
        ).arrange(RIGHT, buff=0.2)
        objective, held_out = self.lecture.families.objective, self.lecture.data.held_out
        fitted = self.fmt(
            "families.objective.good_avg_log_likelihood", objective.good_avg_log_likelihood
        )
        n_fresh = self.fmt("data.held_out.n_points", held_out.n_points, 0)
        fresh_true = self.fmt(
            "data.held_out.true_avg_log_likelihood", held_out.true_avg_log_likelihood
        )
        fresh_model = self.fmt(
            "data.held_out.model_avg_log_likelihood", held_out.model_avg_log_likelihood
        )
        small_tex = theme.SMALL_TEX_SIZE
        note = VGroup(
            VGroup(
                text("three-Gaussian fit, on these points:", theme.SMALL_SIZE, theme.MUTED),
                MathTex(fitted, font_size=small_tex, color=theme.MUTED),
            ).arrange(RIGHT, buff=0.15),
            VGroup(
                text(f"on {n_fresh} fresh points:", theme.SMALL_SIZE, theme.MUTED),
                MathTex(
                    fresh_true,
                    r"\ \text{truth},\ \ ",
                    fresh_model,
                    r"\ \text{fit}",
                    font_size=small_tex,
                    color=theme.MUTED,
                ),
            ).arrange(RIGHT, buff=0.15),
        ).arrange(DOWN, buff=0.12)
        note = fit_to_panel(note)
        return VGroup(iid, product, logsum, average, note).arrange(DOWN, buff=0.3)
