"""What text from outside may hold: no control characters, and nothing XML cannot carry.

A control character (U+0001, an escape, a C1 code) has no business in a title, a tag or a
name; in a feed or an e-book it is worse than useless, since XML refuses it and the page that
writes the feed fails for everyone. So they are refused at the edge (forms say so: the
`refuse_control_characters` validator), removed where text is stored without a person to tell
(`without_control_characters`, used by `words.tidy_title` and `html.sanitize`, so every import
goes through it), and removed again at the XML output (`xml_safe`), so that data older than
these rules cannot break a feed either.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# C0 and C1 controls and DEL, less tab and the two line ends that text legitimately holds.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What XML 1.0 cannot hold at all (lxml refuses to write it): C0 controls less tab and line
# ends, lone surrogates, and the two non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def invisible_character(text: str) -> str | None:
    """The first character of `text` that shows nothing yet changes what a reader sees: zero
    width spaces and joiners, direction overrides and isolates, soft hyphens, byte order marks
    (Unicode's "format" characters). Two pen names that differ only by one look the same."""
    return next((ch for ch in text or "" if unicodedata.category(ch) == "Cf"), None)


# The C0 controls (less tab and line ends) and DEL as UTF-8 bytes: these bytes occur in no other
# character's encoding.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text or ""))


def _surely_without_controls(text: str) -> bool:
    """True when `text` holds no control character, told three to four times faster than
    `_CONTROL` can for a chapter (an import cleans tens of thousands): its UTF-8 bytes lose none
    to `translate`, and hold no byte C2, the first of every C1 control's (and of the other
    characters from U+0080 to U+00BF: for those, the regular expression decides)."""
    data = text.encode("utf-8", "surrogatepass")
    return b"\xc2" not in data and len(data.translate(None, _CONTROL_BYTES)) == len(data)


def without_control_characters(text: str) -> str:
    if not text or _surely_without_controls(text):
        return text or ""
    return _CONTROL.sub("", text)


def xml_safe(text: str) -> str:
    """`text` with what XML cannot carry removed: for every value a feed or a book writes."""
    return _NOT_XML.sub("", text or "")


def refuse_control_characters(value: str) -> None:
    """A form field's validator: a clear message instead of storing an invisible code."""
    found = _CONTROL.search(value or "")
    if found:
        raise ValidationError(
            _("This holds an invisible control character (U+%(code)s): remove it and try again.")
            % {"code": f"{ord(found.group()):04X}"},
            code="control_character",
        )
