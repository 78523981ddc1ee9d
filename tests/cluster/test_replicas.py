"""Fabula on a PostgreSQL primary and a streaming replica (bench/cluster.py), through a real
web node: guests read the replica, a member who just wrote reads the primary, even while the
replica lags (its replay paused with pg_wal_replay_pause())."""

from __future__ import annotations

import pytest

from tests.cluster.conftest import DATABASE, Browser

pytestmark = pytest.mark.cluster


def test_a_member_reads_their_own_review_while_guests_read_the_lagging_replica(site):
    script, made, world = site
    node = made.address("web_a")
    member, guest = Browser(node).log_in("Cluster Member 0"), Browser(node)
    story = world.story(1)
    assert "On Two Machines 1" in guest.get(story)  # served from the replica
    replica = made.cluster.replica_port
    made.cluster.psql(replica, "select pg_wal_replay_pause()")  # the replica lags from here
    try:
        code = member.post_form(
            f"/stories/{world.stories[1]}/reviews/new/",
            {"body": "Read on the primary", "chapter": str(world.chapters[1])},
        )
        assert code == 302
        assert "Read on the primary" in member.get(story)  # read-your-writes
        assert "Read on the primary" not in guest.get(story)  # the replica has not it yet
        # Nor is that page kept: the guest's page built on the lagging replica is not cached.
        assert "Read on the primary" not in guest.get(story)
        behind = made.cluster.psql(
            replica,
            "select pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()),"
            " extract(epoch from now() - pg_last_xact_replay_timestamp())",
        ).split("|")
        print(
            f"\nreplica lag simulated: replay paused, {int(float(behind[0])):,} bytes of WAL"
            f" received and not replayed yet (the review's may still be on its way),"
            f" last replayed commit {float(behind[1]):.1f} s old"
        )
    finally:
        made.cluster.psql(replica, "select pg_wal_replay_resume()")
    script.wait_for_replay(made.cluster)
    # Replayed: the guest's very next page shows it (no page from the lag was kept).
    assert "Read on the primary" in guest.get(story)


def test_the_replica_is_never_written_nor_migrated(site):
    _, made, _ = site
    cluster = made.cluster
    assert cluster.psql(cluster.replica_port, "select pg_is_in_recovery()") == "t"
    migrations = "select count(*) from django_migrations"
    assert cluster.psql(cluster.replica_port, migrations, DATABASE) == cluster.psql(
        cluster.primary_port, migrations, DATABASE
    )
