"""`fabula send-digests`: the daily email for members who chose one. Run it from cron (hourly is
fine: each member gets at most one digest in 23 hours)."""

from django.core.management.base import BaseCommand

from fabula.notifications.emails import send_digests


class Command(BaseCommand):
    help = "Email daily digests to members who chose one."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} digest{'s' if sent != 1 else ''} sent.")
