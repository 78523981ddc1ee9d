# One alert preference: User.alerts (immediate, daily, off) replaces User.email_alerts and
# community's MemberPreferences.alerts. A member keeps the quieter of their two old choices:
# "off" if either said no email, else "daily" if they chose the digest, else "immediate".

from django.db import migrations, models


def carry_choices_over(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    MemberPreferences = apps.get_model("community", "MemberPreferences")
    community = dict(MemberPreferences.objects.values_list("user_id", "alerts"))
    User.objects.filter(email_alerts=False).update(alerts="off")
    off = [pk for pk, choice in community.items() if choice == "off"]
    daily = [pk for pk, choice in community.items() if choice == "daily"]
    User.objects.filter(pk__in=off).update(alerts="off")
    User.objects.filter(pk__in=daily, email_alerts=True).update(alerts="daily")


def carry_choices_back(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    MemberPreferences = apps.get_model("community", "MemberPreferences")
    User.objects.update(email_alerts=True)
    User.objects.filter(alerts="off").update(email_alerts=False)
    for user_id, alerts in User.objects.exclude(alerts="immediate").values_list("pk", "alerts"):
        MemberPreferences.objects.update_or_create(user_id=user_id, defaults={"alerts": alerts})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_email_alerts_user_locked_and_more"),
        ("community", "0002_memberpreferences_block_notification"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="alerts",
            field=models.CharField(
                choices=[
                    ("immediate", "An email at once"),
                    ("daily", "One email a day at most"),
                    ("off", "No email (the notifications page only)"),
                ],
                default="immediate",
                help_text="How notifications reach the member by email (fabula.notifications).",
                max_length=10,
            ),
        ),
        migrations.RunPython(carry_choices_over, carry_choices_back),
        migrations.RemoveField(model_name="user", name="email_alerts"),
    ]
