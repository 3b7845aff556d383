"""Logging for the site."""

import logging
import sys


class StderrHandler(logging.StreamHandler):
    """Writes to sys.stderr as it is at each record, not as it was when logging was configured: a command runner
    or a test may set Django up while stderr is swapped for a buffer it closes afterwards."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass  # always the current sys.stderr
