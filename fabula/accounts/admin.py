from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from fabula.accounts.models import User
from fabula.lib.weblinks import ADMIN_WEB_ADDRESSES


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    formfield_overrides = ADMIN_WEB_ADDRESSES
    ordering = ["pen_name"]
    list_display = ["pen_name", "email", "level", "trusted", "is_active", "date_joined"]
    list_filter = ["level", "trusted", "locked", "is_active", "is_staff"]
    filter_horizontal = ["moderated_categories"]
    search_fields = ["pen_name", "email", "real_name"]
    fieldsets = [
        (None, {"fields": ["pen_name", "email", "password"]}),
        ("Profile", {"fields": ["real_name", "bio", "website"]}),
        (
            "Staff",
            {
                "fields": [
                    "level",
                    "moderated_categories",
                    "trusted",
                    "locked",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                ]
            },
        ),
        (
            "Preferences",
            {"fields": ["age_consent", "theme", "text_size", "default_sort", "alerts"]},
        ),
        ("Dates", {"fields": ["date_joined", "last_login"]}),
    ]
    add_fieldsets = [(None, {"fields": ["pen_name", "email", "password1", "password2"]})]
