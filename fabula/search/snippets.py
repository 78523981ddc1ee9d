"""The passage shown under a search result: a few lines of the chapter where the words occur,
with those words marked.

It is cut from the chapter's plain text here, in Python, the same way on both databases:
FTS5's snippet() and PostgreSQL's ts_headline() cost a millisecond or more per chapter, where
this costs a fraction of one (a regular expression finds the candidates; only they are looked
at). Words are compared by a rough stem (a trailing -s, -es, -ed, -ing or -ly set aside), close
to what the index's stemmer lets match; a phrase is marked only where its words stand together.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator

from fabula.search.backends.base import MARK_END, MARK_START
from fabula.search.query import WORD, Query

WIDTH = 220  # characters in a passage, about 35 words
LEAD = 50  # characters kept before the first word found


SUFFIXES = ("ing", "ed", "es", "ly", "s")
# A whole word: letters and digits, with the apostrophes inside "don't" or "O'Brien". A passage
# begins at the start of one and ends at the end of one, never inside ("… et followed").
WORD_CHARACTERS = r"[^\W_]|['’]"
WHOLE_WORD = re.compile(rf"(?<!{WORD_CHARACTERS})(?:{WORD_CHARACTERS})+")


def _inside_word(text: str, position: int) -> bool:
    """Whether `position` falls between two characters of one word."""
    return 0 < position < len(text) and all(
        WHOLE_WORD.fullmatch(text[i]) for i in (position - 1, position)
    )


def stem(word: str) -> str:
    word = word.lower()
    for suffix in SUFFIXES:
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _hits(
    text: str, terms: list[tuple[str, ...]], start: int = 0, end: int | None = None
) -> Iterator[tuple[int, int, int]]:
    """(start, end, term number) of every place a term stands in text[start:end], in order."""
    firsts = sorted({words[0] for words in terms}, key=len, reverse=True)
    # Only the forms `stem` takes back to a first word: "the" must not stop at "then" or "there".
    candidates = re.compile(
        r"(?<![^\W_])(?:"
        + "|".join(re.escape(first) for first in firsts)
        + r")"
        + "(?:"
        + "|".join(SUFFIXES)
        + r")?(?![^\W_])",
        re.IGNORECASE,
    )
    for match in candidates.finditer(text, start, len(text) if end is None else end):
        first = stem(match.group())
        for number, words in enumerate(terms):
            if words[0] != first:
                continue
            stop = match.end()
            for word in words[1:]:
                following = WORD.search(text, stop)
                if (
                    following is None
                    or stem(following.group()) != word
                    or text[stop : following.start()].strip(" ,;:'\"\n")
                ):
                    break
                stop = following.end()
            else:
                yield match.start(), stop, number


def _best_start(hits: Iterator[tuple[int, int, int]], term_count: int) -> tuple[int | None, int]:
    """Where the window of WIDTH characters holding the most different terms begins (the
    earliest of the best; None without hits), and how many terms it holds.

    One pass, holding only the hits of the current window: a common word found hundreds of
    times in a chapter costs no more than a rare one, and the reading stops at the first window
    that holds every term, since no later window can beat it.
    """
    window: deque[tuple[int, int, int]] = deque()
    in_window: Counter[int] = Counter()
    best, best_score = None, 0

    def close_first() -> None:
        nonlocal best, best_score
        if len(in_window) > best_score:
            best, best_score = window[0][0], len(in_window)
        number = window.popleft()[2]
        in_window[number] -= 1
        if not in_window[number]:
            del in_window[number]

    for hit in hits:
        while window and hit[1] > window[0][0] + WIDTH:
            close_first()
        window.append(hit)
        in_window[hit[2]] += 1
        if len(in_window) == term_count:
            return window[0][0], term_count
    while window:
        close_first()
    return best, best_score


def _best_window(text: str, terms: list[tuple[str, ...]]) -> int | None:
    """Where the passage begins: `_best_start` over the text's hits, from where the first
    window holding every term can begin at the earliest (it ends after each term's first place)
    when the text holds them all; a common word's hundreds of places before that are skipped."""
    firsts = [next(_hits(text, [term]), None) for term in terms]
    found_firsts = [first for first in firsts if first is not None]
    if len(found_firsts) == len(firsts):
        skip_to = max(0, max(first[0] for first in found_firsts) - WIDTH)
        best, found = _best_start(_hits(text, terms, skip_to), len(terms))
        if found == len(terms):
            return best
    return _best_start(_hits(text, terms), len(terms))[0]


def passage(text: str, query: Query) -> str:
    """The best few lines of `text` for the query, with MARK_START/MARK_END around each word
    found; "" when none of the query's words is in the text (the story matched elsewhere)."""
    terms = list(
        dict.fromkeys(
            tuple(stem(w) for w in term.words)
            for term in query.positive_terms()
            if term.field in (None, "text")
        )
    )
    best = _best_window(text, terms) if terms else None
    if best is None:
        return ""
    start = max(0, best - LEAD)
    end = min(len(text), start + WIDTH)
    # Whole words only at both ends.
    if start > 0:
        first_word = WHOLE_WORD.search(text, start, best + 1)
        start = first_word.start() if first_word else best
    hits = list(_hits(text, terms, start, end + WIDTH))
    if end < len(text):
        end = max(end, max((e for s, e, _ in hits if s < end), default=end))
        while end > best and _inside_word(text, end):
            end -= 1
    pieces, cursor = [], start
    for s, e, _ in hits:
        if s >= start and e <= end:
            pieces += [text[cursor:s], MARK_START, text[s:e], MARK_END]
            cursor = e
    pieces.append(text[cursor:end])
    body = re.sub(r"\s+", " ", "".join(pieces)).strip()
    return f"{'… ' if start > 0 else ''}{body}{' …' if end < len(text) else ''}"
