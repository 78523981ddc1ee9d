"""Site-wide addresses that are not pages (fabula/urls.py includes them)."""

from django.conf import settings
from django.urls import path

from fabula.conf import views

urlpatterns = [
    path(settings.CSP_REPORT_URL.lstrip("/"), views.csp_report, name="csp-report"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("ai.txt", views.ai_txt, name="ai-txt"),
    path("challenge/", views.challenge_answer, name="challenge"),
]
