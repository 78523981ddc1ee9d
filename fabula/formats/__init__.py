"""Stories in and out of the archive, in other people's formats.

- `registry.py`: every format by name (`get_format("efiction-text")`), one interface.
- `canonical.py`: the plain story objects readers produce and `loader.py` writes.
- `blocks.py`: the reversible mapping between text paragraphs and stored HTML.
- `efiction_fields.py`: eFiction's header values ("Orphan", "None", dates), shared with the
  legacy pages; `efiction_text.py`: eFiction's printable page as text, both ways.
- Commands: `fabula import-text FILE...`, `fabula export SID --format NAME [-o FILE]`.
"""
