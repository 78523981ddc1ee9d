"""Believable made-up prose, the same every time for the same seed.

The demo archive and the benchmark corpus need thousands of chapters that read like stories
from a distance: sentences of varied shape, dialogue, paragraphs of varied length, titles and
summaries. `Prose` builds them from the small word lists below (written for Fabula, not taken
from any book) with its own seeded `random.Random`, so a seed always gives the same text, with
no network and no model.

Lengths are exact: `chapter_html(words=1550)` holds 1,550 words as `fabula.lib.words.count_words`
counts them. Every token the generator writes is one word by that rule (no hyphen or dash
joins two words, and an apostrophe stays inside a word), so it can count as it writes instead
of counting afterwards; the benchmark corpus relies on that to write 33 million words quickly.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence

# The vocabulary. Nouns are things a scene can hold; verbs are in the past tense, as most
# fan fiction is told.
NOUNS = (
    "door",
    "window",
    "letter",
    "lantern",
    "garden",
    "kitchen",
    "staircase",
    "river",
    "bridge",
    "harbour",
    "station",
    "train",
    "carriage",
    "road",
    "forest",
    "orchard",
    "field",
    "hill",
    "tower",
    "library",
    "book",
    "map",
    "key",
    "ring",
    "coat",
    "scarf",
    "cup",
    "kettle",
    "table",
    "chair",
    "fire",
    "candle",
    "storm",
    "rain",
    "snow",
    "wind",
    "morning",
    "evening",
    "night",
    "silence",
    "voice",
    "laugh",
    "whisper",
    "promise",
    "secret",
    "question",
    "answer",
    "memory",
    "dream",
    "photograph",
    "mirror",
    "clock",
    "bell",
    "ship",
    "sail",
    "shore",
    "island",
    "cliff",
    "meadow",
    "village",
    "market",
    "street",
    "alley",
    "roof",
    "attic",
    "cellar",
    "corridor",
    "ballroom",
    "office",
    "desk",
    "file",
    "report",
    "phone",
    "message",
    "song",
    "piano",
    "violin",
    "painting",
    "sketch",
    "notebook",
    "pen",
    "envelope",
    "ticket",
    "suitcase",
    "umbrella",
    "hat",
    "glove",
    "boot",
    "sword",
    "shield",
    "banner",
    "crown",
    "horse",
    "dog",
    "cat",
    "raven",
    "fox",
    "owl",
    "moon",
    "star",
    "sky",
    "cloud",
    "shadow",
    "light",
    "flame",
    "ember",
    "stone",
    "wall",
    "gate",
    "fence",
    "path",
    "stairs",
    "bench",
    "fountain",
    "square",
    "church",
    "chapel",
    "inn",
    "tavern",
    "shop",
    "bakery",
    "bread",
    "apple",
    "tea",
    "coffee",
    "wine",
    "glass",
    "plate",
    "blanket",
    "pillow",
    "bed",
    "room",
    "hallway",
    "porch",
    "balcony",
    "lake",
    "pond",
    "well",
    "cottage",
    "castle",
    "manor",
    "farm",
    "barn",
    "ladder",
    "rope",
    "compass",
    "lamp",
    "radio",
)
# Who or what may begin a sentence: people and animals, so that things do not act.
BEINGS = (
    "stranger",
    "captain",
    "girl",
    "boy",
    "old man",
    "woman",
    "doctor",
    "soldier",
    "innkeeper",
    "dog",
    "cat",
    "raven",
    "fox",
    "horse",
    "child",
    "messenger",
    "priest",
    "teacher",
    "guard",
    "queen",
    "king",
    "sailor",
    "neighbour",
    "baker",
    "clerk",
    "driver",
    "widow",
    "twins",
    "singer",
)
ADJECTIVES = (
    "old",
    "quiet",
    "narrow",
    "bright",
    "dark",
    "cold",
    "warm",
    "small",
    "broken",
    "empty",
    "crowded",
    "distant",
    "familiar",
    "strange",
    "careful",
    "gentle",
    "heavy",
    "thin",
    "pale",
    "golden",
    "silver",
    "grey",
    "green",
    "blue",
    "crimson",
    "faded",
    "wet",
    "dry",
    "soft",
    "sharp",
    "tired",
    "restless",
    "patient",
    "hidden",
    "forgotten",
    "borrowed",
    "crooked",
    "polished",
    "dusty",
    "frozen",
    "sunlit",
    "shadowed",
    "little",
    "enormous",
    "ancient",
    "new",
    "last",
    "first",
    "only",
    "secret",
    "simple",
    "slow",
    "quick",
    "steady",
    "trembling",
    "silent",
    "loud",
    "bitter",
    "sweet",
    "honest",
    "clumsy",
    "elegant",
    "shabby",
    "lovely",
    "dreadful",
    "curious",
)
INTRANSITIVE = (
    "waited",
    "laughed",
    "sighed",
    "paused",
    "listened",
    "smiled",
    "frowned",
    "shivered",
    "hesitated",
    "nodded",
    "shrugged",
    "wandered",
    "lingered",
    "stumbled",
    "returned",
    "left",
    "arrived",
    "slept",
    "woke",
    "breathed",
    "trembled",
    "blushed",
    "swore",
    "whispered",
    "knelt",
    "stood",
    "sat",
    "turned",
    "looked away",
    "glanced back",
    "kept walking",
    "stopped",
    "listened hard",
    "went quiet",
    "leaned closer",
    "stepped back",
    "gave up",
    "tried again",
    "looked up",
)
TRANSITIVE = (
    "opened",
    "closed",
    "found",
    "lost",
    "carried",
    "held",
    "dropped",
    "touched",
    "studied",
    "watched",
    "followed",
    "remembered",
    "forgot",
    "noticed",
    "ignored",
    "folded",
    "mended",
    "broke",
    "lit",
    "wrote",
    "read",
    "hid",
    "kept",
    "offered",
    "borrowed",
    "returned",
    "cleaned",
    "painted",
    "counted",
    "traced",
    "tested",
    "weighed",
    "examined",
    "searched",
    "guarded",
    "packed",
    "unpacked",
    "pocketed",
    "straightened",
    "brushed",
)
# What one may do to a person.
TOWARD_PEOPLE = (
    "watched",
    "followed",
    "remembered",
    "ignored",
    "noticed",
    "found",
    "missed",
    "kissed",
    "called",
    "thanked",
    "warned",
    "teased",
    "trusted",
    "waited for",
    "looked at",
    "forgave",
)
ADVERBS = (
    "slowly",
    "quietly",
    "carefully",
    "again",
    "gently",
    "suddenly",
    "finally",
    "softly",
    "anyway",
    "instead",
    "together",
    "alone",
    "outside",
    "upstairs",
    "eventually",
    "briefly",
    "reluctantly",
    "happily",
    "nervously",
    "stubbornly",
    "at last",
    "after all",
    "for a while",
)
PREPOSITIONS = (
    "in",
    "on",
    "by",
    "near",
    "behind",
    "beside",
    "under",
    "over",
    "across",
    "through",
    "past",
    "toward",
    "against",
    "beyond",
    "around",
    "inside",
    "along",
    "below",
    "above",
    "into",
)
POSSESSIVES = ("her", "his", "their", "my", "your", "our", "the", "the", "the", "a")
PRONOUNS = ("She", "He", "They", "Nobody", "Everyone", "Someone")
SPEECH = ("said", "whispered", "admitted", "muttered", "replied", "called", "insisted", "said")
# Sentence starts that a clause joined after a comma writes in lower case; a name keeps its capital.
LOWER_AFTER_COMMA = frozenset({"The", *PRONOUNS})
INTERJECTIONS = ("Silence.", "Nothing.", "Later.", "Enough.", "Morning.", "Rain.", "Again.")
OPENERS = (
    "Afterwards",
    "Outside",
    "Later",
    "Meanwhile",
    "Still",
    "By then",
    "That night",
    "In the end",
    "For once",
    "Even so",
    "Somewhere below",
    "Before long",
)
# Dialogue: a speaker's line is built from these halves ("We should" + "find the key").
LINE_STARTS = (
    "We should",
    "You can't",
    "I won't",
    "Did you",
    "I never meant to",
    "Don't",
    "We could",
    "Will you",
    "I had to",
    "Let me",
    "You promised to",
    "Nobody will",
    "I want to",
    "Why did you",
)
LINE_ENDS_VERBS = (
    "find",
    "keep",
    "leave",
    "open",
    "forget",
    "follow",
    "trust",
    "read",
    "mend",
    "burn",
    "hide",
    "watch",
    "carry",
    "answer",
    "call",
    "wait for",
)
# Invented first names, for text that has no cast of its own.
NAMES = (
    "Mara",
    "Tobias",
    "Ilse",
    "Corin",
    "Nell",
    "Jasper",
    "Wren",
    "Odile",
    "Felix",
    "Rosalind",
    "Emeric",
    "Tamsin",
    "Anselm",
    "Bryony",
    "Caspian",
    "Delphine",
    "Ewan",
    "Fenella",
    "Gideon",
    "Hester",
    "Ivo",
    "Juniper",
    "Lorcan",
    "Maud",
    "Niall",
    "Oriel",
    "Perpetua",
    "Quill",
    "Rhosyn",
)
TITLE_NOUNS = (
    "Lantern",
    "Harbour",
    "Letters",
    "Winter",
    "Orchard",
    "Tide",
    "Crossing",
    "Ashes",
    "Embers",
    "Thread",
    "Compass",
    "Bells",
    "Lighthouse",
    "Ledger",
    "Weather",
    "Promise",
    "Road",
    "Garden",
    "Keys",
    "Stars",
    "Silence",
    "Hours",
    "Debts",
    "Roses",
    "Ravens",
    "Snowfall",
    "Echoes",
    "Maps",
)
TITLE_ADJECTIVES = (
    "Quiet",
    "Borrowed",
    "Last",
    "Hidden",
    "Crooked",
    "Silver",
    "Long",
    "Small",
    "Broken",
    "Second",
    "Patient",
    "Lost",
    "Burning",
    "Frozen",
    "Distant",
    "Golden",
    "Unwritten",
    "Late",
)


def _words_in(text: str) -> int:
    """Words in one of the vocabulary's entries ("looked away" is two)."""
    return text.count(" ") + 1


# The long tail. Real prose of millions of words uses tens of thousands of different words, most
# of them rarely, and a few hundred constantly (Zipf's law); the word lists above alone would give
# a few hundred words used constantly, every one of them in nearly every chapter, which no search
# index or reader ever meets. So some nouns are compounds of two ("lanternmoss"): about 22,000 of
# them, drawn with weights falling as 1/rank, in an order fixed for every run.
RARE_NOUNS = 0.3  # the share of nouns taken from the compounds


def _compounds() -> tuple[tuple[str, ...], list[float]]:
    compounds = [first + second for first in NOUNS for second in NOUNS if first != second]
    random.Random(1970).shuffle(compounds)
    cumulative, total = [], 0.0
    for rank in range(1, len(compounds) + 1):
        total += 1 / rank
        cumulative.append(total)
    return tuple(compounds), cumulative


COMPOUNDS, _COMPOUND_WEIGHTS = _compounds()


class Prose:
    """A seeded writer: `Prose(7).chapter_html(words=1200)` is the same text on every run.

    `names` gives the cast (a fandom's characters); without it, invented names are used.
    """

    def __init__(self, seed: int | str, names: Sequence[str] = ()) -> None:
        self.random = random.Random(seed)
        self.names = tuple(names) or NAMES
        self._pick = self._picker()

    def _picker(self):
        # `choice` in one attribute lookup: the corpus calls it tens of millions of times.
        draw = self.random.random

        def pick(options: Sequence[str]) -> str:
            return options[int(draw() * len(options))]

        return pick

    def _noun(self) -> str:
        draw = self.random.random
        if draw() >= RARE_NOUNS:
            return self._pick(NOUNS)
        index = bisect(_COMPOUND_WEIGHTS, draw() * _COMPOUND_WEIGHTS[-1])
        return COMPOUNDS[min(index, len(COMPOUNDS) - 1)]

    # Phrases: each returns (text, words in it).

    def _subject(self) -> tuple[str, int]:
        pick, roll = self._pick, self.random.random()
        if roll < 0.45:
            name = pick(self.names)
            return name, _words_in(name)
        if roll < 0.75:
            return pick(PRONOUNS), 1
        being = pick(BEINGS)
        if roll < 0.9:
            return f"The {being}", 1 + _words_in(being)
        return f"The {pick(ADJECTIVES)} {being}", 2 + _words_in(being)

    def _object(self) -> tuple[str, int]:
        pick = self._pick
        if self.random.random() < 0.6:
            words = [pick(POSSESSIVES), self._noun()]
        else:
            words = [pick(POSSESSIVES), pick(ADJECTIVES), self._noun()]
        if words[0] == "a" and words[1][0] in "aeiou":
            words[0] = "an"
        return " ".join(words), len(words)

    def _place(self) -> tuple[str, int]:
        pick = self._pick
        if self.random.random() < 0.6:
            return f"{pick(PREPOSITIONS)} the {self._noun()}", 3
        return f"{pick(PREPOSITIONS)} the {pick(ADJECTIVES)} {self._noun()}", 4

    def _predicate(self) -> tuple[str, int]:
        pick, roll = self._pick, self.random.random()
        if roll < 0.4:
            verb = pick(INTRANSITIVE)
            return verb, _words_in(verb)
        if roll < 0.85:
            obj, n = self._object()
            return f"{pick(TRANSITIVE)} {obj}", n + 1
        verb, name = pick(TOWARD_PEOPLE), pick(self.names)
        return f"{verb} {name}", _words_in(verb) + _words_in(name)

    def _clause(self) -> tuple[str, int]:
        subject, n = self._subject()
        predicate, m = self._predicate()
        text, count = f"{subject} {predicate}", n + m
        roll = self.random.random()
        if roll < 0.45:
            place, k = self._place()
            text, count = f"{text} {place}", count + k
        elif roll < 0.6:
            adverb = self._pick(ADVERBS)
            text, count = f"{text} {adverb}", count + _words_in(adverb)
        return text, count

    # Sentences: each returns (text, words in it).

    def sentence(self) -> tuple[str, int]:
        """One sentence of narration or dialogue, 1 to about 30 words."""
        roll = self.random.random()
        if roll < 0.18:
            return self._dialogue()
        if roll < 0.2:
            return self._pick(INTERJECTIONS), 1
        text, count = self._clause()
        if roll < 0.35:
            opener = self._pick(OPENERS)
            text, count = f"{opener}, {self._after_comma(text)}", count + _words_in(opener)
        elif roll < 0.6:
            other, n = self._clause()
            joiner = self._pick(("and", "but", "while", "because", "until", "so"))
            text, count = f"{text}, {joiner} {self._after_comma(other)}", count + n + 1
        return self._capital(text) + ".", count

    def _dialogue(self) -> tuple[str, int]:
        pick = self._pick
        start, verb = pick(LINE_STARTS), pick(LINE_ENDS_VERBS)
        obj, n = self._object()
        line = f"{start} {verb} {obj}"
        count = _words_in(start) + _words_in(verb) + n
        speaker = pick(self.names)
        asks = start.startswith(("Did", "Will", "Why"))
        mark, verb = ("?", "asked") if asks else (",", pick(SPEECH))
        return (
            f"“{line}{mark}” {speaker} {verb}.",
            count + _words_in(speaker) + 1,
        )

    @staticmethod
    def _capital(text: str) -> str:
        return text[0].upper() + text[1:]

    @staticmethod
    def _after_comma(clause: str) -> str:
        first = clause.split(" ", 1)[0]
        return clause[0].lower() + clause[1:] if first in LOWER_AFTER_COMMA else clause

    def exact_sentence(self, words: int) -> str:
        """A sentence of exactly `words` words (at least 1), to end a text on its length."""
        if words < 1:
            raise ValueError("A sentence has at least one word.")
        if words == 1:
            return self._pick(INTERJECTIONS)
        pick = self._pick
        parts = [pick(PRONOUNS), pick(("waited", "laughed", "sighed", "listened", "smiled"))]
        left = words - 2
        while left >= 3:
            if left >= 4 and (left == 4 or self.random.random() < 0.5) and left != 5:
                parts.append(f"{pick(PREPOSITIONS)} the {pick(ADJECTIVES)} {pick(NOUNS)}")
                left -= 4
            else:
                parts.append(f"{pick(PREPOSITIONS)} the {pick(NOUNS)}")
                left -= 3
        if left == 2:
            parts.append(f"and {pick(('waited', 'smiled', 'listened', 'stayed', 'rested'))}")
        elif left == 1:
            parts.append(pick(("again", "quietly", "slowly", "anyway", "alone")))
        return " ".join(parts) + "."

    # Texts.

    def paragraphs(self, words: int) -> list[str]:
        """Plain-text paragraphs holding exactly `words` words, 1 to about 9 sentences each."""
        if words < 1:
            return []
        result: list[str] = []
        current: list[str] = []
        left = words
        target = self._paragraph_length()
        while left > 0:
            text, count = self.sentence()
            if count > left:
                text, count = self.exact_sentence(left), left
            current.append(text)
            left -= count
            target -= 1
            if target <= 0 or (current[0].startswith("“") and self.random.random() < 0.6):
                result.append(" ".join(current))
                current, target = [], self._paragraph_length()
        if current:
            result.append(" ".join(current))
        return result

    def _paragraph_length(self) -> int:
        return 1 + int(self.random.random() ** 1.5 * 8)

    def chapter_html(self, words: int) -> str:
        """A chapter body of exactly `words` words; now and then a scene break (`<hr />`)."""
        paragraphs = self.paragraphs(words)
        html: list[str] = []
        for i, paragraph in enumerate(paragraphs):
            if i and i % 18 == 0 and self.random.random() < 0.5:
                html.append(
                    '<p align="center">* * *</p>' if self.random.random() < 0.5 else "<hr />"
                )
            html.append(f"<p>{paragraph}</p>")
        return "\n".join(html)

    def title(self) -> str:
        pick, roll = self._pick, self.random.random()
        first, second = self._two(TITLE_NOUNS)
        if roll < 0.3:
            return f"The {pick(TITLE_ADJECTIVES)} {first}"
        if roll < 0.5:
            return f"{first} and {second}"
        if roll < 0.65:
            return f"What the {first} Kept"
        if roll < 0.8:
            return f"{pick(TITLE_ADJECTIVES)} {first}"
        if roll < 0.9:
            return (
                f"A {pick(('Song', 'Letter', 'Lantern', 'Map', 'Winter', 'Promise'))} "
                f"for {pick(self.names)}"
            )
        return f"{first} of the {pick(TITLE_ADJECTIVES)} {second}"

    def _two(self, options: Sequence[str]) -> tuple[str, str]:
        """Two different entries (a title says "Maps and Maps" only by mistake)."""
        first = self._pick(options)
        second = self._pick(options)
        while second == first:
            second = self._pick(options)
        return first, second

    def chapter_title(self, position: int) -> str:
        if self.random.random() < 0.35:
            return f"Chapter {position}"
        pick = self._pick
        return self._capital(
            pick(
                (
                    f"the {pick(NOUNS)}",
                    f"{pick(ADJECTIVES)} {pick(NOUNS)}",
                    f"{pick(PREPOSITIONS)} the {pick(NOUNS)}",
                    "{} and {}".format(*self._two(NOUNS)),
                )
            )
        )

    def summary(self) -> str:
        """A story summary: one to three sentences, as HTML."""
        sentences = [self.sentence()[0] for _ in range(1 + int(self.random.random() * 3))]
        return f"<p>{' '.join(sentences)}</p>"

    def note(self) -> str:
        """An author's note: a sentence or two in the author's own voice, as HTML."""
        pick = self._pick
        openings = (
            "Thank you for reading.",
            "This one got away from me.",
            "Written for a friend.",
            "Many thanks to my beta reader.",
            "Comments are always welcome.",
            "Posted at last.",
            "The next part is already half written.",
            "Inspired by a walk in the rain.",
        )
        return f"<p>{pick(openings)} {self.sentence()[0]}</p>"
