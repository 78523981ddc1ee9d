"""Fabula's own addresses. eFiction's old ones are answered by `legacy` (last, a catch-all)."""

from django.contrib import admin
from django.urls import include, path

from fabula.stories.views import authors as accounts
from fabula.stories.views import browse as taxonomy
from fabula.stories.views import members
from fabula.stories.views import reading as stories

urlpatterns = [
    path("", stories.home, name="home"),
    path("stories/", stories.story_list, name="browse"),
    path("recent/", stories.recent, name="recent"),
    path("titles/", stories.titles, name="titles"),
    path("titles/<str:letter>/", stories.titles, name="titles-letter"),
    path("stories/<int:story_id>/", stories.story_index, name="story"),
    path("stories/<int:story_id>/all/", stories.story_full, name="story-full"),
    path("stories/<int:story_id>/chapters/<int:position>/", stories.chapter, name="chapter"),
    path("stories/<int:story_id>/gate/", stories.gate, name="story-gate"),
    path("series/", stories.series_list, name="series-list"),
    path("series/<int:series_id>/", stories.series_detail, name="series"),
    path("authors/", accounts.author_list, name="authors"),
    path("authors/<int:user_id>/", accounts.author_detail, name="author"),
    path("ratings/", taxonomy.rating_list, name="ratings"),
    path("ratings/<int:rating_id>/", taxonomy.rating_detail, name="browse-rating"),
    path("browse/<slug:slug>/", taxonomy.kind_detail, name="browse-kind"),
    path("browse/<slug:slug>/<int:tag_id>/", taxonomy.tag_detail, name="browse-tag"),
    path("accounts/delete/", members.delete_account, name="account-delete"),
    path("accounts/", include("fabula.accounts.urls")),
    path("", include("fabula.stories.urls")),
    path("", include("fabula.community.urls")),
    path("", include("fabula.search.urls")),
    path("", include("fabula.formats.urls")),
    path("", include("fabula.moderation.urls")),
    path("admin/", admin.site.urls),
    path("", include("fabula.legacy.urls")),
]

handler404 = "fabula.stories.views.reading.not_found"
