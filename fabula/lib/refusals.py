"""The one way an action says no: `ActionRefused`, whose message is meant for the member.

Views catch `ActionRefused` and show the message; every app's refusals are this class or one of
its kinds below, so a view catches one family. It is a `ValueError`, so code that checks input
by catching `ValueError` (an importer, a command) still catches a refusal.
"""


class ActionRefused(ValueError):
    """The action cannot be done as asked; the message is meant for the member."""


class FieldRefused(ActionRefused):
    """What one field of the form said is refused: a page shows the message beside that field
    (named as the form names it), tied to it for screen readers."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


class NotAllowed(ActionRefused):
    """This member (or guest) may not do this (a page shows it as 403)."""


class RateLimited(ActionRefused):
    """Too many of these in a short time (a page shows it as 429, with a Retry-After header of
    `retry_after` seconds)."""

    def __init__(self, message: str, retry_after: int = 60):
        super().__init__(message)
        self.retry_after = retry_after
