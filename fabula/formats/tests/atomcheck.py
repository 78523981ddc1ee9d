"""Checking a feed against Atom's rules (RFC 4287), as far as tests need.

`check_atom(data)` parses the bytes as XML and asserts: the root is an Atom feed; the feed and
every entry have exactly one `id` (an absolute IRI), `title` and `updated`; every entry has an
author, its own or the feed's; an entry without `content` has an alternate link; every link
has `href`, `rel` and `type`; every date is RFC 3339. It returns the parsed root.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
NS = {"a": ATOM, "opensearch": "http://a9.com/-/spec/opensearch/1.1/"}
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\Z")


def check_atom(data: bytes):
    root = etree.fromstring(data)
    assert root.tag == f"{{{ATOM}}}feed", f"not an Atom feed: {root.tag}"
    _check_common(root, "feed")
    feed_has_author = bool(root.findall("a:author", NS))
    for entry in root.findall("a:entry", NS):
        _check_common(entry, f"entry {entry.findtext('a:title', namespaces=NS)!r}")
        assert feed_has_author or entry.findall("a:author", NS), "an entry has no author"
        if entry.find("a:content", NS) is None:
            rels = [link.get("rel") for link in entry.findall("a:link", NS)]
            assert "alternate" in rels, "an entry has neither content nor an alternate link"
    for date in root.iter(f"{{{ATOM}}}updated", f"{{{ATOM}}}published"):
        assert RFC3339.match(date.text or ""), f"not an RFC 3339 date: {date.text!r}"
    for author in root.iter(f"{{{ATOM}}}author"):
        assert len(author.findall("a:name", NS)) == 1, "an author without exactly one name"
    for link in root.iter(f"{{{ATOM}}}link"):
        for attribute in ("href", "rel", "type"):
            assert link.get(attribute), f"a link without {attribute}: {etree.tostring(link)!r}"
    return root


def _check_common(element, what: str) -> None:
    for name in ("id", "title", "updated"):
        found = element.findall(f"a:{name}", NS)
        assert len(found) == 1, f"{what} has {len(found)} <{name}> elements"
    identifier = element.findtext("a:id", namespaces=NS)
    assert urlsplit(identifier).scheme, f"{what}'s id is not an absolute IRI: {identifier!r}"


def links(element, rel: str | None = None) -> list:
    return [link for link in element.findall("a:link", NS) if rel is None or link.get("rel") == rel]


def entries(root) -> list:
    return root.findall("a:entry", NS)


def titles(root) -> list[str]:
    return [entry.findtext("a:title", namespaces=NS) for entry in entries(root)]
