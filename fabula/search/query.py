"""The query language readers type into the search box, read into a `Query`.

    dragon "silver moon" -angst tag:humor title:winter OR title:snow author:"night swept"

- words: every word must appear (in any field of the story, or in one chapter's text);
- "exact phrase": the words next to each other, in that order;
- -word or -"phrase": stories where it appears anywhere are left out;
- a OR b: either one (OR binds the two terms either side of it);
- field:word or field:"phrase", with field one of title, author, summary, tag, text.

Words are runs of letters and digits; everything else separates them, so punctuation and the
syntax characters of the database's own search engines never reach them. Reading never raises:
a query that does not follow the rules (an unbalanced quote, an operator with nothing to work on,
nothing but exclusions) is searched as plain words, with a `notice` saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIELDS = ("title", "author", "summary", "tag", "text")
MAX_INPUT = 1000  # characters read from the box; the rest is dropped (and the reader told)
MAX_TERMS = 24  # more words than that make a slow query and never a useful one
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    """One word or phrase, optionally limited to a field (None: any field)."""

    words: tuple[str, ...]
    field: str | None = None

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def __str__(self) -> str:
        text = " ".join(self.words)
        text = f'"{text}"' if self.is_phrase else text
        return f"{self.field}:{text}" if self.field else text


@dataclass
class Query:
    """What to look for: every group must match (a group matches when any of its terms does),
    and no excluded term may appear in the story."""

    raw: str = ""
    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    notice: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def positive_terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]

    @property
    def fields_only(self) -> bool:
        """Is every word looked for limited to the story's own fields (title:, author:, ...)?"""
        return bool(self.groups) and all(
            term.field not in (None, "text") for term in self.positive_terms()
        )

    def words(self) -> list[str]:
        """Every word looked for (not the excluded ones), for highlighting."""
        return list(dict.fromkeys(w for term in self.positive_terms() for w in term.words))

    def __str__(self) -> str:
        parts = [" OR ".join(str(t) for t in group) for group in self.groups]
        parts += [f"-{term}" for term in self.excluded]
        return " ".join(parts)


class _Malformed(Exception):
    """The query breaks a rule; the message tells the reader which."""


def words_of(text: str) -> tuple[str, ...]:
    return tuple(word.lower() for word in WORD.findall(text))


def parse(raw: str | None) -> Query:
    """Read a query; never raises. See the module's docstring for the language."""
    raw = (raw or "").replace("\x00", " ")
    notice = ""
    if len(raw) > MAX_INPUT:
        raw = raw[:MAX_INPUT]
        notice = f"Only the first {MAX_INPUT} characters of your search were used."
    try:
        query = _parse(raw)
    except _Malformed as problem:
        query = plain_words(raw)
        notice = " ".join(
            filter(
                None,
                [
                    notice,
                    f"{problem} Searched for the words alone instead.",
                ],
            )
        )
    if len(query.positive_terms()) + len(query.excluded) > MAX_TERMS:
        query = _truncate(query)
        notice = " ".join(filter(None, [notice, f"Only the first {MAX_TERMS} words were used."]))
    query.raw = raw
    query.notice = notice
    return query


def plain_words(raw: str) -> Query:
    """Every word of the input, all required, no operators: the fallback for malformed input."""
    return Query(raw=raw, groups=[[Term((word,))] for word in dict.fromkeys(words_of(raw))])


def _truncate(query: Query) -> Query:
    kept, budget = Query(raw=query.raw), MAX_TERMS
    for group in query.groups:
        if budget <= 0:
            break
        kept.groups.append(group[:budget])
        budget -= len(kept.groups[-1])
    kept.excluded = query.excluded[: max(budget, 0)]
    return kept


# A token: an optional "-", an optional field prefix, then a quoted phrase or a bare run.
_TOKEN = re.compile(
    r'(?P<minus>-)?(?:(?P<field>[A-Za-z]+):)?(?:"(?P<phrase>[^"]*)"|(?P<bare>[^\s"]+))?'
)


def _tokens(raw: str):
    """Yield (negated, field, text, quoted) for each token; a stray quote is malformed."""
    position = 0
    while position < len(raw):
        if raw[position].isspace():
            position += 1
            continue
        match = _TOKEN.match(raw, position)
        assert match is not None  # every part of _TOKEN is optional: it matches, if only ""
        if match.end() == position:  # an opening quote with no closing one
            raise _Malformed("A quotation mark is not closed.")
        position = match.end()
        negated, prefix = bool(match["minus"]), match["field"]
        text, quoted = match["phrase"], match["phrase"] is not None
        if text is None:
            text = match["bare"]
        if prefix and prefix.lower() not in FIELDS:
            # "Note:" is part of the text, not a field: read it as words.
            text, prefix = f"{prefix} {text or ''}", None
        if text is None:
            if position < len(raw) and raw[position] == '"':
                raise _Malformed("A quotation mark is not closed.")
            if prefix:
                raise _Malformed(f"“{prefix}:” needs a word or a phrase after it.")
            raise _Malformed("A minus sign needs a word or a phrase after it.")
        yield negated, prefix.lower() if prefix else None, text, quoted


def _parse(raw: str) -> Query:
    query = Query(raw=raw)
    pending_or = False
    for negated, prefix, text, quoted in _tokens(raw):
        if text == "OR" and not quoted and not negated and not prefix:
            if not query.groups or pending_or:
                raise _Malformed("OR needs a word on each side.")
            pending_or = True
            continue
        words = words_of(text)
        if not words:
            if negated or prefix or quoted:
                raise _Malformed("An operator has no word to work on.")
            continue  # punctuation alone: nothing to look for
        term = Term(words, prefix)
        if negated:
            if pending_or:
                raise _Malformed("OR cannot join an excluded word.")
            query.excluded.append(term)
        elif pending_or:
            query.groups[-1].append(term)
            pending_or = False
        else:
            query.groups.append([term])
    if pending_or:
        raise _Malformed("OR needs a word on each side.")
    if query.excluded and not query.groups:
        raise _Malformed("A search needs at least one word that is not excluded.")
    return query
