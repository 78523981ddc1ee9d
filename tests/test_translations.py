"""The interface's translations: every template string marked, every catalogue whole and current.

- `test_no_english_outside_translation_tags`: a check of our own over the templates. It reads
  each template's tokens (Django's own lexer) and fails on English words in text, or in an
  attribute people read (title, placeholder, aria-label…), that no translation tag holds. The
  legacy eFiction templates stay English on purpose and are not read; neither is the e-book
  page (formats/story.html), whose built files are shared by readers of every language.
- the catalogues (fabula/locale/*/LC_MESSAGES/django.po): no untranslated or fuzzy entry, the
  committed .mo is the .po compiled, and the msgids are those makemessages finds in the sources
  now (a string added or changed since the last `make messages` fails here).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.template.base import Lexer, TokenType

from fabula.lib.catalogues import LOCALE_DIR, catalogues
from fabula.test import require

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "fabula"
LANGUAGES = ["de", "es", "fr", "ar"]
UNREAD_TEMPLATES = {"legacy", "formats/story.html"}

HTML_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
RAW = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
READ_ATTRIBUTE = re.compile(
    r'\b(?:title|placeholder|aria-label|alt|data-announce|aria-roledescription)="([^"]*)"'
)
# A run of two letters or more: English words. Entities (&nbsp;, &amp;…) are not words.
WORD = re.compile(r"(?<![&#\w])[A-Za-z]{2,}")
# Things that are the same in every language: formats, units, symbols, product names.
NOT_ENGLISH = {"EPUB", "OPDS", "HTML", "KOReader", "Atom", "API", "URL", "JSON", "RSS"}
OPENS = re.compile(r"^(blocktranslate|blocktrans|comment)\b")
CLOSES = re.compile(r"^(endblocktranslate|endblocktrans|endcomment)\b")


def templates() -> list[Path]:
    found = []
    for path in sorted(PACKAGE.rglob("templates/**/*.html")) + sorted(
        PACKAGE.rglob("templates/**/*.txt")
    ):
        name = path.as_posix().split("/templates/", 1)[1]
        if name.split("/", 1)[0] in UNREAD_TEMPLATES or name in UNREAD_TEMPLATES:
            continue
        found.append(path)
    return found


def english_in(source: str) -> list[str]:
    """The English text of a template that no translation tag holds."""
    # The template with every tag, variable and translation block made a blank placeholder,
    # so that HTML tags spanning template tags (<a href="{% url … %}">) are whole again.
    kept: list[str] = []
    depth = 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.TEXT and not depth:
            kept.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            if OPENS.match(token.contents):
                depth += 1
            elif CLOSES.match(token.contents):
                depth -= 1
        kept.append(" \x00 ")
    text = RAW.sub(" ", "".join(kept))
    found = [w for value in READ_ATTRIBUTE.findall(text) for w in WORD.findall(value)]
    found += WORD.findall(HTML_TAG.sub(" ", text))
    return [word for word in found if word not in NOT_ENGLISH]


def test_the_check_finds_english_and_passes_marked_text():
    assert english_in("<p>Hello {{ name }}</p>") == ["Hello"]
    assert english_in('<input placeholder="Search stories">') == ["Search", "stories"]
    assert english_in('{% load i18n %}<p>{% translate "Hello" %} {{ name }}</p>') == []
    assert english_in("{% blocktranslate %}Hi {{ n }}{% endblocktranslate %}") == []
    assert english_in('<a href="/x" class="button">{{ x }}</a>&nbsp;— 3/4 · EPUB') == []
    assert english_in("<script>let words = 1;</script><style>p { color: red }</style>") == []


@pytest.mark.parametrize("path", templates(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_english_outside_translation_tags(path):
    assert english_in(path.read_text()) == [], (
        f"{path.relative_to(ROOT)} shows English that no {{% translate %}} or "
        "{% blocktranslate %} holds"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language):
    po = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{language}: {len(untranslated)} untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy: {fuzzy[:10]}"
    assert len(po) > 300


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: p.parent.parent.name)
def test_committed_mo_is_the_po_compiled(po_path):
    def entries(catalogue):
        return {
            (entry.msgctxt, entry.msgid): (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
            for entry in catalogue
            if entry.msgid
        }

    compiled = entries(polib.pofile(str(po_path)).translated_entries())
    assert entries(polib.mofile(str(po_path.with_suffix(".mo")))) == compiled, "run `make messages`"


def _msgids(po_path: Path) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(po_path)) if entry.msgid}


def test_catalogues_are_current_with_the_sources(tmp_path):
    """makemessages over a copy of the sources finds exactly the catalogue's msgids."""
    require(shutil.which("xgettext") is not None, "xgettext is absent (apt-get install gettext)")
    copy = tmp_path / "fabula"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("static", "tests", "__pycache__", "*.mo", "fixtures"),
    )
    for language in LANGUAGES:
        shutil.rmtree(copy / "locale" / language)
    (tmp_path / "Makefile").write_text((ROOT / "Makefile").read_text())
    command = re.search(
        r"^\t(\$\(BIN\)/fabula makemessages(?:[^\n]*\\\n)*[^\n]*)",
        (ROOT / "Makefile").read_text(),
        re.M,
    )
    assert command, "the Makefile's messages target runs makemessages"
    # The Makefile's own arguments, but for the languages: German alone is enough here.
    arguments = command.group(1).replace("\\\n", " ").split()[2:]
    arguments = [a.strip("'") for a in arguments if "$(" not in a and a != "-l"] + ["-l", "de"]
    subprocess.run(
        [sys.executable, "-m", "fabula.cli", "makemessages", *arguments],
        cwd=tmp_path,
        env={
            "PYTHONPATH": str(ROOT),
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "fabula.settings",
        },
        check=True,
        capture_output=True,
        timeout=300,
    )
    fresh = _msgids(copy / "locale" / "de" / "LC_MESSAGES" / "django.po")
    kept = _msgids(LOCALE_DIR / "de" / "LC_MESSAGES" / "django.po")
    assert fresh == kept, (
        f"the catalogue is stale: run `make messages`. New: {sorted(fresh - kept)[:10]}, "
        f"gone: {sorted(kept - fresh)[:10]}"
    )
