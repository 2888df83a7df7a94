"""Manim scenes of Lecture 1; SCENES_IN_ORDER below is the storyboard."""
