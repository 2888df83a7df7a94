"""The one place for colours, fonts, sizes and axis ranges of every scene."""

from __future__ import annotations

# Colours (dark background, as in 3b1b's videos; all text meets WCAG AA contrast on it).
BACKGROUND = "#101218"
TEXT = "#ECEAE4"
MUTED = "#9AA0AA"
ACCENT = "#F2C14E"  # highlights: the current step, the number being explained
GRID = "#2E3340"
AXIS = "#7B8190"
#: one colour per mixture component, wherever that component appears
COMPONENT_COLORS = ("#5DA9F0", "#F28E2B", "#62C370")
FIT_COLOR = "#E8615A"  # the single-Gaussian fit
MODEL_COLOR = "#C792EA"  # a learned/estimated density (KDE, reverse-KL fit)
LATENT_COLOR = "#8FB8DE"
DECODED_COLOR = "#DD8452"

# Type
FONT = "DejaVu Sans"
TITLE_SIZE = 52
HEADING_SIZE = 38
#: the title in the panel beside a data plane (long ones take two lines, never shrink)
PANEL_HEADING_SIZE = 32
BODY_SIZE = 28
SMALL_SIZE = 22
NUMBER_SIZE = 30
#: a formula or number inline with SMALL_SIZE text (TeX draws smaller than Pango at one size)
SMALL_TEX_SIZE = SMALL_SIZE * 1.4
EQUATION_SCALE = 0.9

# Geometry (Manim units; the frame is 14.22 x 8)
#: text keeps this far in from the left/right and top/bottom edges: the title-safe area,
#: 5% of the frame on each side
SAFE_X = 0.72
SAFE_Y = 0.4
TITLE_EDGE_BUFF = 0.45
#: the data plane every 2D scene shares, matching math_core.lecture1.PLANE_LIMITS
PLANE_RANGE = (-5.0, 5.0, 1.0)
PLANE_SIDE = 6.2
#: the plane sits at the left edge, a little low, leaving the right for the text panel
PLANE_EDGE_BUFF = SAFE_X
PLANE_DROP = 0.1
#: the text panel to the right of a data plane: its centre x and usable width
PANEL_X = 3.3
PANEL_WIDTH = 6.1
DOT_RADIUS = 0.032
DOT_OPACITY = 0.75

# Timing
BEAT_PAUSE = 0.6
#: seconds from a beat's start (after a title card) to its first word, and of quiet after
#: its last word before the next beat
SPEECH_LEAD = 0.3
SPEECH_TAIL = 0.6
#: how much slower than written a beat's animations may run to follow its speech
MAX_STRETCH = 2.0
#: the title card that opens every scene: fade in, hold, fade out (1.7 s in all)
TITLE_CARD_TIMES = (0.4, 0.9, 0.4)
CARD_WIDTH = 12.0
#: the latent scene's plane: z and x = g(z) both fit in it
LATENT_RANGE = (-6.0, 6.0, 2.0)
#: the diffusion preview's plane: wide enough for the data under the largest noise
DIFFUSION_RANGE = (-9.0, 9.0, 3.0)
