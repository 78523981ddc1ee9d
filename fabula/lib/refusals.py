"""The one way an action says no: `ActionRefused`, whose message is meant for the member.

Views catch it and show the message; every app's refusals are this class or a subclass of it.
"""


class ActionRefused(ValueError):
    """The action cannot be done as asked; the message is meant for the member."""
