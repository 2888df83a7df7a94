"""The drawing machinery under the storyboard: the point cloud and the camera that splats it
(:mod:`~scenes.kit.cloud`, :mod:`~scenes.kit.camera`), mobjects kept on disk between renders
(:mod:`~scenes.kit.stored`), the Manim patches a render worker installs
(:mod:`~scenes.kit.patches`), what the pipeline tells a scene (:mod:`~scenes.kit.env`) and how
beats stretch to their speech (:mod:`~scenes.kit.pacing`)."""
