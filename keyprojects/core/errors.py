"""Exceptions services raise with a message a person can act on (in Chinese)."""


class StaleEdit(Exception):
    """Someone saved the record after this editor loaded it."""

    def __init__(self, message: str, current_version: int):
        super().__init__(message)
        self.message = message
        self.current_version = current_version


class NotAllowed(Exception):
    """The action is not possible in the record's state (e.g. approving a draft)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
