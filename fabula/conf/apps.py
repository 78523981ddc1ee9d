from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.conf"
    label = "conf"
    verbose_name = "Site settings"

    def ready(self) -> None:
        from django.conf import settings
        from django.core.signals import request_finished, request_started

        from fabula.conf import checks  # noqa: F401  (registers the system checks)
        from fabula.conf.models import keep_for_request, read_afresh
        from fabula.lib.limits import counts_its_own

        counts_its_own(settings.CSP_REPORT_URL)  # csp_report keeps its own count
        request_started.connect(keep_for_request, dispatch_uid="fabula-site-settings-start")
        request_finished.connect(read_afresh, dispatch_uid="fabula-site-settings-end")
