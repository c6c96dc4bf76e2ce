"""Decoding an uploaded CSV by evidence: byte-order marks, strict UTF-8, then the legacy code pages Excel writes.

A byte-order mark or valid UTF-8 with non-ASCII text is proof. Without them the bytes fit every 8-bit code page,
so each candidate is decoded and scored: charset-normalizer's measure of chaos, plus checks it cannot make on
a few short names (symbols inside a word, a word mixing scripts, a Latin word made of accented letters only, the
bare carriage returns of Excel for Mac). When the best reading does not clearly win, the result says the evidence
is weak, so the preview can show the names as read and ask for a "CSV UTF-8" file instead of storing mojibake.
"""

import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes
from django.utils.translation import gettext, gettext_lazy

# The code pages Excel writes a "CSV" in, by how often they are met: the order breaks ties.
CANDIDATES = {
    "cp1252": "Windows-1252 (Western European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1250": "Windows-1250 (Central European)",
    "mac_roman": "Mac Roman (Excel for Mac)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1253": "Windows-1253 (Greek)",
    "cp1256": "Windows-1256 (Arabic)",
}
SAVE_AS_UTF8 = gettext_lazy(
    "If any name looks wrong, save the file in your spreadsheet program as 'CSV UTF-8 (Comma delimited)' "
    "(Excel: File > Save As; LibreOffice: Text CSV with character set Unicode (UTF-8)) and upload it again."
)
# A reading must beat the next different one by this much to count as strong evidence.
_MARGIN = 2.0
_SAMPLE = 200_000  # bytes given to charset-normalizer; the scoring below reads the whole file's words
_BOMS = [
    (b"\xef\xbb\xbf", "utf-8", "UTF-8 with BOM"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32 with BOM"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32 with BOM"),
    (b"\xff\xfe", "utf-16-le", "UTF-16 with BOM"),
    (b"\xfe\xff", "utf-16-be", "UTF-16 with BOM"),
]
_WORD = re.compile(r"[^\s,;\t\"'()/.:0-9-]*[^\x00-\x7f][^\s,;\t\"'()/.:0-9-]*")
# Punctuation the code pages hold that a real name or note may carry.
_NEUTRAL = set("‘’‚“”„–—…«»€°№·")
# Icelandic letters: in other names they are Turkish letters (İ Ş ı ğ) read as Windows-1252.
_RARE = set("ÝýÞþÐð")


class EncodingError(Exception):
    """The bytes are no text in any encoding tried; the message is meant for the person who uploaded them."""


@dataclass(frozen=True)
class Decoded:
    """The text of a file, the name of the encoding it was read in, and whether that is a guess."""

    text: str
    encoding: str
    weak: bool = False


def decode(data: bytes) -> Decoded:
    """Decode `data` by its byte-order mark, as UTF-8 when it is valid UTF-8, else by the best-scoring code page.

    Raises EncodingError when a file starting with a byte-order mark does not decode in it.
    """
    for mark, codec, label in _BOMS:
        if data.startswith(mark):
            try:
                return Decoded(data[len(mark) :].decode(codec), label)
            except UnicodeDecodeError:
                raise EncodingError(
                    gettext("The file starts with the mark of %(mark)s but is not valid %(encoding)s. %(advice)s")
                    % {"mark": label, "encoding": label.split()[0], "advice": SAVE_AS_UTF8}
                ) from None
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    return _best_code_page(data)


def _best_code_page(data: bytes) -> Decoded:
    texts = {}
    for codec in CANDIDATES:
        try:
            texts[codec] = data.decode(codec)
        except UnicodeDecodeError:
            continue
    chaos = {match.encoding: match.chaos for match in from_bytes(data[:_SAMPLE], cp_isolation=list(texts))}
    line_bonus = _line_ending_bonus(data)
    scores = {
        codec: _implausibility(text) + 10 * chaos.get(codec, 1.0) + line_bonus.get(codec, 0.0)
        for codec, text in texts.items()
    }
    order = list(CANDIDATES)
    ranked = sorted(scores, key=lambda codec: (scores[codec], order.index(codec)))
    best = ranked[0]
    rivals = [scores[codec] for codec in ranked[1:] if texts[codec] != texts[best]]
    weak = bool(rivals) and rivals[0] - scores[best] < _MARGIN
    # Mac Roman decodes any byte: without the bare carriage returns of Excel for Mac it is a reading by elimination.
    weak = weak or (best == "mac_roman" and line_bonus.get("mac_roman", 0.0) >= 0)
    return Decoded(texts[best], CANDIDATES[best], weak)


def _line_ending_bonus(data: bytes) -> dict[str, float]:
    """Excel for Mac ends "CSV (Macintosh)" lines with a bare carriage return; Windows programs with CR LF."""
    if b"\r" in data and b"\n" not in data:
        return {"mac_roman": -3.0}
    if b"\n" in data:
        return {"mac_roman": 1.0}
    return {}


def _implausibility(text: str) -> float:
    """How unlike names and notes the non-ASCII words of `text` are: 0 for text people write."""
    score = 0.0
    for word in _WORD.findall(text):
        score += _word_implausibility(word)
    return score


def _word_implausibility(word: str) -> float:
    score, scripts, accented, letters, previous_lower = 0.0, set(), 0, 0, False
    for char in word:
        category = unicodedata.category(char)
        if not category.startswith("L"):
            score += 0 if char in _NEUTRAL or char.isascii() else 3
            previous_lower = False
            continue
        letters += 1
        scripts.add(_script(char))
        accented += not char.isascii()
        score += 1.5 if char in _RARE else 0
        if category == "Lu" and previous_lower:
            score += 1  # "T¸rkiye" or "ЛЬсйуб": a capital inside a lower-case word
        previous_lower = category == "Ll"
    if len(scripts) > 1:
        score += 3
    if scripts == {"Latin"} and accented >= 3 and accented * 2 > letters:
        score += 2  # "Êàçàíü": Latin words are mostly plain letters; Cyrillic read as Western gives only accents
    return score


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    for script in ("LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW"):
        if name.startswith(script):
            return script.title()
    return "Other"
