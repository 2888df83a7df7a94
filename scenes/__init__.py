"""The course's scenes: one package per lecture (``scenes/<lecture id>/``, whose ``LECTURE``
declares it: see :mod:`scenes.kit.course`), and what every lecture's scenes share (the base
scene, theme, layout, mobjects, narration, and the kit).

Scenes animate and compute nothing: every number comes from the lecture's numbers module in
``math_core``.
"""
