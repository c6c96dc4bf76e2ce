import pytest

from core.text import ascii_slug, fold


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
