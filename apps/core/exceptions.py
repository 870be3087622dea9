"""The project's business errors. Services raise them; views and commands turn them
into a message next to a field, a clear page, or a one-line command error."""

from __future__ import annotations


class HMSError(Exception):
    """Base of every business error; its message is safe to show to the user."""

    #: name of the form field the error belongs to, when it belongs to one
    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class ValidationError(HMSError):
    """Input that breaks a business rule."""


class NotFound(HMSError):
    """The object does not exist (or is not visible to the caller)."""


class Conflict(HMSError):
    """The operation clashes with the current state (e.g. a job already running)."""
