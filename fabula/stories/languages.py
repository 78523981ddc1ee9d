"""The languages a story may be written in, each with its own name ("Deutsch") and its name in
the interface's language ("German", "Allemand"): Django's table of languages
(`django.conf.locale.LANG_INFO`) and Django's own translations of their names, which the Django
world keeps up to date, so Fabula keeps no list of its own."""

from __future__ import annotations

from functools import cache

from django.conf.locale import LANG_INFO
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from fabula.lib.refusals import FieldRefused

DEFAULT = "en"
UNKNOWN = gettext_lazy("Choose a language from the list.")


def languages() -> dict[str, str]:
    """code → label, by the English name: "Deutsch (German)", "English" (in a French
    interface "Deutsch (Allemand)", "English (Anglais)")."""
    return _languages(translation.get_language() or DEFAULT)


@cache
def _languages(interface: str) -> dict[str, str]:
    named = [(code, info) for code, info in LANG_INFO.items() if "name" in info]
    named.sort(key=lambda item: item[1]["name"])
    with translation.override(interface):
        return {
            code: _label(info["name_local"], translation.gettext(info["name"]))
            for code, info in named
        }


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
    raise FieldRefused(
        gettext("Choose a language from the list. “%(code)s” is not a language this archive knows.")
        % {"code": code[:20]},
        "language",
    )
