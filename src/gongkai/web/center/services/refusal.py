"""A user's action that the rules refuse: the message is shown to the user (Chinese), the status goes to the API."""

from __future__ import annotations


class Refused(ValueError):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
