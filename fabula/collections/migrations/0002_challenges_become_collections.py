"""Every challenge already in the archive gets the collection that carries it (its page), as
`collections.actions.challenge_collection` makes one for each new import."""

from django.db import migrations
from django.utils.html import strip_tags


def forwards(apps, schema_editor):
    Challenge = apps.get_model("stories", "Challenge")
    Collection = apps.get_model("collections", "Collection")
    Prompt = apps.get_model("collections", "Prompt")
    for challenge in Challenge.objects.filter(collection__isnull=True):
        summary = strip_tags(challenge.summary).strip()
        collection = Collection.objects.create(
            name=f"challenge-{challenge.pk}",
            title=challenge.title,
            summary=summary,
            kind="challenge",
            openness="open",
            challenge=challenge,
            created_at=challenge.created_at,
        )
        if challenge.owner_id:
            collection.maintainers.add(challenge.owner_id)
        Prompt.objects.create(collection=collection, title=challenge.title, description=summary)


class Migration(migrations.Migration):
    dependencies = [("collections", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
