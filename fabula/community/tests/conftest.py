"""Community tests start with an empty cache (site settings, page cache, rate-limit counters)."""

from fabula.stories.tests.reading_support import fresh_caches  # noqa: F401  (autouse fixture)
