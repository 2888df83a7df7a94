"""The numbers of Lecture 1, computed with numpy and scipy only (never manim)."""
