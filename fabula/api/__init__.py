"""The public JSON API (/api/v1/, OpenAPI 3.1 by Django Ninja) and KOReader's sync server.

It reads every area and writes only through their actions, so it sits at the top of the layers
(just below `legacy`) and nothing imports it. What is where:

- `site.py`: the `NinjaAPI` object, its error handlers (RFC 9457 problem+json) and routers;
- `reading.py`: what a guest may read (stories, chapters, tags, authors, series, challenges,
  reviews, recent and top lists, search);
- `members.py`, `authoring.py`: what a member's token may read and do;
- `shapes.py`: the JSON shapes (pydantic schemas) and how a model becomes one;
- `responses.py`: conditional responses (ETag, Last-Modified, 304), pages and `Link`, `fields=`;
- `caching.py`: guests' reads kept in the page cache, and 304s answered from it;
- `tokens.py` (+ `models.ApiToken`, `actions`): personal access tokens and who is asking;
- `kosync.py`: KOReader's progress sync, with `positions.py` mapping its places to Fabula's.
"""
