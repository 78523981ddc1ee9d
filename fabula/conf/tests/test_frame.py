"""The site's frame (header and footer): rendered once for all guests of a language, and still
each page's own where it must be (the address the log-in link and the language switcher carry
back), the member's own for members, and new at once when the site changes."""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from fabula.lib import pagecache
from fabula.test import set_site

pytestmark = pytest.mark.django_db


def _page_without_the_kept_frame(client: Client, address: str, monkeypatch) -> str:
    """The page as it is when every frame is rendered for it alone."""
    with monkeypatch.context() as patch:
        patch.setattr(pagecache, "guest_fragment", lambda name, render: render())
        patch.setattr("fabula.conf.templatetags.frame.guest_fragment", lambda name, r: r())
        return client.get(address).content.decode()


def test_a_guest_frame_kept_for_all_carries_each_pages_own_address(
    client, make_story, author, monkeypatch
):
    make_story(author, title="Seen Twice")
    # An address whose query needs escaping both ways: in a link's ?next= and in a form field.
    odd = reverse("search:results") + '?q=<b>"&page=2'
    plain = reverse("home")
    client.get(plain)  # the frame is now kept, rendered for another page
    for address in (odd, plain):
        response = client.get(address)
        page = response.content.decode()
        assert page == _page_without_the_kept_frame(client, address, monkeypatch)
        here = response.wsgi_request.get_full_path()
        assert f'?next={escape(quote(here, safe="/"))}"' in page
        assert f'name="next" value="{escape(here)}"' in page
        if address == odd:
            assert "&" in here  # so escaping it shows
    assert "FABULAFRAME" not in page


def test_a_member_gets_their_own_frame_and_the_next_guest_does_not(client, reader):
    guest_page = client.get(reverse("home")).content.decode()
    assert reverse("accounts:register") in guest_page
    member = Client()
    member.force_login(reader)
    member_page = member.get(reverse("home")).content.decode()
    assert reader.pen_name in member_page and reverse("accounts:logout") in member_page
    assert "csrfmiddlewaretoken" in member_page
    after = Client().get(reverse("home")).content.decode()
    assert reader.pen_name not in after and reverse("accounts:logout") not in after
    assert "csrfmiddlewaretoken" not in after


def test_the_frame_follows_a_change_to_the_site_at_once(client):
    set_site(site_name="First Name", slogan="Old slogan")
    assert "First Name — Old slogan" in client.get(reverse("home")).content.decode()
    set_site(site_name="Second Name", slogan="New slogan")
    page = client.get(reverse("home")).content.decode()
    assert "Second Name — New slogan" in page and "First Name" not in page


def test_each_language_has_its_own_kept_frame(client):
    english = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    german = Client().get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    again = Client().get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Skip to content" in english and "Skip to content" in again
    assert "Skip to content" not in german and '<html lang="de"' in german


def test_a_part_rendered_while_the_content_changed_is_not_served_after():
    def render_during_a_change() -> str:
        # Meanwhile another request writes, and another asks for a part after the write.
        pagecache.content_changed()
        assert pagecache.guest_fragment("footer", lambda: "footer") == "footer"
        return "from before the change"

    assert pagecache.guest_fragment("header", render_during_a_change) == "from before the change"
    assert pagecache.guest_fragment("header", lambda: "after") == "after"
