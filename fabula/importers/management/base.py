"""What the commands that write a whole archive share."""

from django.core.management.base import BaseCommand


class ImportCommand(BaseCommand):
    """A command that writes a whole archive (`import-efiction`, `load-dump`).

    Django's system checks look at the site's addresses, templates and admin, none of which an
    import uses: importing the whole URL tree to check it was 3 % of a 21,000-chapter import."""

    requires_system_checks: list[str] = []
