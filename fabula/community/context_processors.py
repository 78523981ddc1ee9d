from django.utils.functional import SimpleLazyObject

from fabula.community.selectors import unread_notifications


def alerts(request):
    """`unread_alerts`: the member's unread notifications, for the bell in the header.

    Counted only when a page shows it (the header asks for members only), so a guest's page
    costs no query for it."""
    return {"unread_alerts": SimpleLazyObject(lambda: unread_notifications(request.user))}
