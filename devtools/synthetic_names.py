"""Made-up but plausible names (cities, provinces, people, names in local scripts) from a seeded generator."""

import random

from core.text import fold

_ONSETS = ["b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "ch", "sh", "th", "br", "kr", "tr", ""]
_VOWELS = ["a", "e", "i", "o", "u", "a", "e", "o", "ai", "ao", "ia", "ou"]
_CODAS = ["", "", "", "", "n", "r", "l", "m", "s", "ng"]
_CITY_SUFFIXES = [" City", "-gu", "ville", "burg", "abad", "pur", " Town", " Bay", "polis", "stad"]
_CITY_PREFIXES = ["San ", "Port ", "New ", "Nova ", "Al ", "Ban ", "Saint-"]
_PROVINCE_SUFFIXES = [" Province", " Region", " State", " County", ""]
_ACCENTS = {
    "a": "áàãâă",
    "e": "éèêë",
    "i": "íî",
    "o": "óôõøơ",
    "u": "úüư",
    "c": "ç",
    "n": "ñ",
    "s": "ș",
    "d": "đ",
}


def _table(latin: str, other: str, **digraphs: str) -> dict:
    return {**digraphs, **dict(zip(latin, other, strict=True))}


# Letter-by-letter transliterations: crude, but they give names in other scripts to search and display.
_CYRILLIC = _table("abvgdezijklmnoprstufhcy", "абвгдезийклмнопрстуфхцы", ch="ч", sh="ш", th="т")
_GREEK = _table("abvgdeziklmnoprstuhc", "αββγδεζικλμνοπρστυχκ", ch="χ", sh="σ", th="θ")
_ARABIC = _table("abtjhdrzsfqklmnwuoiyegvpc", "ابتجحدرزسفقكلمنووويييغفبك", ch="تش", sh="ش", th="ث", kh="خ")
_KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
_HAN = "山川江河湖海州城京南北东西安平阳新华宁德昌兴"
_SCRIPTS_BY_REGION = {
    "arab-states": ["arabic"],
    "africa": ["arabic"],
    "asia-pacific": ["hangul", "katakana", "han"],
    "europe-north-america": ["cyrillic", "greek"],
}


def _transliterate(text: str, table: dict) -> str:
    text, out, i = fold(text), [], 0
    while i < len(text):
        if text[i : i + 2] in table:
            out.append(table[text[i : i + 2]])
            i += 2
            continue
        if text[i] in table or text[i] in " -":
            out.append(table.get(text[i], text[i]))
        i += 1
    return "".join(out).strip()


class NameMaker:
    """All randomness comes from the `random.Random` it is given, so a seed fixes every name."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def word(self, syllables: int) -> str:
        rng = self.rng
        parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)]
        return "".join(parts).capitalize()

    def accented(self, word: str) -> str:
        """The word with one letter given a diacritic, as in Sa Đéc or Sønderborg."""
        positions = [i for i, ch in enumerate(word) if ch.lower() in _ACCENTS]
        if not positions:
            return word
        i = self.rng.choice(positions)
        accent = self.rng.choice(_ACCENTS[word[i].lower()])
        return word[:i] + (accent.upper() if word[i].isupper() else accent) + word[i + 1 :]

    def city(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.1:
            name = f"{self.word(1)} {self.word(rng.randint(1, 2))}"
        elif roll < 0.15:
            name = rng.choice(_CITY_PREFIXES) + self.word(rng.randint(2, 3))
        else:
            name = self.word(rng.randint(2, 3))
        if rng.random() < 0.2:
            name += rng.choice(_CITY_SUFFIXES)
        return self.accented(name) if rng.random() < 0.08 else name

    def province(self) -> str:
        return self.word(self.rng.randint(2, 3)) + self.rng.choice(_PROVINCE_SUFFIXES)

    def person(self) -> str:
        given, family = self.word(self.rng.randint(1, 2)), self.word(self.rng.randint(2, 3))
        return self.accented(f"{given} {family}") if self.rng.random() < 0.1 else f"{given} {family}"

    def local_name(self, name: str, region_slug: str) -> str:
        """The name in a script used in the region, or "" where the region has none."""
        scripts = _SCRIPTS_BY_REGION.get(region_slug)
        if not scripts:
            return ""
        rng, script = self.rng, self.rng.choice(scripts)
        if script == "hangul":
            return "".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(rng.randint(2, 3)))
        if script == "katakana":
            return "".join(rng.choice(_KATAKANA) for _ in range(rng.randint(3, 4))) + "市"
        if script == "han":
            return "".join(rng.choice(_HAN) for _ in range(2)) + "市"
        table = {"arabic": _ARABIC, "cyrillic": _CYRILLIC, "greek": _GREEK}[script]
        return _transliterate(name, table)
