"""The normalising form fields every admin form and inline uses, and the folded admin search."""

import pytest
from django import forms

from core.admin.text_input import NormalisedCharField, NormalisedTextField, normalised_form_class
from network.models import City


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Vinh\u200b", "Vinh"),  # zero-width space (Cf)
        ("Sa\u00a0Đéc", "Sa Đéc"),  # no-break space
        ("  Sơn   La ", "Sơn La"),
        ("So\u0302n La", "Sôn La"),  # decomposed: stored composed (NFC)
        ("\ufeffCork", "Cork"),  # byte order mark
    ],
)
def test_char_field_stores_the_normalised_text(typed, stored):
    assert NormalisedCharField().clean(typed) == stored


def test_char_field_refuses_a_control_character_naming_it():
    with pytest.raises(forms.ValidationError, match="U\\+0007"):
        NormalisedCharField().clean("Vinh\x07")


def test_char_field_refuses_a_line_break_in_one_line_text():
    with pytest.raises(forms.ValidationError, match="U\\+000A"):
        NormalisedCharField().clean("Vinh\nCity")


def test_text_field_keeps_line_breaks_and_cleans_each_line():
    assert NormalisedTextField().clean("First\u00a0 line \r\nSecond\u200b line") == "First line\nSecond line"


def test_empty_input_stays_empty():
    assert NormalisedCharField(required=False).clean("\u200b ") == ""


@pytest.mark.parametrize(
    ("field", "expected"),
    [("name", NormalisedCharField), ("description", NormalisedTextField), ("slug", None), ("website", None)],
)
def test_plain_text_columns_get_the_normalising_fields_and_the_others_keep_theirs(field, expected):
    assert normalised_form_class(City._meta.get_field(field)) is expected
