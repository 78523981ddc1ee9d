# A separate migration from 0010's update: PostgreSQL does not alter a table with pending
# trigger events (the deferred foreign-key checks of the rows 0010 just updated).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0010_storyauthor_pseud"),
    ]

    operations = [
        migrations.AlterField(
            model_name="storyauthor",
            name="pseud",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="credits",
                to="accounts.pseud",
            ),
        ),
    ]
