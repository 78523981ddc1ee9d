"""`fabula send_digests`: alerts for scheduled chapters whose time came, then the daily email for
members who chose one. Run it from cron (hourly is fine: each member gets at most one digest in
23 hours)."""

from django.core.management.base import BaseCommand

from fabula.community.notifications import alert_scheduled_releases, send_digests


class Command(BaseCommand):
    help = "Announce scheduled chapters now released; email daily digests to members who chose one."

    def handle(self, *args, **options):
        announced = alert_scheduled_releases()
        self.stdout.write(
            f"{announced} scheduled chapter{'s' if announced != 1 else ''} announced."
        )
        sent = send_digests()
        self.stdout.write(f"{sent} digest{'s' if sent != 1 else ''} sent.")
