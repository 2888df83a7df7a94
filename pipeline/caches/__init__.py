"""What decides each output, and the caches keyed by it: scenes, the render stamp, TeX."""
