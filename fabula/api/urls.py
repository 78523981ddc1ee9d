"""The API's addresses: /api/v1/ (with /api/v1/openapi.json and /api/v1/docs), the member's
token page under /accounts/, and KOReader's sync server under /kosync/."""

from django.urls import path

from fabula.api import kosync, views
from fabula.api.site import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("accounts/api-tokens/", views.tokens, name="api-tokens"),
    path("help/koreader/", views.koreader_help, name="koreader-help"),
    # KOReader appends these to the server address a reader gives it (…/kosync).
    path("kosync/users/create", kosync.register, name="kosync-register"),
    path("kosync/users/auth", kosync.auth, name="kosync-auth"),
    path("kosync/syncs/progress", kosync.put_progress, name="kosync-put"),
    path("kosync/syncs/progress/<str:document>", kosync.get_progress, name="kosync-get"),
]
