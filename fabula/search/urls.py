"""Routes of this app; fabula/urls.py includes them at the root."""

from django.urls import path

from fabula.search import views

app_name = "search"
urlpatterns = [
    path("search/", views.results, name="results"),
    path("search/help/", views.help_page, name="help"),
    path("search/saved/", views.saved_list, name="saved"),
    path("search/saved/new/", views.save, name="save"),
    path("search/saved/<int:saved_id>/delete/", views.delete, name="delete"),
    path("search/saved/<int:saved_id>/feed/<str:token>/", views.feed, name="feed"),
]
