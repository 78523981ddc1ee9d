from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.conf"
    label = "conf"
    verbose_name = "Site settings"

    def ready(self) -> None:
        from django.conf import settings

        from fabula.conf import checks  # noqa: F401  (registers the system checks)
        from fabula.lib.limits import counts_its_own

        counts_its_own(settings.CSP_REPORT_URL)  # csp_report keeps its own count
