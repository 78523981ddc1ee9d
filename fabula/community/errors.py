"""What community actions raise when a request cannot be honoured; views turn these into pages."""


class CommunityError(ValueError):
    """Bad input or a rule of the site said no; the message is shown to the member."""


class NotAllowed(CommunityError):
    """This member (or guest) may not do this."""


class RateLimited(CommunityError):
    """Too many reviews or kudos in a short time."""
