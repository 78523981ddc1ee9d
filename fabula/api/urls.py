"""The API's addresses: /api/v1/ (with /api/v1/openapi.json and /api/v1/docs)."""

from django.urls import path

from fabula.api.site import api

urlpatterns = [
    path("api/v1/", api.urls),
]
