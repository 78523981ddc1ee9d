"""The interface's translation catalogues (fabula/locale/<language>/LC_MESSAGES/django.po).

`make messages` runs Django's makemessages and then this module, which compiles every .po file to
its .mo with polib, in Python: a machine without GNU gettext's msgfmt can still build them. The
.mo files are committed (docs/decisions.md), and a test checks that each one is its .po compiled.
"""

from __future__ import annotations

from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def catalogues() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def compile_all() -> list[Path]:
    import polib  # a development tool: the site itself only reads the .mo files

    written = []
    for po in catalogues():
        mo = po.with_suffix(".mo")
        polib.pofile(str(po)).save_as_mofile(str(mo))
        written.append(mo)
    return written


if __name__ == "__main__":
    for mo in compile_all():
        print(f"compiled {mo.relative_to(LOCALE_DIR.parent.parent)}")
