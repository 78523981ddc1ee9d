"""Routes of the stories app; fabula/urls.py includes them at the root.

Two audiences, two lists. The reader pages (home, lists, stories, chapters, gates, series,
authors, browsing) keep the short names every template uses (`story`, `chapter`, `browse-tag`):
they sit in no namespace. The pages of authors (`authoring`) and of series' and challenges'
keepers (`curating`), under /manage/, sit in the `stories` namespace (`stories:manage`,
`stories:series-manage`).
"""

from django.urls import include, path

from fabula.stories.views import (
    authoring,
    authors,
    browse,
    curating,
    members,
    pseuds,
    reading,
    wrangling,
)

reader_urlpatterns = [
    path("", reading.home, name="home"),
    path("stories/", reading.story_list, name="browse"),
    path("recent/", reading.recent, name="recent"),
    path("titles/", reading.titles, name="titles"),
    path("titles/<str:letter>/", reading.titles, name="titles-letter"),
    path("stories/<int:story_id>/", reading.story_index, name="story"),
    path("stories/<int:story_id>/all/", reading.story_full, name="story-full"),
    # A chapter's address names its id, so it survives a reorder (docs/decisions.md, "Chapter
    # addresses"). The position addresses of before still answer, with a permanent redirect,
    # and the "go to chapter" menu asks by position too.
    path("stories/<int:story_id>/chapter/<int:chapter_id>/", reading.chapter, name="chapter"),
    path("stories/<int:story_id>/chapters/", reading.chapter_go, name="chapter-go"),
    path("stories/<int:story_id>/chapters/<int:position>/", reading.chapter_at, name="chapter-at"),
    path("stories/<int:story_id>/gate/", reading.gate, name="story-gate"),
    path("series/", reading.series_list, name="series-list"),
    path("series/<int:series_id>/", reading.series_detail, name="series"),
    path("authors/", authors.author_list, name="authors"),
    path("authors/<int:user_id>/", authors.author_detail, name="author"),
    path("authors/<int:user_id>/gifts/", authors.author_gifts, name="gifts"),
    path("authors/<int:user_id>/pseuds/<int:pseud_id>/", authors.pseud_detail, name="pseud"),
    path("ratings/", browse.rating_list, name="ratings"),
    path("ratings/<int:rating_id>/", browse.rating_detail, name="browse-rating"),
    path("browse/<slug:slug>/", browse.kind_detail, name="browse-kind"),
    path("browse/<slug:slug>/<int:tag_id>/", browse.tag_detail, name="browse-tag"),
    path("browse/<slug:slug>/suggest.json", browse.tag_suggest, name="tag-suggest"),
    # A member leaving (views/members.py): under accounts/ with the other account pages, which
    # fabula/urls.py includes after this file.
    path("accounts/delete/", members.delete_account, name="account-delete"),
]

manage_urlpatterns = [
    path("manage/", authoring.my_stories, name="mine"),
    path("manage/pseuds/", pseuds.pseud_list, name="pseuds"),
    path("manage/pseuds/add/", pseuds.pseud_add, name="pseud-add"),
    path("manage/pseuds/<int:pseud_id>/rename/", pseuds.pseud_rename, name="pseud-rename"),
    path("manage/pseuds/<int:pseud_id>/default/", pseuds.pseud_make_default, name="pseud-default"),
    path("manage/pseuds/<int:pseud_id>/delete/", pseuds.pseud_delete, name="pseud-delete"),
    path("manage/post/", authoring.story_new, name="new"),
    path("manage/stories/<int:story_id>/", authoring.story_manage, name="manage"),
    path("manage/stories/<int:story_id>/edit/", authoring.story_edit, name="edit"),
    path("manage/stories/<int:story_id>/submit/", authoring.story_submit, name="submit"),
    path("manage/stories/<int:story_id>/delete/", authoring.story_delete, name="delete"),
    path("manage/stories/<int:story_id>/chapters/new/", authoring.chapter_new, name="chapter-new"),
    path(
        "manage/stories/<int:story_id>/chapters/order/", authoring.chapter_reorder, name="reorder"
    ),
    path(
        "manage/stories/<int:story_id>/chapters/<int:chapter_id>/edit/",
        authoring.chapter_edit,
        name="chapter-edit",
    ),
    path(
        "manage/stories/<int:story_id>/chapters/<int:chapter_id>/delete/",
        authoring.chapter_delete,
        name="chapter-delete",
    ),
    path(
        "manage/stories/<int:story_id>/chapters/<int:chapter_id>/schedule/",
        authoring.chapter_schedule,
        name="chapter-schedule",
    ),
    path(
        "manage/stories/<int:story_id>/coauthors/invite/",
        authoring.coauthor_invite,
        name="invite",
    ),
    path(
        "manage/stories/<int:story_id>/coauthors/<int:user_id>/remove/",
        authoring.coauthor_remove,
        name="coauthor-remove",
    ),
    path("manage/stories/<int:story_id>/leave/", authoring.story_leave, name="leave"),
    path("manage/stories/<int:story_id>/sign/", authoring.story_sign, name="sign"),
    path(
        "manage/invites/<int:invite_id>/<str:answer>/",
        authoring.invite_answer,
        name="invite-answer",
    ),
    path("manage/gifts/<int:gift_id>/refuse/", authoring.gift_refuse, name="gift-refuse"),
    path(
        "manage/stories/<int:story_id>/related/<int:relation_id>/remove/",
        authoring.relation_remove,
        name="relation-remove",
    ),
    path(
        "manage/related/<int:relation_id>/<str:answer>/",
        authoring.relation_answer,
        name="relation-answer",
    ),
    path("manage/series/new/", curating.series_new, name="series-new"),
    path("manage/series/<int:series_id>/", curating.series_manage, name="series-manage"),
    path("manage/series/<int:series_id>/add/", curating.series_add, name="series-add"),
    path("manage/series/<int:series_id>/delete/", curating.series_delete, name="series-delete"),
    path(
        "manage/series/<int:series_id>/entries/<int:entry_id>/<str:verb>/",
        curating.series_entry,
        name="series-entry",
    ),
    path("manage/challenges/new/", curating.challenge_new, name="challenge-new"),
    path("wrangling/", wrangling.queue, name="wrangling"),
    path("wrangling/tags/<int:tag_id>/", wrangling.tag, name="wrangle-tag"),
    path("wrangling/tags/<int:tag_id>/<str:verb>/", wrangling.wrangle, name="wrangle"),
]

urlpatterns = [
    *reader_urlpatterns,
    path("", include((manage_urlpatterns, "stories"))),
]
