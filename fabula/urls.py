"""Fabula's addresses: each app's own `urls.py`, the admin, and the 404 page. eFiction's old
addresses are answered by `legacy` (last, a catch-all)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("fabula.conf.urls")),
    path("", include("fabula.stories.urls")),
    path("accounts/", include("fabula.accounts.urls")),
    path("", include("fabula.community.urls")),
    path("", include("fabula.search.urls")),
    path("", include("fabula.formats.urls")),
    path("", include("fabula.moderation.urls")),
    path("", include("fabula.api.urls")),
    path("admin/", admin.site.urls),
    path("", include("fabula.legacy.urls")),
]

handler404 = "fabula.stories.views.reading.not_found"
