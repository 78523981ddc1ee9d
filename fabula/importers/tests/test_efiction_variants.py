"""eFiction versions and dump styles other than the fixture's: DATETIME dates, a table prefix,
extended INSERTs, names in comma lists, the pre-3.4 co-author list, a folder in the site URL."""

from __future__ import annotations

import pytest

from fabula.collections.models import Collection
from fabula.importers.dump import Dump, DumpWriter
from fabula.importers.load import load_dump
from fabula.importers.sources.efiction import open_tables
from fabula.importers.sources.efiction.convert import (
    ConversionError,
    Options,
    chapter_html,
    convert,
    detect_prefix,
    split_response,
    split_site_url,
)
from fabula.importers.sources.efiction.tables import DumpFileTables, SourceError
from fabula.stories.models import Chapter, Story

OLD_SITE = (
    r"""
-- An older official eFiction (3.3): DATETIME dates, no coauthors table, prefix "arch_".
CREATE TABLE `arch_fanfiction_settings` (
  `sitekey` varchar(50) NOT NULL, `sitename` varchar(200), `url` varchar(200),
  `tableprefix` varchar(50), `store` varchar(5), `dateformat` varchar(20), `itemsperpage` tinyint(4)
) ENGINE=MyISAM;
INSERT INTO `arch_fanfiction_settings` VALUES ('k1','Old Archive',"""
    r"""'http://example.org/archive/fanfiction/','arch_','mysql','F d, Y',10);
CREATE TABLE `arch_fanfiction_authors` (
  `uid` int(11) NOT NULL, `penname` varchar(200), `email` varchar(200), `date` datetime,"""
    r""" `password` varchar(40)
) ENGINE=MyISAM;
INSERT INTO `arch_fanfiction_authors` VALUES (1,'Ann','ann@example.org','2004-02-03 10:11:12',"""
    r"""'0cc175b9c0f1b6a831c399e269772661'),(2,'Bo O\'Neil','bo@example.org',"""
    r"""'0000-00-00 00:00:00',''),(3,'Cy','','2005-01-01 00:00:00','x');
CREATE TABLE `arch_fanfiction_ratings` (`rid` int(11), `rating` varchar(60),"""
    r""" `ratingwarning` char(1), `warningtext` text) ENGINE=MyISAM;
INSERT INTO `arch_fanfiction_ratings` VALUES (1,'All','0',''),(2,'Adult','3',"""
    r"""'Adults only;\nreally.');
CREATE TABLE `arch_fanfiction_categories` (`catid` int(11), `parentcatid` int(11),"""
    r""" `category` varchar(60), `description` text, `locked` char(1), `leveldown` tinyint(4),"""
    r""" `displayorder` int(11)) ENGINE=MyISAM;
INSERT INTO `arch_fanfiction_categories` VALUES (1,-1,'Books','','0',0,1),(2,1,'Mysteries',"""
    r"""'Who did it','1',1,1);
CREATE TABLE `arch_fanfiction_characters` (`charid` int(11), `catid` int(11),"""
    r""" `charname` varchar(60)) ENGINE=MyISAM;
INSERT INTO `arch_fanfiction_characters` VALUES (1,1,'Holmes'),(2,-1,'Watson');
CREATE TABLE `arch_fanfiction_stories` (
  `sid` int(11), `title` varchar(200), `summary` text, `storynotes` text, `catid` varchar(100),
  `charid` varchar(250), `classes` varchar(200), `rid` varchar(25), `date` datetime,"""
    r""" `updated` datetime,
  `uid` int(11), `coauthors` varchar(200), `featured` char(1), `validated` char(1),"""
    r""" `completed` char(1),
  `wordcount` int(11), `count` int(11), `challenges` varchar(200)
) ENGINE=MyISAM;
INSERT INTO `arch_fanfiction_stories` VALUES (10,'A Study','It\'s \"fine\"\\n','','Mysteries',"""
    r"""'Watson,1','0','2','2006-05-04 03:02:01','2006-06-01 00:00:00',1,'2,3','2','1','1',12,5,"""
    r"""'7'),(11,'Lost','','','','','','1','2006-05-04 03:02:01','2006-05-04 03:02:01',99,'0',"""
    r"""'0','1','0',1,0,'0');
CREATE TABLE `arch_fanfiction_challenges` (`chalid` int(11), `challenger` varchar(200),"""
    r""" `uid` int(11), `title` varchar(250), `catid` varchar(200), `characters` varchar(200),"""
    r""" `summary` text, `responses` int(11)) ENGINE=MyISAM;
INSERT INTO `arch_fanfiction_challenges` VALUES (7,'Ann',1,'Locked Room','2','Watson',"""
    r"""'<p>Solve it.</p>',1);
CREATE TABLE `arch_fanfiction_chapters` (
  `chapid` int(11), `title` varchar(200), `inorder` int(11), `notes` text, `storytext` text,
  `validated` char(1), `wordcount` int(11), `sid` int(11), `uid` int(11)
) ENGINE=MyISAM;
INSERT INTO `arch_fanfiction_chapters` VALUES (100,'One',1,NULL,"""
    r"""'First line.\r\nSecond line.\r\n\r\nNew <i>paragraph</i>.','1',7,10,1),(101,'Two',1,'',"""
    r"""'<p>Same place.</p>','1',2,10,2);
"""
)


@pytest.fixture
def old_site(tmp_path):
    path = tmp_path / "old.sql"
    path.write_text(OLD_SITE, encoding="utf-8")
    tables = DumpFileTables(str(path))
    with DumpWriter(tmp_path / "dump", source="efiction") as writer:
        convert(tables, writer, Options())
    return Dump(tmp_path / "dump")


def test_an_older_site_converts(old_site):
    assert old_site.source == "efiction:k1:arch_"
    settings = old_site.settings
    assert (settings["site_url"], settings["legacy_prefix"]) == (
        "http://example.org",
        "archive/fanfiction",
    )
    members = {m["id"]: m for m in old_site.records("members")}
    assert members[1]["date_joined"] == "2004-02-03T10:11:12+00:00"
    assert members[1]["password"] == "efiction_md5$0cc175b9c0f1b6a831c399e269772661"
    assert members[2]["pen_name"] == "Bo O'Neil" and members[2]["date_joined"] is None
    assert members[2]["password"] == members[3]["password"] == ""  # none, or not an MD5: unusable
    story = next(s for s in old_site.records("stories") if s["id"] == 10)
    assert story["published_at"] == "2006-05-04T03:02:01+00:00"
    assert story["summary"] == 'It\'s "fine"\\n'
    assert story["authors"] == [1, 2, 3]  # the comma list of co-authors, before 3.4
    assert story["tags"] == ["category:2", "character:2", "character:1"]  # names and ids
    assert story["featured"] is False  # 2 = retired
    assert story["archived_at"] == "http://example.org/archive/fanfiction/viewstory.php?sid=10"
    ratings = {r["id"]: r for r in old_site.records("ratings")}
    assert ratings[2]["age_consent"] and ratings[2]["warning"] and not ratings[2]["registered_only"]
    assert ratings[2]["warning_text"] == "Adults only;\nreally."
    problems = [(p["kind"], p["item"], p["reason"]) for p in old_site.problems()]
    assert ("stories", 11, "its author uid 99 does not exist: story not imported") in problems
    assert ("chapters", 101, "shares place 1 in story 10: moved to 2") in problems
    assert any(kind == "reviews" and "missing" in reason for kind, _, reason in problems)
    chapters = list(old_site.records("chapters"))
    assert (
        chapters[0]["body"]
        == "<p>First line.<br />\nSecond line.</p>\n<p>New <i>paragraph</i>.</p>"
    )


def test_an_older_site_loads(db, old_site):
    report = load_dump(old_site)
    assert report.kinds["stories"].imported == 1
    assert sum(report.kinds["stories"].skipped.values()) == 1
    story = Story.objects.get(pk=10)
    assert [c.user.pen_name for c in story.credits.all()] == ["Ann", "Bo O'Neil", "Cy"]
    challenge = story.challenges.get()
    assert challenge.owner is not None
    assert (challenge.pk, challenge.title, challenge.owner.pen_name) == (7, "Locked Room", "Ann")
    assert sorted(t.name for t in challenge.tags.all()) == ["Mysteries", "Watson"]
    assert list(Chapter.objects.filter(story=story).values_list("position", flat=True)) == [1, 2]
    assert any("its author uid 99 does not exist" in p for p in report.problems)


def test_prefix_detection():
    assert detect_prefix({"a_fanfiction_stories", "a_fanfiction_chapters"}) == "a_"
    assert detect_prefix({"fanfiction_stories"}) == ""
    with pytest.raises(ConversionError, match="give --prefix"):
        detect_prefix({"a_fanfiction_stories", "b_fanfiction_stories"})
    with pytest.raises(ConversionError, match="not an eFiction database"):
        detect_prefix({"wp_posts"})


def test_texts():
    assert split_site_url("http://127.0.0.1:8082") == ("http://127.0.0.1:8082", "")
    assert split_site_url("https://example.org/fanfiction/") == (
        "https://example.org",
        "fanfiction",
    )
    assert split_response("Nice.<br><br><i>Author's Response: Thanks <em>a lot</em></i>") == (
        "Nice.",
        "Thanks <em>a lot</em>",
    )
    assert split_response("No response here.") == ("No response here.", "")
    assert chapter_html("a & b\n\nc") == "<p>a &amp; b</p>\n<p>c</p>"
    assert chapter_html("<p>kept</p>\nas is") == "<p>kept</p>\nas is"


def test_a_damaged_dump_row_is_reported(tmp_path):
    path = tmp_path / "bad.sql"
    path.write_text(
        OLD_SITE.replace("(2,'Adult','3','Adults only;\\nreally.')", "(2,'Adult')"),
        encoding="utf-8",
    )
    with DumpWriter(tmp_path / "dump", source="efiction") as writer:
        convert(DumpFileTables(str(path)), writer, Options())
    problems = [p["reason"] for p in Dump(tmp_path / "dump").problems()]
    assert "a damaged row in arch_fanfiction_ratings: 2 values for 4 columns" in problems


def test_the_progress_bar_draws_in_place():
    from io import StringIO

    from fabula.importers.progress import ProgressBar

    out = StringIO()
    bar = ProgressBar(out, width=10, enabled=True)
    bar("loading chapters", 5, 10)
    bar("loading chapters", 10, 10)
    text = out.getvalue()
    assert "\rloading chapters" in text and "[#####-----]" in text and "[##########]" in text
    assert text.endswith("100%\n")
    quiet = StringIO()
    ProgressBar(quiet, enabled=False)("x", 1, 2)
    assert quiet.getvalue() == ""


@pytest.mark.parametrize("insert", ["VALUES 1,2;", "VALUES (1,2)),(3,4);"])
def test_a_value_outside_a_row_is_a_source_error(tmp_path, insert):
    path = tmp_path / "bad.sql"
    path.write_text(f"INSERT INTO `arch_fanfiction_ratings` {insert}\n", encoding="utf-8")
    with pytest.raises(SourceError, match="cannot read the INSERT INTO arch_fanfiction_ratings"):
        DumpFileTables(str(path))


def test_open_tables_needs_a_source():
    with pytest.raises(SourceError, match="give the database's address"):
        open_tables()


def test_an_imported_challenge_becomes_a_challenge_collection(db, old_site, client):
    """eFiction's challenge gets its page: a challenge collection kept by its challenger, its
    prompt the challenge, its works the stories answering it."""
    load_dump(old_site)
    collection = Collection.objects.get(challenge_id=7)
    assert (collection.name, collection.kind, collection.title) == (
        "challenge-7",
        "challenge",
        "Locked Room",
    )
    assert [m.pen_name for m in collection.maintainers.all()] == ["Ann"]
    page = client.get(collection.get_absolute_url()).content.decode()
    assert "Solve it." in page  # the prompt
    assert "A Study" in page  # the response
