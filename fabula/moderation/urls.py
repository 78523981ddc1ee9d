"""Staff pages under /moderation/, and the report form anyone may use under /report/."""

from django.urls import path

from fabula.moderation import views

app_name = "moderation"
urlpatterns = [
    path("moderation/", views.queue, name="queue"),
    path("moderation/reports/", views.reports, name="reports"),
    path("moderation/log/", views.audit_log, name="log"),
    path("moderation/members/", views.members, name="members"),
    path("moderation/stories/<int:story_id>/<str:verb>/", views.story_action, name="story"),
    path("moderation/chapters/<int:chapter_id>/<str:verb>/", views.chapter_action, name="chapter"),
    path("moderation/reviews/<int:review_id>/<str:verb>/", views.review_action, name="review"),
    path("moderation/members/<int:user_id>/<str:verb>/", views.member_action, name="member"),
    path(
        "moderation/reports/<int:report_id>/<str:verb>/", views.report_action, name="report-close"
    ),
    path("report/<str:kind>/<int:item_id>/", views.report, name="report"),
]
