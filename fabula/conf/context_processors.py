from fabula.conf.models import site_settings as current_settings


def site(request):
    """The archive's settings as `site_settings` in every template.

    Not `site`: Django's auth views (LoginView, the password reset views) put their own `site`
    (a django.contrib.sites object) in the context, which would hide ours on those pages."""
    return {"site_settings": current_settings()}
