"""eFiction's addresses: one catch-all for `<folder>/<script>.php` and one for the folder itself,
included last.

The folder is checked against the site's legacy prefix in the view, not here, so that an
administrator can move the old archive's folder without a restart.
"""

from django.urls import re_path

from fabula.legacy import views

urlpatterns = [
    re_path(r"^(?P<folder>(?:.*/)?)(?P<script>\w+)\.php$", views.legacy_script),
    # Plain folder names only: `viewstory.phps` must not gain a slash (APPEND_SLASH) and a page.
    re_path(r"^(?P<folder>(?:[\w-]+/)+)$", views.legacy_folder),
]
