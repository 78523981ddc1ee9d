"""Every write to stories, chapters, series and challenges, one module per concern.

Views, commands, importers and the API call these functions (`actions.story_create(...)`); they
never save the models themselves. Each action keeps the derived counts (words, chapters), tells
the search index and retires cached pages. Staff decisions (validate, reject, hide) live in
`fabula.moderation.actions`.
"""

from fabula.lib.refusals import ActionRefused
from fabula.stories.actions.chapters import (
    announce_when_committed,
    chapter_add,
    chapter_delete,
    chapter_post,
    chapter_reorder,
    chapter_schedule,
    chapter_update,
    check_chapter_size,
    release_due_chapters,
)
from fabula.stories.actions.coauthors import (
    coauthor_accept,
    coauthor_decline,
    coauthor_invite,
    coauthor_remove,
    credit_sign,
)
from fabula.stories.actions.gifts import (
    gift_give,
    gift_refuse,
    gifts_announce,
    member_named,
    story_set_gifts,
)
from fabula.stories.actions.imports import StoryImport, chapters_import, stories_import
from fabula.stories.actions.members import account_delete
from fabula.stories.actions.posting import story_post
from fabula.stories.actions.pseuds import (
    default_pseud,
    pseud_add,
    pseud_delete,
    pseud_make_default,
    pseud_rename,
    signing_pseud,
)
from fabula.stories.actions.reads import read_marks_add
from fabula.stories.actions.relations import (
    relation_add,
    relation_answer,
    relation_remove,
    relations_announce,
    story_links_announce,
)
from fabula.stories.actions.series import (
    challenge_create,
    series_add,
    series_add_work,
    series_confirm_entry,
    series_create,
    series_delete,
    series_remove_entry,
    series_update,
)
from fabula.stories.actions.stories import (
    story_count_chapters,
    story_create,
    story_delete,
    story_recount,
    story_set_featured,
    story_set_recorded_counts,
    story_set_tags,
    story_submit,
    story_update,
)
from fabula.stories.actions.wrangling import tag_merge

__all__ = [
    "ActionRefused",
    "StoryImport",
    "account_delete",
    "announce_when_committed",
    "challenge_create",
    "chapter_add",
    "chapter_delete",
    "chapter_post",
    "chapter_reorder",
    "chapter_schedule",
    "chapter_update",
    "chapters_import",
    "check_chapter_size",
    "coauthor_accept",
    "coauthor_decline",
    "coauthor_invite",
    "coauthor_remove",
    "credit_sign",
    "default_pseud",
    "gift_give",
    "gift_refuse",
    "gifts_announce",
    "member_named",
    "pseud_add",
    "pseud_delete",
    "pseud_make_default",
    "pseud_rename",
    "read_marks_add",
    "relation_add",
    "relation_answer",
    "relation_remove",
    "relations_announce",
    "release_due_chapters",
    "series_add",
    "series_add_work",
    "series_confirm_entry",
    "series_create",
    "series_delete",
    "series_remove_entry",
    "series_update",
    "signing_pseud",
    "stories_import",
    "story_count_chapters",
    "story_create",
    "story_delete",
    "story_post",
    "story_recount",
    "story_links_announce",
    "story_set_featured",
    "story_set_gifts",
    "story_set_recorded_counts",
    "story_set_tags",
    "story_submit",
    "story_update",
    "tag_merge",
]
