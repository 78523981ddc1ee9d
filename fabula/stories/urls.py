"""Authors' pages (`authoring`), under /manage/; fabula/urls.py includes them."""

from django.urls import path

from fabula.stories.views import authoring as views

app_name = "stories"
urlpatterns = [
    path("manage/", views.my_stories, name="mine"),
    path("manage/post/", views.story_new, name="new"),
    path("manage/stories/<int:story_id>/", views.story_manage, name="manage"),
    path("manage/stories/<int:story_id>/edit/", views.story_edit, name="edit"),
    path("manage/stories/<int:story_id>/submit/", views.story_submit, name="submit"),
    path("manage/stories/<int:story_id>/delete/", views.story_delete, name="delete"),
    path("manage/stories/<int:story_id>/chapters/new/", views.chapter_new, name="chapter-new"),
    path("manage/stories/<int:story_id>/chapters/order/", views.chapter_reorder, name="reorder"),
    path(
        "manage/stories/<int:story_id>/chapters/<int:chapter_id>/edit/",
        views.chapter_edit,
        name="chapter-edit",
    ),
    path(
        "manage/stories/<int:story_id>/chapters/<int:chapter_id>/delete/",
        views.chapter_delete,
        name="chapter-delete",
    ),
    path(
        "manage/stories/<int:story_id>/chapters/<int:chapter_id>/schedule/",
        views.chapter_schedule,
        name="chapter-schedule",
    ),
    path("manage/stories/<int:story_id>/coauthors/invite/", views.coauthor_invite, name="invite"),
    path(
        "manage/stories/<int:story_id>/coauthors/<int:user_id>/remove/",
        views.coauthor_remove,
        name="coauthor-remove",
    ),
    path("manage/stories/<int:story_id>/leave/", views.story_leave, name="leave"),
    path("manage/invites/<int:invite_id>/<str:answer>/", views.invite_answer, name="invite-answer"),
    path("manage/series/new/", views.series_new, name="series-new"),
    path("manage/series/<int:series_id>/", views.series_manage, name="series-manage"),
    path("manage/series/<int:series_id>/add/", views.series_add, name="series-add"),
    path("manage/series/<int:series_id>/delete/", views.series_delete, name="series-delete"),
    path(
        "manage/series/<int:series_id>/entries/<int:entry_id>/<str:verb>/",
        views.series_entry,
        name="series-entry",
    ),
    path("manage/challenges/new/", views.challenge_new, name="challenge-new"),
]
