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

from fabula.search.backends import MARK_END, MARK_START
from fabula.search.query import WORD, Query

WIDTH = 220  # characters in a passage, about 35 words
LEAD = 50  # characters kept before the first word found


def stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ing", "ed", "es", "ly", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _hits(text: str, terms: list[tuple[str, ...]]) -> list[tuple[int, int, int]]:
    """(start, end, term number) of every place a term stands in the text, in order."""
    firsts = sorted({words[0] for words in terms}, key=len, reverse=True)
    candidates = re.compile(
        r"(?<![^\W_])(?:" + "|".join(re.escape(first) for first in firsts) + r")[^\W_]*",
        re.IGNORECASE,
    )
    hits = []
    for match in candidates.finditer(text):
        first = stem(match.group())
        for number, words in enumerate(terms):
            if words[0] != first:
                continue
            end = match.end()
            for word in words[1:]:
                following = WORD.search(text, end)
                if following is None or stem(following.group()) != word \
                        or text[end:following.start()].strip(" ,;:'\"\n"):
                    break
                end = following.end()
            else:
                hits.append((match.start(), end, number))
    return hits


def passage(text: str, query: Query) -> str:
    """The best few lines of `text` for the query, with MARK_START/MARK_END around each word
    found; "" when none of the query's words is in the text (the story matched elsewhere)."""
    terms = [tuple(stem(w) for w in term.words) for term in query.positive_terms()
             if term.field in (None, "text")]
    hits = _hits(text, terms) if terms else []
    if not hits:
        return ""
    # The window holding the most different terms; the earliest of those.
    best, best_score = hits[0][0], 0
    for start, _, _ in hits:
        score = len({n for s, e, n in hits if start <= s and e <= start + WIDTH})
        if score > best_score:
            best, best_score = start, score
    start = max(0, best - LEAD)
    end = min(len(text), start + WIDTH)
    # Whole words only at both ends.
    if start > 0:
        start = next((m.start() for m in WORD.finditer(text, start, best + 1)), best)
    if end < len(text):
        end = max(end, max((e for s, e, _ in hits if s < end), default=end))
        space = text.rfind(" ", start, end + 1)
        end = space if space > best else end
    pieces, cursor = [], start
    for s, e, _ in hits:
        if s >= start and e <= end:
            pieces += [text[cursor:s], MARK_START, text[s:e], MARK_END]
            cursor = e
    pieces.append(text[cursor:end])
    body = re.sub(r"\s+", " ", "".join(pieces)).strip()
    return f"{'… ' if start > 0 else ''}{body}{' …' if end < len(text) else ''}"
