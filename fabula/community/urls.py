"""Routes of this app (namespace `community`); fabula/urls.py includes them at the root."""

from django.urls import path
from django.views.generic import RedirectView

from fabula.community import views

app_name = "community"
urlpatterns = [
    path("stories/<int:story_id>/reviews/", views.story_reviews, name="story-reviews"),
    path("stories/<int:story_id>/reviews/new/", views.review_new, name="review-new"),
    path("series/<int:series_id>/reviews/", views.series_reviews, name="series-reviews"),
    path("series/<int:series_id>/reviews/new/", views.series_review_new, name="series-review-new"),
    path("reviews/<int:review_id>/reply/", views.review_reply, name="review-reply"),
    path("reviews/<int:review_id>/edit/", views.review_edit, name="review-edit"),
    path("reviews/<int:review_id>/delete/", views.review_delete, name="review-delete"),
    path("stories/<int:story_id>/kudos/", views.kudos, name="kudos"),
    path("stories/<int:story_id>/later/", views.later, name="later"),
    path("favourite/<str:kind>/<int:pk>/", views.favourite, name="favourite"),
    path("follow/<str:kind>/<int:pk>/", views.toggle, {"switch": views.FOLLOW}, name="follow"),
    path("members/<int:user_id>/favourites/", views.favourites, name="favourites"),
    path("me/following/", views.following, name="following"),
    path("me/notifications/", views.notifications, name="notifications"),
    # Alerts are chosen on the account's preferences page; the old address leads there.
    path(
        "me/alerts/",
        RedirectView.as_view(pattern_name="accounts:preferences"),
        name="preferences",
    ),
    path("me/history/", views.history, name="history"),
    path("me/later/", views.history, {"later_only": True}, name="later-list"),
    path("me/history/clear/", views.history_clear, name="history-clear"),
    path("me/history/switch/", views.history_switch, name="history-switch"),
    path("me/blocks/", views.blocks, name="blocks"),
    path("block/<str:kind>/<int:pk>/", views.toggle, {"switch": views.BLOCK}, name="block"),
    path("reading/<int:chapter_id>/position/", views.reading_position, name="reading-position"),
    path("me/lists/", views.my_reading_lists, name="reading-lists-mine"),
    path("members/<int:user_id>/lists/", views.member_reading_lists, name="reading-lists"),
    path("lists/<int:list_id>/", views.reading_list, name="reading-list"),
    path("lists/<int:list_id>/edit/", views.reading_list_edit, name="reading-list-edit"),
    path("lists/<int:list_id>/delete/", views.reading_list_delete, name="reading-list-delete"),
    path(
        "lists/<int:list_id>/entries/<int:entry_id>/remove/",
        views.reading_list_remove,
        name="reading-list-remove",
    ),
    path("stories/<int:story_id>/lists/add/", views.reading_list_add, name="reading-list-add"),
    path("top/", views.top, name="toplists"),
    path("top/<slug:name>/", views.top, name="toplist"),
    path("stats/", views.stats, name="stats"),
]
