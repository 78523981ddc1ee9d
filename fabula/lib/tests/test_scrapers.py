"""The scraper gate (lib/scrapers.py, lib/scraper_gate.py): AI crawlers refused by name, a fast
guest challenged and let through once the proof of work is solved (computed here in Python, as
challenge.js does it in the browser), while guests at a reader's pace, members, feed readers,
reading apps with an app password and downloads at a human pace never meet the challenge; and
robots.txt / ai.txt serve the staff's text."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import Client
from django.urls import reverse

from fabula.api.actions import token_create
from fabula.formats.actions import app_password_create
from fabula.lib import scrapers
from fabula.test import chapter_url, set_site

BUDGET = 30  # pages a minute in these tests (the site's default is 120)


@pytest.fixture
def gate(settings, monkeypatch):
    """The budget on, and a clock the test moves: `gate.now` is the time in seconds."""
    settings.SCRAPER_PAGES_PER_MINUTE = BUDGET
    settings.SCRAPER_DIFFICULTY = 8  # the tests' solver is Python: keep each proof quick

    class Clock:
        now = 1_000_020.0  # a fresh minute starts 20 s before: a test's bursts stay in one

    monkeypatch.setattr(scrapers, "clock", lambda: Clock.now)
    return Clock


@pytest.fixture
def story(make_story, author):
    return make_story(author, title="Many Pages", chapters=3)


def pages(story) -> list[str]:
    return [
        reverse("story", args=[story.pk]),
        *(chapter_url(story, n) for n in (1, 2, 3)),
        reverse("home"),
        reverse("browse"),
    ]


def fetch_fast(client, addresses: list[str], count: int, **extra) -> list[int]:
    """`count` requests in one instant, cycling through the addresses: their status codes."""
    return [client.get(addresses[n % len(addresses)], **extra).status_code for n in range(count)]


def challenge_in(response) -> tuple[str, int, str]:
    page = response.content.decode()
    token = re.search(r'data-token="([^"]+)"', page)
    difficulty = re.search(r'data-difficulty="(\d+)"', page)
    back = re.search(r'data-next="([^"]*)"', page)
    assert token and difficulty and back, page[:500]
    return token.group(1), int(difficulty.group(1)), back.group(1)


def test_a_fast_client_meets_the_challenge_solves_it_and_passes(client, gate, story):
    statuses = fetch_fast(client, pages(story), BUDGET)
    assert statuses == [200] * BUDGET
    asked = chapter_url(story, 2) + "?view=x"
    refused = client.get(asked)
    assert refused.status_code == 429
    assert refused["Cache-Control"] == "no-store"
    assert "challenge.js" in refused.content.decode()
    assert "default-src 'self'" in refused["Content-Security-Policy"]
    token, difficulty, back = challenge_in(refused)
    assert back == asked.replace("&", "&amp;")
    answer = scrapers.solve(token, difficulty)
    passed = client.post(reverse("challenge"), {"token": token, "answer": answer})
    assert passed.status_code == 204
    cookie = passed.cookies[scrapers.PASS_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == scrapers.PASS_SECONDS
    # Through, though still over the budget this minute.
    assert fetch_fast(client, pages(story), 50) == [200] * 50
    # Another client on the same address is still over the budget: the pass is the cookie.
    assert Client().get(reverse("home")).status_code == 429


def test_the_challenge_sends_back_only_to_this_site(client, gate, story):
    fetch_fast(client, pages(story), BUDGET)
    # As a WSGI server passes such paths on (the test client would read a host in them).
    assert challenge_in(client.get("/", PATH_INFO="//elsewhere.example/x"))[2] == "/"
    # Django escapes a backslash in the path: a path on this site.
    back = challenge_in(client.get("/", PATH_INFO="/\\elsewhere.example/x"))[2]
    assert back == "/%5Celsewhere.example/x"
    assert challenge_in(client.get("/recent/"))[2] == "/recent/"


def test_a_pass_is_good_for_a_number_of_pages(client, gate, story, monkeypatch):
    monkeypatch.setattr(scrapers, "PASS_PAGES", 5)
    fetch_fast(client, pages(story), BUDGET)
    token, difficulty, _ = challenge_in(client.get(reverse("home")))
    client.post(reverse("challenge"), {"token": token, "answer": scrapers.solve(token, difficulty)})
    assert fetch_fast(client, pages(story), 6) == [200] * 5 + [429]


def test_each_pass_makes_the_next_challenge_harder(client, gate, story):
    fetch_fast(client, pages(story), BUDGET)
    difficulties = []
    for _ in range(3):
        client.cookies.clear()
        token, difficulty, _ = challenge_in(client.get(reverse("home")))
        difficulties.append(difficulty)
        answer = scrapers.solve(token, difficulty)
        assert client.post(reverse("challenge"), {"token": token, "answer": answer}).status_code
    assert difficulties == [8, 9, 10]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda token, answer: (token, str(int(answer) + 1)), "does not solve"),
        (lambda token, answer: (token, "12x"), "is a number"),
        (lambda token, answer: (token[:-2] + "zz", answer), "not a challenge the site made"),
        (lambda token, answer: ("", ""), "not a challenge the site made"),
    ],
    ids=["wrong-answer", "not-a-number", "forged-token", "empty"],
)
def test_a_wrong_answer_earns_no_pass(client, gate, story, change, message):
    fetch_fast(client, pages(story), BUDGET)
    token, difficulty, _ = challenge_in(client.get(reverse("home")))
    answer = scrapers.solve(token, difficulty)
    while scrapers.proof_holds(token, str(int(answer) + 1), difficulty):
        # The wrong-answer case needs a number that does not solve it (rare, but possible).
        token, difficulty, _ = challenge_in(client.get(reverse("home")))
        answer = scrapers.solve(token, difficulty)
    token, answer = change(token, answer)
    response = client.post(reverse("challenge"), {"token": token, "answer": answer})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert scrapers.PASS_COOKIE not in response.cookies
    assert client.get(reverse("home")).status_code == 429


def test_a_challenge_is_answered_once_and_only_by_its_client(client, gate, story):
    fetch_fast(client, pages(story), BUDGET)
    token, difficulty, _ = challenge_in(client.get(reverse("home")))
    answer = scrapers.solve(token, difficulty)
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    refused = elsewhere.post(reverse("challenge"), {"token": token, "answer": answer})
    assert refused.status_code == 400 and "another client" in refused.content.decode()
    assert client.post(reverse("challenge"), {"token": token, "answer": answer}).status_code == 204
    again = client.post(reverse("challenge"), {"token": token, "answer": answer})
    assert again.status_code == 400 and "answered already" in again.content.decode()


def test_a_forged_or_borrowed_pass_does_not_open(client, gate, story):
    fetch_fast(client, pages(story), BUDGET)
    client.cookies[scrapers.PASS_COOKIE] = "forged:value"
    assert client.get(reverse("home")).status_code == 429
    # A pass earned by another address is refused here.
    other = Client(REMOTE_ADDR="192.0.2.8")
    fetch_fast(other, pages(story), BUDGET)
    token, difficulty, _ = challenge_in(other.get(reverse("home")))
    earned = other.post(
        reverse("challenge"), {"token": token, "answer": scrapers.solve(token, difficulty)}
    )
    client.cookies[scrapers.PASS_COOKIE] = earned.cookies[scrapers.PASS_COOKIE].value
    assert client.get(reverse("home")).status_code == 429


def test_a_guest_at_a_readers_pace_never_meets_it(client, gate, story):
    """Ten minutes of reading, a page every 3 seconds (20 a minute), then a new minute."""
    for n in range(200):
        gate.now += 3
        response = client.get(pages(story)[n % 6])
        assert response.status_code == 200, n


def test_downloads_at_a_human_pace_never_meet_it(client, gate, story, make_story, author):
    """FanFicFare-style: a story's chapters one by one, then its EPUB, a request every 2 s."""
    stories = [story, *(make_story(author, title=f"Another {n}", chapters=3) for n in range(9))]
    for each in stories:
        for address in [
            *(chapter_url(each, n) for n in (1, 2, 3)),
            reverse("download", args=[each.pk, "epub"]),
        ]:
            gate.now += 2
            assert client.get(address).status_code == 200, address


def test_a_reading_app_with_an_app_password_never_meets_it(client, gate, story, reader):
    _, password = app_password_create(user=reader, name="Reader app")
    credentials = base64.b64encode(f"{reader.pen_name}:{password}".encode()).decode()
    addresses = [
        reverse("opds-root"),
        reverse("opds-recent"),
        reverse("opds-favourites"),
        reverse("download", args=[story.pk, "epub"]),
    ]
    statuses = fetch_fast(client, addresses, BUDGET + 10, HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert statuses == [200] * (BUDGET + 10)


def test_a_program_with_an_api_token_never_meets_it(client, gate, story, reader):
    _, token = token_create(user=reader, name="Backup", scope="read")
    addresses = [f"/api/v1/stories/{story.pk}", "/api/v1/stories"]
    statuses = fetch_fast(client, addresses, BUDGET + 10, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert statuses == [200] * (BUDGET + 10)


def test_credentials_that_do_not_hold_gain_nothing(client, gate, story):
    """An Authorization header frees only where it is checked: wrong ones get a 401 there, and
    on a reader's page it counts as any guest's request."""
    bogus = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"x:y").decode()}
    assert fetch_fast(client, [reverse("opds-root")], 5, **bogus) == [401] * 5
    statuses = fetch_fast(client, pages(story), BUDGET + 1, **bogus)
    assert statuses[-1] == 429


def test_feed_readers_and_members_never_meet_it(client, gate, story, reader):
    feeds = [reverse("feed-recent"), reverse("feed-story", args=[story.pk])]
    assert fetch_fast(client, feeds, BUDGET + 10) == [200] * (BUDGET + 10)
    member = Client()
    member.force_login(reader)
    assert fetch_fast(member, pages(story), BUDGET + 10) == [200] * (BUDGET + 10)


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
        "+https://openai.com/gptbot)",
        "Mozilla/5.0 (compatible; ClaudeBot/1.0; +claudebot@anthropic.com)",
        "CCBot/2.0 (https://commoncrawl.org/faq/)",
        "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
        "Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
    ],
    ids=["gptbot", "claudebot", "ccbot", "bytespider"],
)
def test_an_ai_crawler_is_refused_with_a_clear_text(client, story, agent):
    for address in [reverse("story", args=[story.pk]), reverse("feed-recent"), "/opds/"]:
        response = client.get(address, HTTP_USER_AGENT=agent)
        assert response.status_code == 403
        assert response["Content-Type"].startswith("text/plain")
        assert "does not let AI crawlers" in response.content.decode()
        assert "/robots.txt and /ai.txt" in response.content.decode()
    # The rules themselves it may read.
    assert client.get("/robots.txt", HTTP_USER_AGENT=agent).status_code == 200


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "FanFicFare/4.40 (+https://github.com/JimmXinu/FanFicFare)",
        "KOReader/2024.07",
    ],
    ids=["firefox", "googlebot", "fanficfare", "koreader"],
)
def test_readers_and_search_engines_are_not_taken_for_ai_crawlers(client, story, agent):
    assert client.get(reverse("story", args=[story.pk]), HTTP_USER_AGENT=agent).status_code == 200


def test_robots_txt_and_ai_txt_serve_the_staffs_text(client, db):
    default = client.get("/robots.txt")
    assert default.status_code == 200
    assert default["Content-Type"] == "text/plain; charset=utf-8"
    text = default.content.decode()
    assert "User-agent: GPTBot" in text and "User-agent: Google-Extended" in text
    assert "Disallow: /" in text
    assert "User-Agent: *\nDisallow: /" in client.get("/ai.txt").content.decode()
    set_site(robots_txt="User-agent: *\nDisallow: /private/\n", ai_txt="# ask us first\n")
    assert client.get("/robots.txt").content == b"User-agent: *\nDisallow: /private/\n"
    assert client.get("/ai.txt").content == b"# ask us first\n"


def test_staff_edit_the_rules_in_the_admin(client, admin_user):
    set_site()  # the settings row exists
    client.force_login(admin_user)
    page = client.get(reverse("admin:conf_sitesettings_change", args=[1]))
    assert page.status_code == 200
    assert 'name="robots_txt"' in page.content.decode()
    assert 'name="ai_txt"' in page.content.decode()


@pytest.mark.parametrize(
    "address, key",
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("not-an-address", "not-an-address"),
        ("", "unknown"),
    ],
)
def test_clients_are_counted_by_address_and_ipv6_by_network(address, key):
    assert scrapers.client_key(address) == key


def test_the_proof_of_work_is_what_the_page_asks_for():
    assert scrapers.leading_zero_bits(bytes([0, 0, 0x1F]) + bytes(29)) == 19
    assert scrapers.leading_zero_bits(bytes(32)) == 256
    answer = scrapers.solve("token", 12)
    assert scrapers.proof_holds("token", answer, 12)
    assert not all(scrapers.proof_holds("token", str(n), 12) for n in range(int(answer)))
