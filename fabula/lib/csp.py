"""The Content-Security-Policy's allowances for inline styles: the hashes of fixed `<style>`
blocks.

No page runs an inline script (every script is a static file), so the policy allows scripts from
the site only. A few pages carry a fixed `<style>` block in their template (the legacy pages,
which must keep eFiction's markup, the HTML download, one admin list); rather than
'unsafe-inline', the policy allows exactly those blocks by hash. The hashes are read from the
template files when the settings load, so editing a block cannot silently break its page; a
block holding template syntax would render differently from its file and is not hashed (the
CSP tests render every page type and fail on any style the policy would refuse).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

_STYLE = re.compile(r"<style>(.*?)</style>", re.S | re.I)


def source_hash(text: str) -> str:
    """A CSP hash source for an inline block's exact text: 'sha256-…'."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def style_hashes(templates: Iterable[Path]) -> list[str]:
    """Hash sources of every fixed `<style>` block in these template files, sorted."""
    found = set()
    for template in templates:
        for block in _STYLE.findall(template.read_text(encoding="utf-8")):
            if "{{" not in block and "{%" not in block:
                found.add(source_hash(block))
    return sorted(found)
