import pytest

from core.text import ascii_slug, control_character, fold, normalise_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sa Đéc", "sa dec"),
        ("SA ĐÉC", "sa dec"),
        ("  sa   dec ", "sa dec"),
        ("Sơn La", "son la"),
        ("SƠN LA", "son la"),
        ("Cao Lãnh", "cao lanh"),
        ("Bouaké", "bouake"),
        ("Liège", "liege"),
        ("São Filipe", "sao filipe"),
        ("Sønderborg", "sonderborg"),
        ("Côte d’Ivoire", "cote d'ivoire"),
        ("Türkiye", "turkiye"),
    ],
)
def test_fold_ignores_case_accents_and_spacing(text, expected):
    assert fold(text) == expected


def test_fold_keeps_other_scripts():
    assert fold("الجبيل") == "الجبيل"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Sa Đéc", "sa-dec"), ("Jubail Industrial City", "jubail-industrial-city"), ("الجبيل", "")],
)
def test_ascii_slug_is_ascii_and_empty_without_latin_letters(text, expected):
    assert ascii_slug(text) == expected


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Vinh\u200b", "Vinh"),
        ("\ufeffSa Đéc", "Sa Đéc"),
        ("Sa\u00a0Đéc", "Sa Đéc"),
        ("  Sơn   La\t", "Sơn La"),
        ("Sa De\u0301c", "Sa Déc"),  # decomposed accent, composed (NFC)
        ("Yeonsu\u2011gu", "Yeonsu\u2011gu"),  # a non-breaking hyphen is a letter's neighbour, not a space
        ("Jubail\u2003Industrial\u202fCity", "Jubail Industrial City"),
        ("الجبيل\u200f", "الجبيل"),
    ],
)
def test_normalise_text_keeps_what_a_person_sees(raw, clean):
    assert normalise_text(raw) == clean


def test_normalise_text_keeps_line_breaks_only_when_asked():
    assert normalise_text(" a \r\n b\u200b\rc ", multiline=True) == "a\nb\nc"
    assert normalise_text("a\nb") == "a\nb"  # a break is a control character, reported rather than dropped


@pytest.mark.parametrize(
    ("text", "multiline", "found"),
    [
        ("Vinh", False, None),
        ("Vi\x00nh", False, "U+0000"),
        ("a\nb", False, "U+000A"),
        ("a\nb", True, None),
        ("a\tb", False, None),
        ("a\x85b", True, "U+0085"),
    ],
)
def test_control_character_names_the_first_one(text, multiline, found):
    assert control_character(text, multiline=multiline) == found
