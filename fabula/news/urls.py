"""Routes of this app (namespace `news`); fabula/urls.py includes them at the root. The news
feed is in the feeds table with the others (`formats/views.py`, ATOM_FEEDS)."""

from django.urls import path

from fabula.news import views

app_name = "news"
urlpatterns = [
    path("news/", views.post_list, name="posts"),
    path("news/<int:post_id>/", views.post_detail, name="post"),
    path("news/<int:post_id>/comment/", views.comment, name="comment"),
    path("pages/<slug:slug>/", views.page, name="page"),
]
