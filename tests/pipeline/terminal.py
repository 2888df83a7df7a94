"""Start a command as a user's terminal would, for the tests that send it Ctrl-C."""

from __future__ import annotations

import signal


def as_at_a_terminal() -> None:
    """``preexec_fn`` for a command that a test will Ctrl-C: SIGINT as a terminal leaves it,
    handled by default and not blocked. What the test process has is inherited otherwise: a
    shell running the tests in the background (`make test &`) makes SIGINT ignored (a CI
    run launched that way rendered to the end, exit 0), and a blocked SIGINT stays blocked
    across exec (Python then never sees a Ctrl-C)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
