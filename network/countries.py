"""Reading a country the way people and sources write it: codes, names in any language, inverted and old forms.

Sources: the countries table and its aliases (staff keep them in the admin); CLDR through Babel for the ISO 3166
alpha-3 and numeric codes (CLDR's territory aliases) and the territory names in every language CLDR has;
and, below, the World Bank and UN short forms and the historic names sources still use.
"""

import difflib
import functools
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext

from core.text import fold

# Names that stand for two countries: always a problem naming both, never a guess, whatever else matches.
AMBIGUOUS = {"Congo": ("CD", "CG"), "Korea": ("KR", "KP")}
# Forms the World Bank, the UN and older sources write that neither CLDR nor "Name, Qualifier" inversion reach.
OTHER_NAMES = {
    "D.R. Congo": "CD",
    "DR Congo": "CD",
    "DRC": "CD",
    "Congo (DRC)": "CD",
    "Congo, DR": "CD",
    "Zaire": "CD",
    "Congo (Republic)": "CG",
    "Swaziland": "SZ",
    "Macedonia": "MK",
    "FYR Macedonia": "MK",
    "Macedonia, FYR": "MK",
    "FYROM": "MK",
    "Turkey": "TR",
    "Turkiye": "TR",
    "Ivory Coast": "CI",
    "Cape Verde": "CV",
    "Burma": "MM",
    "East Timor": "TL",
    "Czech Republic": "CZ",
    "Kyrgyz Republic": "KG",
    "Slovak Republic": "SK",
    "Lao PDR": "LA",
    "Venezuela, RB": "VE",
    "Hong Kong SAR, China": "HK",
    "Macao SAR, China": "MO",
    "Micronesia, Fed. Sts.": "FM",
    "West Bank and Gaza": "PS",
    "Holland": "NL",
    "Vatican": "VA",
}
_ABBREVIATIONS = {"rep": "republic", "dem": "democratic", "st": "saint", "sts": "states", "fed": "federated"}
_STOP_WORDS = {"the", "of", "and"}
_PUNCTUATION = re.compile(r"[.,;:()\[\]/&\-–—_\"]")
_INVERTED = re.compile(r"^(?P<name>[^,()]+?)\s*(?:,\s*(?P<after>[^,()]+)|\((?P<inside>[^()]+)\))$")
_CODE = re.compile(r"^(?:[A-Za-z]{2,3}|\d{1,3})$")


def country_key(text: str) -> str:
    """The form names are compared in: folded, without punctuation, "the" or "of", abbreviations spelled out
    ("Korea, Dem. People's Rep." and "Democratic People's Republic of Korea" share the words, not the order)."""
    words = _PUNCTUATION.sub(" ", fold(text).replace("'", "")).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words if word not in _STOP_WORDS)


@functools.cache
def cldr_names() -> dict[str, frozenset[str]]:
    """country_key(name) -> alpha-2 codes, for every territory name in every language CLDR has (Babel).

    Built once per process (about 1.5 s: 330 languages, 34,000 names). A name CLDR gives two territories in
    different languages ("Kongo") keeps both codes, and is then ambiguous.
    """
    from babel import Locale, localedata

    found: dict[str, set[str]] = {}
    for identifier in localedata.locale_identifiers():
        if "_" in identifier:
            continue  # regional variants repeat their language's names
        try:
            territories = Locale.parse(identifier).territories
        except (ValueError, LookupError):
            continue
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha():
                found.setdefault(country_key(name), set()).add(code)
    return {key: frozenset(codes) for key, codes in found.items() if key}


def cldr_country_names(code: str, languages=None) -> dict[str, str]:
    """The country of ISO alpha-2 `code` named by CLDR in each of `languages` (default: the site's languages but
    English): {"name_fr": "Allemagne", ...}, keyed by the model's per-language fields; a language CLDR has no name
    for is left out. English is not here: it is UNESCO's own name ("Viet Nam", "Türkiye"), which staff write."""
    from babel import Locale
    from django.conf import settings

    if languages is None:
        languages = [lang for lang, _ in settings.LANGUAGES if lang != "en"]
    names = {f"name_{lang}": Locale.parse(lang).territories.get(code.upper()) for lang in languages}
    return {field: name for field, name in names.items() if name}


@functools.cache
def iso_codes() -> dict[str, str]:
    """ISO 3166 alpha-3 ("AUS") and numeric ("036") codes -> alpha-2 ("AU"), from CLDR's territory aliases."""
    from babel.core import get_global

    return {
        code: targets[0]
        for code, targets in get_global("territory_aliases").items()
        if len(targets) == 1 and ((len(code) == 3 and code.isalpha()) or code.isdigit())
    }


@dataclass
class Resolution:
    """What a text names: one country, several (an ambiguous name), or none."""

    text: str
    country: object | None = None
    candidates: list = field(default_factory=list)


class CountryResolver:
    """Turns the many ways sources write a country into a Country: ISO alpha-2, alpha-3 and numeric codes; the
    table's names and staff aliases (which win over everything but AMBIGUOUS); OTHER_NAMES; names in every
    language CLDR knows; "Name, Qualifier" and "Name (Qualifier)" forms read in both orders.

    Built once per import, form or command from a single query: the table is small, the CLDR data cached.
    """

    def __init__(self, countries):
        self._by_code = {}
        self._own: dict[str, object] = {}
        for country in countries:
            self._by_code[country.code] = country
            names = [alias.name for alias in country.aliases.all()]
            names += [country.code, country.name, country.formal_name]
            for name in names:
                if name:
                    self._own.setdefault(country_key(name), country)
        self._other = {country_key(name): code for name, code in OTHER_NAMES.items()}
        self._ambiguous = {country_key(name): codes for name, codes in AMBIGUOUS.items()}

    def lookup(self, text: str) -> Resolution:
        """The Resolution of `text`; never a guess: an unknown short code resolves to nothing."""
        text = (text or "").strip()
        found = self._codes(text)
        if found is None:
            found = self._names(country_key(text))
        if found is None and (inverted := _inverted(text)):
            found = self._names(country_key(inverted))
        countries = [self._by_code[code] for code in found or () if code in self._by_code]
        if len(countries) == 1:
            return Resolution(text, countries[0])
        return Resolution(text, None, sorted(countries, key=lambda country: country.name))

    def resolve(self, text: str):
        """The one Country `text` names, or None (unknown or ambiguous)."""
        return self.lookup(text).country

    def _codes(self, text: str) -> tuple[str, ...] | None:
        if not _CODE.match(text):
            return None
        code = text.upper().zfill(3) if text.isdigit() else text.upper()
        if code in self._by_code:
            return (code,)
        if code in iso_codes():
            return (iso_codes()[code],)
        return None

    def _names(self, key: str) -> tuple[str, ...] | None:
        if key in self._ambiguous:
            return self._ambiguous[key]
        if key in self._own:
            return (self._own[key].code,)
        if key in self._other:
            return (self._other[key],)
        if key in cldr_names():
            return tuple(cldr_names()[key])
        return None

    def suggest(self, text: str) -> str | None:
        """The closest known name, for "did you mean ...?" messages; never for a code (a guess there misleads)."""
        text = (text or "").strip()
        if _CODE.match(text) or len(text) <= 3:
            return None
        match = difflib.get_close_matches(country_key(text), self._own, n=1, cutoff=0.75)
        return self._own[match[0]].name if match else None

    def problem(self, text: str) -> str:
        """Why `text` names no one country, for a person: ambiguous (naming the candidates), or unknown."""
        resolution = self.lookup(text)
        if resolution.candidates:
            names = gettext(" or ").join(f"{country.name} ({country.code})" for country in resolution.candidates)
            message = gettext("'%(text)s' could be %(names)s; write the full name or the ISO code")
            return message % {"text": text, "names": names}
        if _CODE.match(text.strip()):
            message = gettext(
                "unknown country code '%(text)s': use an ISO 3166 code (VN, VNM or 704) or the country's name"
            )
            return message % {"text": text}
        if suggestion := self.suggest(text):
            return gettext("unknown country '%(text)s': did you mean %(suggestion)s?") % {
                "text": text,
                "suggestion": suggestion,
            }
        message = gettext(
            "unknown country '%(text)s': use its ISO code or its name (see the Countries list in the admin)"
        )
        return message % {"text": text}


def _inverted(text: str) -> str:
    """ "Congo, Dem. Rep." -> "Dem. Rep. Congo"; "Iran (Islamic Republic of)" -> "Islamic Republic of Iran"."""
    match = _INVERTED.match(text)
    if not match:
        return ""
    return f"{match['after'] or match['inside']} {match['name']}"
