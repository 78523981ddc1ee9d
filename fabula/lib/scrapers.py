"""Keeping AI scrapers off the archive without locking readers out: the rules the gate
(`lib/scraper_gate.py`) applies.

Three measures, from cheapest to dearest for the client:
- **Known AI crawlers** (`AI_CRAWLERS`, matched in the User-Agent) are refused outright; the list
  is kept here, in one place, and also fills the default robots.txt.
- **A budget per client**: a guest fetching more than `pages_per_minute()` pages in a minute is
  not a person reading. Clients are counted by address (an IPv6 client by its /64 network, which
  one household or server holds).
- **Proof of work** over the budget: the client must find a number whose SHA-256 with a signed
  challenge starts with `difficulty` zero bits (static/fabula/challenge.js does it in a fraction
  of a second). Success earns a signed pass cookie good for `PASS_PAGES` pages or `PASS_SECONDS`,
  whichever comes first; each pass a client earns within the hour makes the next challenge twice
  as hard, so a fleet of page fetchers pays more and more while a reader pays once, if at all.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

# User-Agent names of crawlers that gather text for AI models (training or answering), from
# their operators' documentation and the ai.robots.txt list. Matched case-insensitively as
# substrings. Search engines' ordinary crawlers are not here: their AI use is governed by
# robots.txt tokens (Google-Extended, Applebot-Extended), which the default robots.txt names.
AI_CRAWLERS = (
    "GPTBot",
    "ChatGPT-User",
    "OAI-SearchBot",
    "ClaudeBot",
    "Claude-Web",
    "Claude-User",
    "Claude-SearchBot",
    "anthropic-ai",
    "CCBot",
    "Bytespider",
    "PerplexityBot",
    "Perplexity-User",
    "Amazonbot",
    "meta-externalagent",
    "meta-externalfetcher",
    "FacebookBot",
    "Diffbot",
    "cohere-ai",
    "cohere-training-data-crawler",
    "Timpibot",
    "ImagesiftBot",
    "Omgilibot",
    "omgili",
    "YouBot",
    "AI2Bot",
    "Ai2Bot-Dolma",
    "PanguBot",
    "Kangaroo Bot",
    "img2dataset",
    "DuckAssistBot",
    "MistralAI-User",
    "Webzio-Extended",
    "iaskspider",
)
# robots.txt tokens that are not User-Agents: they only say "not for AI" in robots.txt.
AI_ROBOTS_TOKENS = ("Google-Extended", "Applebot-Extended")

PASS_COOKIE = "fabula_pass"
PASS_SECONDS = 3600
PASS_PAGES = 1000
CHALLENGE_SECONDS = 300
MAX_DIFFICULTY = 24

_CHALLENGE_SALT = "fabula.scrapers.challenge"
_PASS_SALT = "fabula.scrapers.pass"


def clock() -> float:
    """The time the budget counts by (a function, so tests can move it)."""
    return time.time()


def pages_per_minute() -> int:
    """A guest's budget of pages a minute before the challenge; 0 turns the budget off."""
    return int(settings.SCRAPER_PAGES_PER_MINUTE)


def base_difficulty() -> int:
    """Leading zero bits of the first challenge: 14 is ~16,000 hashes, well under a second."""
    return int(settings.SCRAPER_DIFFICULTY)


def ai_crawler(user_agent: str) -> str | None:
    """The known AI crawler this User-Agent names, or None."""
    lowered = user_agent.lower()
    return next((name for name in AI_CRAWLERS if name.lower() in lowered), None)


def default_robots_txt() -> str:
    """robots.txt as a new archive has it: AI crawlers kept out, members' pages not indexed."""
    refused = "\n".join(f"User-agent: {name}" for name in (*AI_CRAWLERS, *AI_ROBOTS_TOKENS))
    return (
        "# The stories here belong to their authors. They are not offered for training or\n"
        "# feeding AI models: the crawlers below are refused, by this file and by the server.\n"
        f"{refused}\nDisallow: /\n\n"
        "User-agent: *\nDisallow: /accounts/\nDisallow: /manage/\nDisallow: /admin/\n"
        "Disallow: /search/\nDisallow: /downloads/\nAllow: /\n"
    )


def default_ai_txt() -> str:
    """ai.txt (Spawning's format) as a new archive has it: nothing offered for AI training."""
    return (
        "# ai.txt: the stories, images and other works on this archive belong to their\n"
        "# authors and may not be used to train or feed AI models.\n"
        "User-Agent: *\nDisallow: /\n"
    )


def client_key(address: str) -> str:
    """Whom a budget counts: the address, or an IPv6 address's /64 network."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def _count(key: str, seconds: int) -> int:
    """Add one to a counter in the cache that lives `seconds`; its new value."""
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1


def over_budget(client: str) -> bool:
    """Count one page for this client in the current minute; whether it went over its budget."""
    budget = pages_per_minute()
    if budget <= 0:
        return False
    minute = int(clock() // 60)
    return _count(f"fabula:scrapers:pages:{_digest(client)}:{minute}", 120) > budget


# ---------------------------------------------------------------------------------------------
# The proof of work


@dataclass(frozen=True)
class Challenge:
    token: str  # signed: the client, the difficulty, a one-time nonce
    difficulty: int


def _passes_key(client: str) -> str:
    return f"fabula:scrapers:passes:{_digest(client)}"


def new_challenge(client: str) -> Challenge:
    """A challenge for this client, harder for each pass it earned in the last hour."""
    earned = cache.get(_passes_key(client)) or 0
    difficulty = min(base_difficulty() + earned, MAX_DIFFICULTY)
    token = signing.dumps(
        {"c": _digest(client), "d": difficulty, "n": secrets.token_hex(8)},
        salt=_CHALLENGE_SALT,
        compress=False,
    )
    return Challenge(token, difficulty)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def proof_holds(token: str, answer: str, difficulty: int) -> bool:
    """Whether sha256("<token>:<answer>") starts with `difficulty` zero bits."""
    digest = hashlib.sha256(f"{token}:{answer}".encode()).digest()
    return leading_zero_bits(digest) >= difficulty


def solve(token: str, difficulty: int) -> str:
    """Find an answer (what challenge.js does in the browser; tests and benches use it)."""
    answer = 0
    while not proof_holds(token, str(answer), difficulty):
        answer += 1
    return str(answer)


class ChallengeFailed(ValueError):
    """The answer does not earn a pass; the message says why (for the client)."""


def earn_pass(client: str, token: str, answer: str) -> str:
    """Check an answer to a challenge; the pass cookie's value when it holds."""
    try:
        data = signing.loads(token, salt=_CHALLENGE_SALT, max_age=CHALLENGE_SECONDS)
    except signing.SignatureExpired:
        raise ChallengeFailed("The challenge expired: load the page again.") from None
    except signing.BadSignature:
        raise ChallengeFailed("This is not a challenge the site made.") from None
    if data.get("c") != _digest(client):
        raise ChallengeFailed("This challenge was made for another client.")
    if not (answer.isascii() and answer.isdigit() and len(answer) <= 20):
        raise ChallengeFailed("The answer is a number.")
    if not proof_holds(token, answer, int(data["d"])):
        raise ChallengeFailed("The answer does not solve the challenge.")
    if not cache.add(f"fabula:scrapers:used:{data['n']}", True, CHALLENGE_SECONDS):
        raise ChallengeFailed("This challenge was answered already: load the page again.")
    _count(_passes_key(client), PASS_SECONDS)
    return signing.dumps(
        {"c": _digest(client), "p": secrets.token_hex(8)}, salt=_PASS_SALT, compress=False
    )


def pass_lets_through(client: str, cookie: str) -> bool:
    """Whether a pass cookie is valid for this client and has pages left (counting this one)."""
    try:
        data = signing.loads(cookie, salt=_PASS_SALT, max_age=PASS_SECONDS)
    except signing.BadSignature:
        return False
    if data.get("c") != _digest(client):
        return False
    return _count(f"fabula:scrapers:pass-pages:{data.get('p')}", PASS_SECONDS) <= PASS_PAGES
