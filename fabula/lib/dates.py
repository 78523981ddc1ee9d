"""PHP date() formats, as eFiction administrators chose them ('F d, Y' gives 'May 29, 2007').

Only what a date format for stories needs is supported: day, month, year, hour, minute, second,
am/pm and literal text; `parse_php_date` reads back what `format_php_date` wrote.
"""

import re
from datetime import date, datetime

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


_FORMATTERS = {
    "d": lambda d: f"{d.day:02d}",
    "j": lambda d: str(d.day),
    "D": lambda d: _DAYS[d.weekday()][:3],
    "l": lambda d: _DAYS[d.weekday()],
    "S": lambda d: _suffix(d.day),
    "F": lambda d: _MONTHS[d.month - 1],
    "M": lambda d: _MONTHS[d.month - 1][:3],
    "m": lambda d: f"{d.month:02d}",
    "n": lambda d: str(d.month),
    "Y": lambda d: str(d.year),
    "y": lambda d: f"{d.year % 100:02d}",
    "a": lambda d: "am" if d.hour < 12 else "pm",
    "A": lambda d: "AM" if d.hour < 12 else "PM",
    "g": lambda d: str((d.hour % 12) or 12),
    "h": lambda d: f"{(d.hour % 12) or 12:02d}",
    "G": lambda d: str(d.hour),
    "H": lambda d: f"{d.hour:02d}",
    "i": lambda d: f"{d.minute:02d}",
    "s": lambda d: f"{d.second:02d}",
}


def format_php_date(value: date | datetime, fmt: str) -> str:
    out = []
    escaped = False
    for ch in fmt:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in _FORMATTERS:
            out.append(_FORMATTERS[ch](value))
        else:
            out.append(ch)
    return "".join(out)


_PARSERS = {
    "d": r"(?P<day>\d{2})",
    "j": r"(?P<day>\d{1,2})",
    "D": r"[A-Za-z]{3}",
    "l": r"[A-Za-z]+",
    "S": r"(?:st|nd|rd|th)",
    "F": r"(?P<monthname>[A-Za-z]+)",
    "M": r"(?P<monthabbr>[A-Za-z]{3})",
    "m": r"(?P<month>\d{2})",
    "n": r"(?P<month>\d{1,2})",
    "Y": r"(?P<year>\d{4})",
    "y": r"(?P<year2>\d{2})",
    "a": r"(?P<ampm>am|pm)",
    "A": r"(?P<ampm>AM|PM)",
    "g": r"(?P<hour12>\d{1,2})",
    "h": r"(?P<hour12>\d{2})",
    "G": r"(?P<hour>\d{1,2})",
    "H": r"(?P<hour>\d{2})",
    "i": r"(?P<minute>\d{2})",
    "s": r"(?P<second>\d{2})",
}


def _pattern(fmt: str) -> re.Pattern:
    parts = []
    seen: set[str] = set()
    escaped = False
    for ch in fmt:
        if escaped:
            parts.append(re.escape(ch))
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in _PARSERS:
            piece = _PARSERS[ch]
            name = re.search(r"\?P<(\w+)>", piece)
            if name and name.group(1) in seen:  # a field given twice: match, don't capture
                piece = re.sub(r"\?P<\w+>", "?:", piece)
            elif name:
                seen.add(name.group(1))
            parts.append(piece)
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts) + r"\Z")


def parse_php_date(text: str, fmt: str) -> datetime:
    """Read a date written with `fmt`. Raises ValueError naming the format if it does not fit."""
    match = _pattern(fmt).match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date in the format {fmt!r}")
    g = match.groupdict()
    if g.get("year"):
        year = int(g["year"])
    elif g.get("year2"):
        year = 2000 + int(g["year2"]) if int(g["year2"]) < 70 else 1900 + int(g["year2"])
    else:
        raise ValueError(f"the date format {fmt!r} has no year")
    month_name = g.get("monthname") or g.get("monthabbr")
    if month_name:
        name = month_name.lower()
        months = [m.lower() for m in _MONTHS]
        matches = [i for i, m in enumerate(months) if m == name or m[:3] == name]
        if not matches:
            raise ValueError(f"{text!r}: unknown month {name!r}")
        month = matches[0] + 1
    else:
        month = int(g.get("month") or 1)
    hour = int(g.get("hour") or 0)
    if g.get("hour12"):
        hour = int(g["hour12"]) % 12 + (12 if (g.get("ampm") or "").lower() == "pm" else 0)
    return datetime(
        year,
        month,
        int(g.get("day") or 1),
        hour,
        int(g.get("minute") or 0),
        int(g.get("second") or 0),
    )
