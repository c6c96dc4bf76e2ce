from pathlib import Path

import pytest

from imports.encodings import EncodingError, decode

CASES = Path(__file__).parent.parent / "data" / "import"
NAMES = "city,country\r\n{}\r\n"


@pytest.mark.parametrize(
    ("codec", "label"),
    [
        ("utf-8-sig", "UTF-8 with BOM"),
        ("utf-16", "UTF-16 with BOM"),
        ("utf-16-be", None),
        ("utf-32", "UTF-32 with BOM"),
    ],
)
def test_a_byte_order_mark_is_proof(codec, label):
    text = NAMES.format("Sa Đéc,Viet Nam")
    data = text.encode(codec) if label else b"\xfe\xff" + text.encode(codec)
    decoded = decode(data)
    assert (decoded.text, decoded.weak) == (text, False)
    assert decoded.encoding == (label or "UTF-16 with BOM")


def test_valid_utf8_is_read_as_utf8():
    assert decode("São,Казань".encode()).encoding == "UTF-8"


def test_a_broken_byte_order_mark_is_refused_with_the_way_out():
    with pytest.raises(EncodingError, match="CSV UTF-8"):
        decode(b"\xff\xfe\x00\xd8")  # a lone surrogate in UTF-16


@pytest.mark.parametrize(
    ("name", "text", "encoding"),
    [
        ("cohort-mac-roman.csv", "São Bento do Sul", "Mac Roman (Excel for Mac)"),
        ("cohort-windows-1251.csv", "Казань", "Windows-1251 (Cyrillic)"),
    ],
)
def test_the_field_files_are_read_in_their_code_page(name, text, encoding):
    decoded = decode((CASES / name).read_bytes())
    assert text in decoded.text
    assert decoded.encoding == encoding


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Łódź,Poland\r\nGdańsk,Polska", "cp1250"),
        ("Казань,Россия\r\nСанкт-Петербург,Россия", "cp1251"),
        ("Λάρισα,Greece\r\nΘεσσαλονίκη,Ελλάδα", "cp1253"),
        ("الجبيل,Saudi Arabia\r\nينبع,السعودية", "cp1256"),
        ("São Bento do Sul,Brazil\r\nBelém,Brazil", "mac_roman"),
    ],
)
def test_names_in_a_code_page_are_read_right_without_a_doubt(text, codec):
    text = NAMES.format(text)
    if codec == "mac_roman":
        text = text.replace("\r\n", "\r")  # Excel for Mac ends lines with a bare carriage return
    decoded = decode(text.encode(codec))
    assert (decoded.text, decoded.weak) == (text, False)


@pytest.mark.parametrize(
    ("text", "codec"),
    [("İzmir,Türkiye\r\nŞanlıurfa,Türkiye", "cp1254"), ("Liège,Belgique", "cp1252")],
)
def test_a_reading_that_does_not_clearly_win_is_a_guess(text, codec):
    # Turkish and Western European letters fit each other's code pages; the preview then warns.
    decoded = decode(NAMES.format(text).encode(codec))
    assert decoded.weak or decoded.text == NAMES.format(text)
