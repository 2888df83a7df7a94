"""One module per ``lecture`` subcommand; ``pipeline.cli`` gathers them into one group."""
