"""Words the way a reader sees them: counted in any script, and a one-line text's spacing tidied."""

import re
import unicodedata

from fabula.lib.html import html_to_plain
from fabula.lib.text import without_control_characters

# A word is a run of letters, digits or marks; an apostrophe or hyphen inside it does not split
# it ("don't", "well-known" are one word each). CJK text, written without spaces, counts each
# character as a word, as AO3 does.
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def count_words(html: str) -> int:
    text = html_to_plain(html)
    cjk = len(_CJK.findall(text))
    if cjk:
        text = _CJK.sub(" ", text)
    return cjk + len(_WORD.findall(text))


def normal_pen_name(text: str | None) -> str:
    """A pen name as it is stored and looked up: NFKC-normalised, as Django's login form
    normalises what is typed (so a name written in fullwidth letters is the name in plain ones
    and can log in), then tidied."""
    return tidy_title(unicodedata.normalize("NFKC", text or ""))


def tidy_title(text: str | None) -> str:
    """A title, name or other one-line text as it is stored: runs of spaces, tabs and line breaks
    become one space, and none lead or trail; control characters are dropped."""
    words = (without_control_characters(word) for word in (text or "").split())
    return " ".join(word for word in words if word)
