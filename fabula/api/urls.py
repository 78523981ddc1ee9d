"""The API's addresses: /api/v1/ (with /api/v1/openapi.json and /api/v1/docs), the member's
token page under /accounts/, and KOReader's sync server under /kosync/."""

from django.urls import path

from fabula.api import views
from fabula.api.site import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("accounts/api-tokens/", views.tokens, name="api-tokens"),
]
