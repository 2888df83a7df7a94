"""The `lecture` command: render, preview and assemble the lecture from the scenes."""
