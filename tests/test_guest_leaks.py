"""Nothing a guest may not know of leaks to a guest, through any address the site serves.

A *secret* is a story a guest must never learn of: a locked (members-only) story, and whatever
other cases are added (an unrevealed collection's story, say). The walk takes every pattern of
the URLconf, fills its parameters with the ids of everything around the secret (its own id and
chapters, its authors, tags, series, challenge, the reviews of it, a member who favourited it),
adds the query strings that look for it (search with its title's words on the site, in the API,
OPDS and eFiction's search.php, and eFiction's old addresses), and asks each address as a guest.
Then:

- the secret's title, chapter titles and texts appear in no answer (body or headers);
- an address naming the secret itself (its id or a chapter's) answers with a gate, a refusal or
  a 404 (400, 401, 403, 404 or 405, or the way to the login page), never its text;
- every other answer is the very answer of the same archive with the secret deleted (the form
  tokens set aside): no list, count, total, feed, date or page number gives it away.

To add a secret: write a fixture returning a `Secret` and decorate it with `@secret_case` (the
walk runs once per case). Give its story an id no other object has (`story_id=`, as
`locked_story` does), fill `Secret.ids` with the ids of what surrounds it under the keys
`PARAMETERS` reads (add keys for new kinds of pages: a collection's id, say), and add to
`PARAMETERS` any URL parameter the site gained: the walk fails on one it cannot fill, naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import product
from urllib.parse import quote_plus, unquote_plus

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

from fabula.accounts.models import Pseud
from fabula.api.tests.helpers import bearer
from fabula.community import actions as community
from fabula.community.toplists import TITLES as TOPLISTS
from fabula.conf.models import site_settings
from fabula.formats.registry import formats
from fabula.stories import actions
from fabula.stories.models import Status, Story
from fabula.taxonomy.models import Rating, TagKind
from fabula.test import set_site

pytestmark = pytest.mark.django_db


@dataclass
class Secret:
    """A story no guest may learn of, and what surrounds it."""

    story: Story
    # Texts that must appear in no guest's answer: its title, chapter titles, its words.
    words: list[str]
    # Ids by what they are ("story", "chapter", "author", "tag", "series", ...): `PARAMETERS`
    # says which a URL parameter takes.
    ids: dict[str, list[int | str]] = field(default_factory=dict)
    # Words to search for (the title's, by default).
    search: str = ""

    def own(self) -> set[str]:
        """The secret's own ids: an address naming one of them asks for the secret itself."""
        return {str(i) for key in ("story", "chapter") for i in self.ids.get(key, [])}


CASES: list[str] = []


def secret_case(fixture: Callable[..., Secret]) -> Callable[..., Secret]:
    """Register a fixture making a `Secret`: the walk runs once for each."""
    CASES.append(fixture.__name__)
    return pytest.fixture(fixture)


# What each URL parameter takes, by name: keys of `Secret.ids` or of `CONSTANT`. A parameter
# named nowhere here fails the walk.
ANY_ID = ["story", "chapter", "author", "member", "tag", "series", "review", "challenge"]
ANY_ID_PARAMETERS = {"target_id", "pk", "item_id"}
PARAMETERS: dict[str, list[str]] = {
    "story_id": ["story", "other_story"],
    "chapter_id": ["chapter", "other_chapter"],
    "user_id": ["author", "member"],
    "pseud_id": ["pseud"],
    "tag_id": ["tag"],
    "rating_id": ["rating"],
    "series_id": ["series"],
    "review_id": ["review"],
    "challenge_id": ["challenge"],
    "list_id": ["reading_list"],
    "target": ["tag", "author", "series", "toplist"],
    "target_id": ANY_ID,
    "pk": ANY_ID,
    "item_id": ANY_ID,
    "position": ["position"],
    "slug": ["kind_slug", "page"],
    "name": ["toplist"],
    "letter": ["letter"],
    "format_name": ["format"],
    "kind": ["kind"],
    "list_name": ["list_name"],
    # Members' and staff's own things, or answers of forms: a guest is refused (or sent to log
    # in) whatever the value, so one that names nothing will do.
    "invite_id": ["nothing"],
    "entry_id": ["nothing"],
    "report_id": ["nothing"],
    "saved_id": ["nothing"],
    "post_id": ["nothing"],
    "gift_id": ["nothing"],
    "relation_id": ["nothing"],
    "verb": ["word"],
    "answer": ["word"],
    "token": ["word"],
    "uidb64": ["word"],
    "document": ["word"],
}
# Beside a <kind> (favourite/story/<pk>, report/review/<item_id>, ...), an id takes only the ids
# of that kind.
KINDS: dict[str, list[str]] = {
    "story": ["story", "other_story"],
    "stories": ["story", "other_story"],
    "chapter": ["chapter", "other_chapter"],
    "review": ["review"],
    "author": ["author", "member"],
    "authors": ["author", "member"],
    "series": ["series"],
    "tag": ["tag"],
}
CONSTANT: dict[str, list[int | str]] = {
    "position": [1, 2],
    "kind": list(KINDS),
    "list_name": ["favourites", "later", "history"],
    "toplist": list(TOPLISTS),
    "page": ["about"],
    "nothing": [987654],
    "word": ["x"],
}
# A guest's answer to an address naming the secret: a refusal, a gate, nothing there.
REFUSED = {400, 401, 403, 404, 405}
# Per-request tokens and the times that move with the clock, set aside before comparing.
VARYING = [
    re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+'),
    re.compile(rb'(name="csrf-token" content=")[^"]+'),
]


# ---------------------------------------------------------------------------------------------
# The cases


@secret_case
def locked_story(
    archive, author, coauthor, reader, other_author, make_story, django_capture_on_commit_callbacks
) -> Secret:
    """A story its authors locked to members, with everything that could point at it: it is
    featured, the most read, kudosed, favourited, reviewed, on a public reading list and a gift
    to a member; it answers a challenge, sits in a series beside a public story, was inspired
    by another (whose author approved the link), and alone carries a free-form tag. All of it
    is in the search index (which fills itself when a write commits)."""
    with django_capture_on_commit_callbacks(execute=True):
        return _locked_story(archive, author, coauthor, reader, other_author, make_story)


def _locked_story(archive, author, coauthor, reader, other_author, make_story) -> Secret:
    set_site(anonymous_reviews=True)
    challenge = actions.challenge_create(title="Winter Challenge", owner=other_author)
    public = make_story(author, "Open Harbour", tags=[archive.fandom, archive.jim])
    story = actions.story_create(
        story_id=880_001,
        authors=[author, coauthor],
        title="Quillfeather Marmalade Zeppelin",
        summary="<p>Velvetine orchards of Brackenmoor.</p>",
        notes="<p>Gossamerly noted.</p>",
        rating=archive.general,
        tags=[archive.fandom, archive.subfandom, archive.pam, archive.humor, archive.violence],
        status=Status.PUBLISHED,
        locked=True,
        featured=True,
        language="fr",
        challenges=[challenge],
    )
    (freeform,) = actions.story_update(
        story=story,
        title=story.title,
        summary=story.summary,
        notes=story.notes,
        rating=story.rating,
        tags=list(story.tags.all()),
        freeform=["Zanzibarite Lanterns"],
        challenges=[challenge],
    ).tags.filter(name="Zanzibarite Lanterns")
    chapters = [
        actions.chapter_add(
            story=story,
            chapter_id=880_010 + n,
            title=f"Obsidianwhisper part {n}",
            body=f"<p>Thornquistle murmured over the Halvardine sea, {n}.</p>",
            notes="<p>Periwinkleton notes.</p>",
        )
        for n in (1, 2)
    ]
    Story.objects.filter(pk=story.pk).update(read_count=99_999, completed=True)
    series = actions.series_create(owner=author, title="Harbour Cycle")
    actions.series_add(series=series, story=public)
    actions.series_add(series=series, story=story)
    story.refresh_from_db()
    review = community.review_post(story=story, user=reader, body="Crumblewick loved it!")
    community.review_post(chapter=chapters[1], user=other_author, body="Second Crumblewick.")
    community.kudos_give(story=story, user=reader)
    community.favourite_add(user=reader, target=story, note="Fenwhistle note", public=True)
    community.favourite_add(user=reader, target=author)
    community.reading_mark_for_later(user=reader, story=story)
    reading_list = community.reading_list_create(owner=reader, name="Harbour recs", public=True)
    community.reading_list_add(reading_list=reading_list, story=public, note="Open one.")
    community.reading_list_add(reading_list=reading_list, story=story, note="Fenwhistle rec.")
    actions.gift_give(story=story, recipient=reader, by=author)
    original = make_story(other_author, "Far Lighthouse", tags=[archive.other_fandom])
    relation = actions.relation_add(story=story, kind="inspired", to=str(original.pk), by=author)
    actions.relation_answer(relation=relation, approve=True, by=other_author)
    return Secret(
        story=story,
        words=[
            "Quillfeather",
            "Velvetine",
            "Gossamerly",
            "Obsidianwhisper",
            "Thornquistle",
            "Periwinkleton",
            "Crumblewick",
            "Fenwhistle",
        ],
        ids={
            "story": [story.pk],
            "chapter": [c.pk for c in chapters],
            "other_story": [public.pk, original.pk],
            "other_chapter": list(public.chapters.values_list("pk", flat=True)),
            "author": [author.pk, coauthor.pk],
            "member": [reader.pk, other_author.pk],
            "pseud": list(
                Pseud.objects.filter(user__in=[author, coauthor]).values_list("pk", flat=True)
            ),
            "tag": [
                freeform.pk,
                *(t.pk for t in [archive.fandom, archive.subfandom, archive.pam, archive.humor]),
            ],
            "series": [series.pk],
            "review": [review.pk],
            "challenge": [challenge.pk],
            "reading_list": [reading_list.pk],
            "letter": ["q", "Q", "o"],
        },
        search="Quillfeather Marmalade",
    )


@pytest.fixture(params=CASES)
def secret(request) -> Secret:
    return request.getfixturevalue(request.param)


# ---------------------------------------------------------------------------------------------
# The addresses


def _patterns(patterns, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _values(secret: Secret, name: str, converter: str | None, keys: list[str] | None) -> list[str]:
    """The values to try for one parameter (`keys`: those its <kind> allows, if it has one)."""
    if name not in PARAMETERS:
        pytest.fail(
            f"The walk cannot fill the URL parameter <{name}>: add it to PARAMETERS in "
            f"{__file__} (and its ids to the cases' Secret.ids)."
        )
    found: list[str] = []
    for key in PARAMETERS[name] if keys is None else keys:
        found.extend(str(v) for v in CONSTANT.get(key, secret.ids.get(key, [])))
    if converter == "int":  # the others would not even reach a view
        found = [value for value in found if value.isdigit()]
    return list(dict.fromkeys(found)) or ["1"]


def _fillings(secret: Secret, route: str) -> Iterator[str]:
    """The route with its parameters filled every way `PARAMETERS` allows."""
    names = [(m["name"], m["converter"]) for m in PARAMETER.finditer(route)]
    kinds = [None] if "kind" not in dict(names) else list(KINDS)
    for kind in kinds:
        choices = [
            [kind]
            if name == "kind"
            else _values(
                secret, name, converter, KINDS[kind] if kind and name in ANY_ID_PARAMETERS else None
            )
            for name, converter in names
        ]
        for values in product(*choices):
            filled = iter(values)
            yield "/" + PARAMETER.sub(lambda _m, filled=filled: str(next(filled)), route)


def _constants() -> dict[str, list[int | str]]:
    """What the archive itself offers as values: its ratings, tag kinds' slugs, formats."""
    return {
        "rating": list(Rating.objects.values_list("pk", flat=True)),
        "kind_slug": list(TagKind.objects.values_list("slug", flat=True)),
        "format": list(formats()),
    }


def addresses(secret: Secret) -> list[list[str]]:
    """Every address to ask, as a guest, around this secret, in groups: the fillings of one
    route, then one group per address asked with a query string."""
    CONSTANT.update(_constants())
    found: list[list[str]] = []
    for route, pattern in _patterns(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue  # Django's own admin: a guest meets its login page everywhere
        if isinstance(pattern.pattern, RegexPattern):
            continue  # eFiction's old addresses: `legacy_addresses`
        found.append(list(dict.fromkeys(_fillings(secret, route))))
    return [*found, *([a] for a in [*query_addresses(secret), *legacy_addresses(secret)])]


def query_addresses(secret: Secret) -> list[str]:
    """Searches for the secret's words and lists asked every way they can be."""
    words = secret.search or secret.story.title
    q = quote_plus(words)
    title = quote_plus(f'title:"{words}"')
    text = quote_plus(secret.words[-1])
    languages = "&".join(f"lang={code}" for code in ["en", "fr", secret.story.language])
    return [
        f"/search/?q={q}",
        f"/search/?q={title}",
        f"/search/?q={text}",
        f"/search/?q={q}&sort=updated",
        f"/search/?{languages}",
        "/search/?complete=yes",
        f"/search/saved/new/?q={q}",
        f"/stories/?{languages}&sort=words",
        "/stories/?sort=reads",
        "/recent/?sort=updated",
        f"/opds/search/?q={q}",
        f"/api/v1/search?q={q}",
        f"/api/v1/search?q={title}",
        f"/api/v1/search?{languages}",
        "/api/v1/stories?per_page=100&sort=reads",
        "/api/v1/stories?per_page=100&sort=title",
        "/api/v1/recent?per_page=100",
        *(f"/browse/{slug}/suggest.json?q={quote_plus(words[:3])}" for slug in ["categories"]),
    ]


def legacy_addresses(secret: Secret) -> list[str]:
    """eFiction's old addresses (one regex pattern in the URLconf), around the secret."""
    folder = site_settings().legacy_prefix.strip("/")
    root = f"/{folder}/" if folder else "/"
    q = quote_plus(secret.search or secret.story.title)
    found = [
        root,
        f"{root}index.php",
        f"{root}authors.php",
        f"{root}rss.php",
        f"{root}search.php?searchtype=simple&searchterm={q}",
        f"{root}browse.php?type=titles&let=Q",
        f"{root}browse.php?type=recent",
    ]
    for story_id in secret.ids["story"]:
        found += [
            f"{root}viewstory.php?sid={story_id}",
            f"{root}viewstory.php?sid={story_id}&index=1",
            f"{root}viewstory.php?sid={story_id}&chapter=2",
            f"{root}viewstory.php?sid={story_id}&action=printable&chapter=all",
            f"{root}viewstory.php?sid={story_id}&action=printable&chapter=1",
            f"{root}viewstory.php?sid={story_id}&ageconsent=ok&warning=1&index=1",
            f"{root}reviews.php?type=ST&item={story_id}",
        ]
    found += [f"{root}viewstory.php?chapid={c}" for c in secret.ids.get("chapter", [])]
    found += [f"{root}viewuser.php?uid={u}" for u in secret.ids.get("author", [])]
    found += [f"{root}viewseries.php?seriesid={s}" for s in secret.ids.get("series", [])]
    found += [f"{root}reviews.php?type=SE&item={s}" for s in secret.ids.get("series", [])]
    for tag in secret.ids.get("tag", []):
        found += [f"{root}browse.php?type=categories&catid={tag}"]
    return found


# ---------------------------------------------------------------------------------------------
# Asking


@dataclass
class Answer:
    status: int
    final: str  # the address the redirects (if any) ended at
    body: bytes
    headers: str


GUEST = Client()  # one client (each new one loads the middleware again), its cookies cleared


def ask(address: str) -> Answer:
    """A guest's answer (no session, no cookie), redirects followed."""
    GUEST.cookies.clear()
    response = GUEST.get(address, follow=True)
    chain = [location for location, _status in response.redirect_chain]
    headers = " ".join(f"{k}: {v}" for k, v in response.headers.items()) + " ".join(chain)
    body = response.content if not response.streaming else b"".join(response.streaming_content)
    for pattern in VARYING:
        body = pattern.sub(rb"\1", body)
    return Answer(response.status_code, response.request["PATH_INFO"], body, headers)


def _is_direct(address: str, secret: Secret) -> bool:
    return bool(set(re.findall(r"\d+", address)) & secret.own())


def _refused(answer: Answer) -> bool:
    return answer.status in REFUSED or answer.final == reverse("accounts:login")


def walk(groups: list[list[str]]) -> dict[str, Answer]:
    """Ask every address of every group; a route that refuses a guest before reading its
    parameters (401: the API wants a token; 405: not a GET) is asked once only."""
    answers = {}
    for group in groups:
        for address in group:
            answers[address] = ask(address)
            if answers[address].status in (401, 405):
                break
    return answers


def test_no_guest_learns_of_the_secret(secret):
    with_secret = walk(addresses(secret))
    every = list(with_secret)
    assert len(every) > 300, f"the walk asked only {len(every)} addresses"
    direct = [address for address in every if _is_direct(address, secret)]
    with transaction.atomic():
        actions.story_delete(story=secret.story)
        cache.clear()
        without = {address: ask(address) for address in every if address not in direct}
        transaction.set_rollback(True)
    cache.clear()

    problems = []
    for address, answer in with_secret.items():
        assert answer.status < 500, address
        text = (answer.body.decode("utf-8", "replace") + answer.headers).casefold()
        asked = unquote_plus(address).casefold()  # a search shows the words it was asked
        shown = [w for w in secret.words if w.casefold() in text and w.casefold() not in asked]
        if shown:
            problems.append(f"{address} ({answer.status}) shows {shown}")
        if address in direct:
            if not _refused(answer):
                problems.append(f"{address} answers {answer.status} at {answer.final}")
        elif (answer.status, answer.body) != (without[address].status, without[address].body):
            problems.append(
                f"{address} ({answer.status}) differs from the archive without the secret "
                f"({without[address].status}){_first_difference(answer, without[address])}"
            )
    assert not problems, "\n".join(problems)


def _first_difference(one: Answer, other: Answer) -> str:
    a, b = one.body, other.body
    at = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return f": …{a[max(0, at - 80) : at + 80]!r} / …{b[max(0, at - 80) : at + 80]!r}"


def test_members_see_the_locked_story_where_guests_do_not(secret, reader):
    """The walk is not blind: a member finds the locked story where a guest does not."""
    if not secret.story.locked:
        pytest.skip("not a locked story")
    member = Client()
    member.force_login(reader)
    q = quote_plus(secret.search)
    for address in [
        reverse("home"),
        reverse("browse"),
        f"/search/?q={q}",
        reverse("story", args=[secret.story.pk]),
        reverse("author", args=[secret.ids["author"][0]]),
        reverse("series", args=[secret.ids["series"][0]]),
        f"/opds/search/?q={q}",
    ]:
        response = member.get(address)
        assert response.status_code == 200, address
        assert secret.words[0] in response.content.decode(), address
    token = bearer(reader)
    for address in [
        f"/api/v1/search?q={q}",
        "/api/v1/stories",
        f"/api/v1/stories/{secret.story.pk}",
    ]:
        response = Client().get(address, **token)
        assert response.status_code == 200, address
        assert secret.words[0] in response.content.decode(), address
