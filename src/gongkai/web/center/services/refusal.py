"""A user's action that the rules refuse: the message is shown to the user (Chinese), the status goes to the API."""

from __future__ import annotations


class Refused(ValueError):
    code = "refused"  # the API's error code; each kind of refusal names its own

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
