"""Stories in and out of the archive, in other people's formats.

- `registry.py`: every format by name (`get_format("efiction-text")`), one interface, and
  which of them a story page and the OPDS catalog offer.
- `importing.py`: a story file into the archive: its reader makes a one-story dump
  (`importers.dump.StoryDump`), the dump loader (`importers.load`) writes it, all or nothing.
- `blocks.py`: the reversible mapping between text paragraphs and stored HTML.
- `efiction_fields.py`: eFiction's header values ("Orphan", "None", dates), shared with the
  legacy pages; `efiction_text.py`: eFiction's printable page as text, both ways.
- Reading formats: `book.py` gathers a story once for all of them; `epub.py` (EPUB 3 with
  EPUB 2 navigation, built with ebooklib), `html.py` (one file), `txt.py` (plain text);
  `xhtml.py` makes stored HTML into clean XHTML for them.
- `downloads.py`: each download built once per version of the story, kept as a file.
- Feeds: `atom.py` (the Atom writer, and a story's chapters as a feed), `feeds.py` (recent
  stories of the site, a tag, an author, a series), `opds.py` (the OPDS 1.2 catalog);
  `models.py` + `app_passwords.py`: the app passwords reading apps log in with.
- `views.py`/`urls.py`: /downloads/..., /feeds/..., /opds/... and the app-password page.
- Commands: `fabula import-text FILE...`, `fabula export SID --format NAME [-o FILE]`
  (NAME: efiction-text, epub, html, txt, atom, opds).
"""
