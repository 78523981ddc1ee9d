"""Routes of this app; fabula/urls.py includes them."""

urlpatterns: list = []
