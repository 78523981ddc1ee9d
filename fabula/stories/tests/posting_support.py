"""Shared set-up for the posting tests: forms as a browser would send them."""

from __future__ import annotations

import io
import zipfile

from django.urls import reverse

from fabula.stories.models import Story


def story_data(archive, **overrides) -> dict:
    data = {
        "title": "Beach Games",
        "summary": "<p>Michael holds a contest.</p>",
        "notes": "",
        "rating": archive.general.pk,
        "tags_categories": [archive.fandom.pk],
        "tags_characters": [archive.jim.pk],
        "tags_genres": [archive.humor.pk],
        "coauthors": "",
        "chapter-title": "The Contest",
        "chapter-text_format": "html",
        "chapter-body": "<p>Everyone walked to the beach.</p>",
        "chapter-notes": "",
        "chapter-end_notes": "",
        "publish": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_story(client, archive, **overrides):
    return client.post(reverse("stories:new"), story_data(archive, **overrides))


def newest_story() -> Story:
    return Story.objects.latest("pk")


def docx_bytes(body_xml: str) -> bytes:
    """A minimal Word document whose body is `body_xml` (WordprocessingML paragraphs)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as docx:
        docx.writestr(
            "[Content_Types].xml",
            (
                '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-'
                'package.relationships+xml"/><Default Extension="xml" '
                'ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" '
                'ContentType="application/vnd.openxmlformats-'
                'officedocument.wordprocessingml.document.main+xml"/></Types>'
            ),
        )
        docx.writestr(
            "_rels/.rels",
            (
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                "</Relationships>"
            ),
        )
        docx.writestr(
            "word/document.xml",
            (
                '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                f'wordprocessingml/2006/main"><w:body>{body_xml}</w:body></w:document>'
            ),
        )
    return buffer.getvalue()
