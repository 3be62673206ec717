"""Invented names for the real-shaped corpus: people, organisations, provinces; each used once.

Names are made of syllables, so they are plainly invented; a given number of them carry
non-ASCII letters, as transliterated place names and some people's names do.
"""

from __future__ import annotations

import random
import re
import unicodedata

PLAIN = (["B", "D", "F", "G", "K", "L", "M", "N", "P", "R", "S", "T", "V", "Z", "Br", "Dr", "Kr",
          "Tr", "St", "Th"],
         ["a", "e", "i", "o", "u", "ae", "ou", "ia"],
         ["", "", "n", "r", "l", "s", "k", "th", "m", "v"])
TRANSLITERATED = (["Ḩ", "Ṣ", "Ḑ", "Ṭ", "Ẓ", "Q", "Kh", "Sh", "M", "N", "R", "B", "Z", "J", "D", "F"],
                  ["a", "ā", "i", "ī", "u", "ū"],
                  ["", "", "n", "r", "m", "ḑ", "ṣ", "l", "z"])
ACCENTED = (PLAIN[0], ["a", "e", "o", "á", "é", "ő", "ü", "ø", "å"], PLAIN[2])
PLACE_PREFIXES = ["Wādī", "Jabal", "Qaryat", "Ḩiṣn", "Sahl", "Bilād", "Raʾs"]
PLACE_SUFFIXES = ["Province", "Region", "District", "Governorate", "Oblast", "State", ""]
GROUPS = ["Brigades", "Front", "Battalions", "Movement", "Resistance", "Guard", "Legion"]
ORGANISATIONS = ["Relief Agency", "Monitoring Council", "Interior Ministry", "Human Rights Centre",
                 "Press Office", "Workers' Union", "Party", "Institute", "Foundation", "Coalition"]
OTHERS = ["Tribe", "Clan", "Council of Elders"]


def ascii_slug(text: str) -> str:
    """Lowercase ASCII letters, digits and hyphens: 'Wādī Ṣāliḥ' -> 'wadi-salih'."""
    text = re.sub(r"['’ʾ.]", "", text)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


class Names:
    """Make names no other entry has; up to `non_ascii` of them with non-ASCII letters."""

    def __init__(self, rng: random.Random, non_ascii: int) -> None:
        self.rng = rng
        self.non_ascii = non_ascii
        self.used: set[str] = set()

    def place(self, accented: bool) -> str:
        if accented and self.non_ascii > 0:
            return self._unique(lambda: f"{self.rng.choice(PLACE_PREFIXES)} {self._word(TRANSLITERATED, 2)}")
        return self._unique(lambda: f"{self._word(PLAIN, 3)} {self.rng.choice(PLACE_SUFFIXES)}".strip())

    def area(self) -> str:
        return self._unique(lambda: f"{self._word(PLAIN, 2)} Basin")

    def person(self) -> str:
        syllables = ACCENTED if self.non_ascii > 0 and self.rng.random() < 0.06 else PLAIN
        return self._unique(lambda: f"{self._word(syllables, 2)} {self._word(syllables, 3)}")

    def organisation(self, kind: str) -> str:
        endings = GROUPS if kind == "armed-group" else ORGANISATIONS if kind == "organization" else OTHERS
        return self._unique(lambda: f"{self._word(PLAIN, 3)} {self.rng.choice(endings)}")

    def acronym(self, name: str) -> str:
        letters = "".join(word[0] for word in name.split() if word[0].isalpha()).upper()
        return self._unique(lambda: letters + str(self.rng.randint(1, 99)), count=False)

    def _word(self, syllables: tuple[list[str], list[str], list[str]], most: int) -> str:
        onsets, vowels, codas = syllables
        parts = [self.rng.choice(onsets).lower() + self.rng.choice(vowels) + self.rng.choice(codas)
                 for _ in range(self.rng.randint(2, most))]
        return "".join(parts).capitalize()

    def _unique(self, make: object, count: bool = True) -> str:
        while True:
            name: str = make()  # type: ignore[operator]
            if name.casefold() not in self.used:
                self.used.add(name.casefold())
                if count and not name.isascii():
                    self.non_ascii -= 1
                return name
