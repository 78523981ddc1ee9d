from django.contrib import admin

from fabula.conf.models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        ("Identity", {"fields": ["site_name", "slogan", "site_url", "legacy_prefix"]}),
        (
            "Display",
            {
                "fields": [
                    "date_format",
                    "items_per_page",
                    "extend_categories",
                    "new_story_days",
                    "welcome",
                    "footer",
                    "printer_copyright",
                ]
            },
        ),
        (
            "Submissions",
            {
                "fields": [
                    "submissions_open",
                    "auto_validate",
                    "max_chapter_characters",
                    "allowed_tags",
                ]
            },
        ),
        ("Reviews", {"fields": ["reviews_allowed", "anonymous_reviews"]}),
        ("Members", {"fields": ["terms", "age_statement"]}),
    ]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
