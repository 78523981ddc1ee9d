"""Routes of this app (fabula/urls.py includes them): downloads, feeds, the OPDS catalog."""

from django.urls import path

from fabula.formats import views

urlpatterns = [
    path("downloads/<int:story_id>/<str:format_name>/", views.download, name="download"),
    path("feeds/recent.atom", views.atom_feed, {"feed": "recent"}, name="feed-recent"),
    path("feeds/news.atom", views.atom_feed, {"feed": "news"}, name="feed-news"),
    path("feeds/tags/<int:target>.atom", views.atom_feed, {"feed": "tag"}, name="feed-tag"),
    path(
        "feeds/authors/<int:target>.atom", views.atom_feed, {"feed": "author"}, name="feed-author"
    ),
    path("feeds/series/<int:target>.atom", views.atom_feed, {"feed": "series"}, name="feed-series"),
    path("feeds/stories/<int:story_id>.atom", views.feed_story, name="feed-story"),
    path("feeds/lists/<int:list_id>.atom", views.feed_reading_list, name="feed-reading-list"),
    path("opds/", views.opds_feed, {"feed": "root"}, name="opds-root"),
    path("opds/recent/", views.opds_feed, {"feed": "recent"}, name="opds-recent"),
    path("opds/categories/", views.opds_feed, {"feed": "categories"}, name="opds-categories"),
    path("opds/tags/<int:target>/", views.opds_feed, {"feed": "tag"}, name="opds-tag"),
    path("opds/authors/", views.opds_feed, {"feed": "authors"}, name="opds-authors"),
    path("opds/authors/<int:target>/", views.opds_feed, {"feed": "author"}, name="opds-author"),
    path("opds/series/", views.opds_feed, {"feed": "series-list"}, name="opds-series-list"),
    path("opds/series/<int:target>/", views.opds_feed, {"feed": "series"}, name="opds-series"),
    path("opds/top/<slug:target>/", views.opds_feed, {"feed": "top"}, name="opds-top"),
    path("opds/search/", views.opds_search, name="opds-search"),
    path("opds/opensearch.xml", views.opds_opensearch, name="opds-opensearch"),
    path("opds/favourites/", views.opds_favourites, name="opds-favourites"),
    path("opds/later/", views.opds_later, name="opds-later"),
    path("opds/lists/<int:list_id>/", views.opds_reading_list, name="opds-reading-list"),
    path("opds/app-passwords/", views.app_passwords, name="app-passwords"),
]
