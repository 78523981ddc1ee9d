"""Routes of the collections app, under /collections/ (namespace `collections`)."""

from django.urls import path

from fabula.collections import views

app_name = "collections"

urlpatterns = [
    path("collections/", views.collection_list, name="list"),
    path("collections/new/", views.collection_new, name="new"),
    path("collections/add-story/<int:story_id>/", views.story_add, name="story-add"),
    path("collections/<slug:name>/", views.collection_detail, name="detail"),
    path("collections/<slug:name>/add/", views.collection_add, name="add"),
    path("collections/<slug:name>/invite/", views.collection_invite, name="invite"),
    path(
        "collections/<slug:name>/items/<int:item_id>/<str:verb>/",
        views.item_answer,
        name="item",
    ),
    path("collections/<slug:name>/reveal/", views.collection_reveal, name="reveal"),
    path("collections/<slug:name>/signup/", views.signup, name="signup"),
    path("collections/<slug:name>/assignments/", views.assignments, name="assignments"),
    path("collections/<slug:name>/my-assignment/", views.my_assignment, name="my-assignment"),
]
