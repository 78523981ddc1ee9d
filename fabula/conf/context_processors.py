from fabula.conf.models import site_settings


def site(request):
    return {"site": site_settings()}
