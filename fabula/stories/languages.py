"""The languages a story may be written in, each with its own name ("Deutsch") and English's
("German"): Django's table of languages (`django.conf.locale.LANG_INFO`), which the Django
world keeps up to date, so Fabula keeps no list of its own."""

from __future__ import annotations

from functools import cache

from django.conf.locale import LANG_INFO

from fabula.lib.refusals import FieldRefused

DEFAULT = "en"
UNKNOWN = "Choose a language from the list."


@cache
def languages() -> dict[str, str]:
    """code → label, by the English name: "Deutsch (German)", "English"."""
    named = [(code, info) for code, info in LANG_INFO.items() if "name" in info]
    named.sort(key=lambda item: item[1]["name"])
    return {code: _label(info["name_local"], info["name"]) for code, info in named}


def _label(local: str, english: str) -> str:
    return local if local.casefold() == english.casefold() else f"{local} ({english})"


def language_choices(current: str | None = None) -> list[tuple[str, str]]:
    """The menu of languages; a story's own code stays in it even if the table lacks it (an
    imported story may carry one)."""
    choices = list(languages().items())
    if current and current not in languages():
        choices.insert(0, (current, current))
    return choices


def language_name(code: str) -> str:
    return languages().get(code, code)


def native_name(code: str) -> str:
    """The language named in its own tongue ("Deutsch"), or its code when the table lacks it."""
    info = LANG_INFO.get(code, {})
    return info.get("name_local", code) if "name" in info else code


def check_language(code: str, *, current: str | None = None) -> str:
    """The language code, refused unless the table knows it or it is the story's own already
    (an imported story may carry a code the table lacks, and keeps it through an edit)."""
    if code in languages() or (current is not None and code == current):
        return code
    raise FieldRefused(f"{UNKNOWN} “{code[:20]}” is not a language this archive knows.", "language")
