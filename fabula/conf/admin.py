from django.contrib import admin
from django.utils.functional import lazy

from fabula.conf.models import SiteSettings, site_settings
from fabula.lib.weblinks import ADMIN_WEB_ADDRESSES


def _site_named(pattern: str) -> str:
    """A label with the archive's name, read at each page (the settings may change)."""
    return lazy(lambda: pattern.format(site_settings().site_name), str)()


# The admin says whose it is, instead of "Django administration".
admin.site.site_header = _site_named("{} administration")
admin.site.site_title = _site_named("{} admin")
admin.site.index_title = _site_named("Run {}")


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    formfield_overrides = ADMIN_WEB_ADDRESSES
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
        ("Crawlers and AI", {"fields": ["robots_txt", "ai_txt"]}),
    ]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
