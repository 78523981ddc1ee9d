"""Ending a browser context cleanly between tests."""

from __future__ import annotations


def close_quietly(context) -> None:
    """Close a browser context with no request of its pages still reaching the server: a page's
    own requests are let finish, then the context goes offline before it closes (a member's
    chapter page saves the reading position on pagehide, with keepalive). Otherwise such a
    request can hold a table while the test's database is flushed, failing that test's teardown
    and the next test's setup."""
    from playwright.sync_api import Error as PlaywrightError

    for page in context.pages:
        try:
            page.wait_for_load_state("networkidle", timeout=5000)
        except PlaywrightError:
            pass  # a page that never goes quiet: offline below cuts it off
    context.set_offline(True)
    context.close()
