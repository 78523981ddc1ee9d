"""Fabula's addresses: each app's own `urls.py`, the admin, and the 404 page. eFiction's old
addresses are answered by `legacy` (last, a catch-all)."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # First: an API request then matches at once instead of walking every page's pattern
    # (which cost it half its time when its answer came from the guest cache). Its addresses
    # (api/v1/, kosync/, accounts/api-tokens/, help/koreader/) are no other app's.
    path("", include("fabula.api.urls")),
    path("", include("fabula.conf.urls")),
    path("", include("fabula.stories.urls")),
    path("accounts/", include("fabula.accounts.urls")),
    path("", include("fabula.community.urls")),
    path("", include("fabula.collections.urls")),
    path("", include("fabula.news.urls")),
    path("", include("fabula.search.urls")),
    path("", include("fabula.formats.urls")),
    path("", include("fabula.moderation.urls")),
    path("admin/", admin.site.urls),
    # Browsers and feed readers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path("favicon.ico", RedirectView.as_view(url=static("fabula/favicon.svg"), permanent=True)),
    path("", include("fabula.legacy.urls")),
]

handler404 = "fabula.stories.views.reading.not_found"
