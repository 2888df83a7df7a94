"""Scene 4: a density estimate of x1, its CDF, and sampling by pushing uniforms through it."""

from __future__ import annotations

from manim import *

from scenes import theme
from scenes.base import LectureScene, fit_to_panel_width, text
from scenes.mobjects import MoveAlongLongPath, curve_on


class InverseCDFScene(LectureScene):
    title = "Sampling by inverting the CDF"
    section = "Section 4"
    narration = {
        "Histogram and density": "A model is useful when we can sample from it. Take the "
        "first coordinate of the data, x1. A kernel density estimate puts a small Gaussian "
        "bump on every one of its points and averages them: a smooth density we can "
        "evaluate anywhere.",
        "The cumulative distribution": "Adding up the density from the left gives the "
        "cumulative distribution[[ F|, capital F]]. It climbs from zero to one, steepest where "
        "data is dense. We compute it on a grid of {lec.sampling.estimate.grid.shape[0]} "
        "points.",
        "Uniforms through the inverse": "To sample, draw [[a uniform number u|a uniform "
        "number]] between zero and one, and solve [[F(x) = u|capital F of x equals that "
        "number]]: x is [[F⁻¹(u)|capital F inverse of it]]. "
        "On the grid, that means finding where the CDF reaches [[u|that number]] and "
        "interpolating between neighbours. Dense regions catch more uniforms.",
        "Samples fill the density": "Repeat that {lec.sampling.samples.shape[0]} times and "
        "the histogram of the samples settles onto the density we estimated: randomness in, "
        "structured samples out.",
    }
    n_uniforms_shown = 4
    x_range = (-5.0, 6.0, 1.0)
    pdf_range = (0.0, 0.3, 0.1)
    axes_width = 7.7
    #: the column right of the plots, for the formulas: its centre x and width (its right
    #: edge on the title-safe line)
    column_width = 3.2
    column_x = config.frame_width / 2 - theme.SAFE_X - column_width / 2

    def construct(self) -> None:
        samp = self.lecture.sampling
        heading = text(self.title, theme.HEADING_SIZE).to_edge(UP, buff=theme.TITLE_EDGE_BUFF)
        top = self.get_axes(self.pdf_range, 2.4, "p(x_1)").move_to(1.0 * UP)
        bottom = self.get_axes((0.0, 1.0, 0.5), 2.2, "F(x_1)").move_to(2.25 * DOWN)
        for plot in (top, bottom):
            plot.to_edge(LEFT, buff=theme.SAFE_X)
        pdf_axes, cdf_axes = top[0], bottom[0]
        pdf_curve = self.get_curve(pdf_axes, samp.estimate.pdf, theme.MODEL_COLOR)
        # 1. Histogram of x1 and the KDE.
        with self.beat("Histogram and density"):
            bars = self.get_bars(pdf_axes, samp.data_histogram, theme.COMPONENT_COLORS[0])
            self.play(FadeIn(heading))
            self.at_sentence(1)
            self.play(FadeIn(top))
            self.play(LaggedStartMap(GrowFromEdge, bars, edge=DOWN, lag_ratio=0.02), run_time=1.5)
            self.at_sentence(2)
            kde = self.get_kde_formula().move_to([self.column_x, pdf_axes.get_center()[1], 0])
            self.play(Write(kde), run_time=1.5)
            self.play(Create(pdf_curve), run_time=2.5)
            self.wait(theme.BEAT_PAUSE)
        # 2. Its running integral, the CDF, traced by a point; then the grid it lives on.
        with self.beat("The cumulative distribution"):
            cdf_curve = self.get_curve(cdf_axes, samp.estimate.cdf, theme.ACCENT)
            self.play(FadeIn(bottom), Create(cdf_curve), run_time=2)
            self.at_sentence(1)
            tracer = Dot(cdf_curve.get_start(), color=theme.ACCENT, radius=0.08)
            self.play(FadeIn(tracer, scale=0.5), run_time=0.3)
            self.play(MoveAlongLongPath(tracer, cdf_curve), run_time=3, rate_func=linear)
            self.play(FadeOut(tracer), run_time=0.3)
            self.at_sentence(2)
            ticks, note = self.get_grid_marks(cdf_axes)
            self.play(LaggedStartMap(Create, ticks, lag_ratio=0.05), FadeIn(note), run_time=2)
            self.wait(theme.BEAT_PAUSE)
            self.play(FadeOut(ticks), FadeOut(note))
        # 3. A few uniforms: across to the CDF, down to x.
        with self.beat("Uniforms through the inverse"):
            inverse = self.get_inverse_formula()
            inverse.move_to([self.column_x, cdf_axes.get_center()[1], 0])
            self.play(FadeIn(inverse))
            for i in range(self.n_uniforms_shown):
                self.show_inversion(i, cdf_axes)
        # 4. The sample histogram grows onto the density.
        with self.beat("Samples fill the density"):
            self.play(FadeOut(bars))
            bars = self.get_sample_bars(pdf_axes, 0)
            counter = self.get_sample_count(pdf_axes, 0)
            self.play(FadeIn(bars), FadeIn(counter))
            self.bring_to_front(pdf_curve)
            self.wait(0.4)
            for j in range(1, len(samp.sample_histograms)):
                self.play(
                    Transform(bars, self.get_sample_bars(pdf_axes, j)),
                    Transform(counter, self.get_sample_count(pdf_axes, j)),
                )
                self.bring_to_front(pdf_curve)
                self.wait(0.4)
            self.wait(theme.BEAT_PAUSE * 2)

    # ---- pieces -------------------------------------------------------------------------
    def get_axes(self, y_range: tuple[float, float, float], height: float, label: str) -> VGroup:
        axes = Axes(
            x_range=self.x_range,
            y_range=y_range,
            x_length=self.axes_width,
            y_length=height,
            tips=False,
            axis_config={"color": theme.AXIS, "stroke_width": 2},
            y_axis_config={"include_numbers": True, "font_size": theme.SMALL_SIZE},
            x_axis_config={"include_numbers": True, "font_size": theme.SMALL_SIZE},
        )
        # Manim crosses the axes at x = 0, in the middle of the data. Show the y axis at the
        # left end instead; the original stays, unseen, as coordinates are computed from it.
        y_axis = axes.y_axis.copy().shift(axes.c2p(self.x_range[0], 0) - axes.c2p(0, 0))
        axes.y_axis.set_opacity(0)
        # ... and give x = 0 the tick and label Manim leaves out where its y axis crosses.
        x0, x1, step = self.x_range
        axes.x_axis.add(axes.x_axis.get_tick(0.0))
        axes.x_axis.add_numbers(
            np.arange(x0, x1 + step / 2, step), excluding=[], font_size=theme.SMALL_SIZE
        )
        name = MathTex(label, color=theme.MUTED, font_size=theme.BODY_SIZE).next_to(
            y_axis, LEFT, buff=0.3
        )
        return VGroup(axes, y_axis, name)

    def get_kde_formula(self) -> VGroup:
        size = theme.NUMBER_SIZE * 1.05
        formula = MathTex(
            r"\hat p(x) = \frac{1}{N}\sum_{i=1}^{N} \mathcal N(x;\, x_i,\, h^2)",
            font_size=size,
            color=theme.MODEL_COLOR,
        )
        est = self.lecture.sampling.estimate
        h = self.fmt("sampling.estimate.bandwidth", est.bandwidth, 2)
        note = VGroup(
            text("a Gaussian kernel on", theme.SMALL_SIZE, theme.MUTED),
            text(f"every data point, h = {h}", theme.SMALL_SIZE, theme.MUTED),
        ).arrange(DOWN, buff=0.08)
        group = VGroup(formula, note).arrange(DOWN, buff=0.2)
        return fit_to_panel_width(group, self.column_width)

    def get_grid_marks(self, axes: Axes) -> tuple[VGroup, VGroup]:
        """Every tenth point of the grid the CDF is computed on, and how many there are."""
        grid = self.lecture.sampling.estimate.grid
        ticks = VGroup(
            *(
                Line(axes.c2p(x, 0), axes.c2p(x, 0.08), color=theme.MUTED, stroke_width=1.5)
                for x in grid[::10]
            )
        )
        n = self.fmt("sampling.estimate.grid.shape[0]", grid.shape[0], 0)
        note = VGroup(
            text(f"computed on {n} grid points", theme.SMALL_SIZE, theme.MUTED),
            text("(every tenth is marked)", theme.SMALL_SIZE, theme.MUTED),
        ).arrange(DOWN, buff=0.08)
        note = fit_to_panel_width(note, self.column_width)
        return ticks, note.move_to([self.column_x, axes.get_center()[1], 0])

    def get_inverse_formula(self) -> VGroup:
        size = theme.NUMBER_SIZE * 1.2
        formula = MathTex(r"x = F^{-1}(u)", font_size=size, color=theme.DECODED_COLOR)
        note = VGroup(
            text("inverted on the grid,", theme.SMALL_SIZE, theme.MUTED),
            text("by interpolation", theme.SMALL_SIZE, theme.MUTED),
        ).arrange(DOWN, buff=0.08)
        return fit_to_panel_width(VGroup(formula, note).arrange(DOWN, buff=0.2), self.column_width)

    def get_curve(self, axes: Axes, values, color: str) -> VMobject:
        grid = self.lecture.sampling.estimate.grid
        return curve_on(axes, np.column_stack([grid, values]), color, width=4)

    def get_bars(self, axes: Axes, hist, color: str) -> VGroup:
        bars = VGroup()
        for left, right, height in zip(hist.edges[:-1], hist.edges[1:], hist.heights, strict=True):
            corner = axes.c2p(left, 0)
            top = axes.c2p(right, height)
            rect = Rectangle(
                width=max(top[0] - corner[0], 1e-3),
                height=max(top[1] - corner[1], 1e-3),
                fill_color=color,
                fill_opacity=0.55,
                stroke_width=0,
            )
            rect.move_to(corner, aligned_edge=DL)
            bars.add(rect)
        return bars

    def get_sample_bars(self, axes: Axes, j: int) -> VGroup:
        """Histogram of the first ``sample_checkpoints[j]`` inverse-CDF samples."""
        return self.get_bars(axes, self.lecture.sampling.sample_histograms[j], theme.DECODED_COLOR)

    def get_sample_count(self, axes: Axes, j: int) -> VGroup:
        count = self.lecture.sampling.sample_checkpoints[j]
        n = self.number(f"sampling.sample_checkpoints[{j}]", count, 0)
        label = VGroup(MathTex("n =", font_size=theme.NUMBER_SIZE * 1.25), n).arrange(RIGHT)
        return label.next_to(axes, UP, buff=0.05).align_to(axes, RIGHT)

    def show_inversion(self, i: int, axes: Axes) -> None:
        samp = self.lecture.sampling
        u, x = float(samp.uniforms[i]), float(samp.samples[i])
        x0 = self.x_range[0]
        start, hit, foot = axes.c2p(x0, u), axes.c2p(x, u), axes.c2p(x, 0)
        dot = Dot(start, color=theme.ACCENT, radius=0.07)
        u_label = VGroup(
            MathTex("u =", font_size=theme.NUMBER_SIZE, color=theme.ACCENT),
            self.number(f"sampling.uniforms[{i}]", u, 3, theme.SMALL_SIZE, theme.ACCENT),
        ).arrange(RIGHT, buff=0.1)
        # Inside the axes, above the start of the dashed line: the frame ends just right.
        u_label.next_to(start, UP + RIGHT, buff=0.08)
        across = DashedLine(start, hit, color=theme.ACCENT, stroke_width=2.5)
        down = DashedLine(hit, foot, color=theme.DECODED_COLOR, stroke_width=2.5)
        x_label = VGroup(
            MathTex("x =", font_size=theme.NUMBER_SIZE, color=theme.DECODED_COLOR),
            self.number(f"sampling.samples[{i}]", x, 3, theme.SMALL_SIZE, theme.DECODED_COLOR),
        ).arrange(RIGHT, buff=0.1)
        x_label.next_to(foot, UP + RIGHT, buff=0.1)
        self.play(FadeIn(dot), FadeIn(u_label), run_time=0.4)
        self.draw_before(u_label, dot)  # the dot leaves it behind: drawn once per play
        self.play(Create(across), dot.animate.move_to(hit), run_time=0.7)
        self.play(Create(down), dot.animate.move_to(foot), run_time=0.6)
        self.play(FadeIn(x_label), run_time=0.3)
        self.wait(0.3)
        self.play(FadeOut(VGroup(dot, u_label, across, down, x_label)), run_time=0.3)
