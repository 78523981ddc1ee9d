"""How stories are described: kinds of tags, the tags themselves, and ratings.

eFiction has categories (a tree), characters, and "class types" an administrator defines (Genres,
Warnings, ...) each with its classes. AO3 adds free-form tags and synonyms. Fabula holds all of
them as `Tag`s of a `TagKind`, so one mechanism lists, filters and links them. Ratings stay apart:
a story has exactly one, and a rating carries the reading gates.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TagKind(models.Model):
    class Role(models.TextChoices):
        CATEGORY = "category", _("Categories (a tree)")
        CHARACTER = "character", _("Characters")
        CLASS = "class", _("Classification (eFiction class type)")
        FREEFORM = "freeform", _("Free-form tags")

    # `slug` is eFiction's classtype_name for class kinds: printable pages list class lines in
    # the alphabetical order of this internal name, as eFiction does.
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=60, help_text=_("The label readers see, e.g. 'Genres'."))
    role = models.CharField(max_length=10, choices=Role.choices)
    legacy_id = models.PositiveIntegerField(
        null=True, blank=True, unique=True, help_text=_("eFiction classtype_id, for old links.")
    )
    multiple = models.BooleanField(default=True, help_text=_("A story may carry several."))
    required = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("browse-kind", args=[self.slug])


class Tag(models.Model):
    kind = models.ForeignKey(TagKind, on_delete=models.PROTECT, related_name="tags")
    name = models.CharField(max_length=100)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=(
            "For categories: the category above. For characters: the category they belong to."
        ),
    )
    description = models.TextField(blank=True)
    locked = models.BooleanField(
        default=False, help_text=_("Authors may not file new stories here.")
    )
    order = models.PositiveIntegerField(default=0)
    synonym_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="synonyms"
    )
    # A tag is canonical (wrangled, no synonym_of), a synonym (synonym_of set) or unwrangled
    # (neither: a free-form tag an author made, waiting in the wranglers' queue). The tags staff
    # make (categories, characters, classes) are canonical from the start.
    wrangled = models.BooleanField(
        default=True, help_text=_("A wrangler (or staff, making it) has looked at this tag.")
    )
    # The number eFiction's links use for this tag (catid, charid, classid). Imported tags keep
    # theirs; new ones are numbered on creation so old-style links can name every tag.
    legacy_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "legacy_id"], name="tag_legacy_id_per_kind"),
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("browse-tag", args=[self.kind.slug, self.pk])

    @property
    def canonical(self) -> bool:
        return self.wrangled and self.synonym_of_id is None

    @property
    def unwrangled(self) -> bool:
        return not self.wrangled and self.synonym_of_id is None


class Rating(models.Model):
    """An audience rating with its reading gates (eFiction's ratingwarning bitmask, spelled out)."""

    name = models.CharField(max_length=40, unique=True)
    description = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    registered_only = models.BooleanField(default=False, help_text=_("Only members may read."))
    age_consent = models.BooleanField(
        default=False, help_text=_("Readers confirm their age first.")
    )
    warning = models.BooleanField(default=False, help_text=_("Readers see the warning text first."))
    warning_text = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("browse-rating", args=[self.pk])

    @property
    def gated(self) -> bool:
        return self.age_consent or self.warning
