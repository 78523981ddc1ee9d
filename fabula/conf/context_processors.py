from fabula.conf.settings import site_settings


def site(request):
    return {"site": site_settings()}
