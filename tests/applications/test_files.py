import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.files import validate_attachment


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("letter.pdf", b"%PDF-1.7\n"),
        ("logo.PNG", b"\x89PNG\r\n\x1a\n...."),
        ("photo.jpg", b"\xff\xd8\xff\xe0"),
        ("plan.docx", _docx()),
    ],
)
def test_files_whose_content_matches_their_name_pass(name, data):
    validate_attachment(SimpleUploadedFile(name, data))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("letter.pdf", b"MZ\x90\x00 an executable"),
        ("letter.exe", b"%PDF-1.7\n"),
        ("page.pdf", b"<html><script>"),
        ("letter", b"%PDF-1.7"),
        ("plan.docx", b"PK\x03\x04 not really a zip"),
        ("plan.docx", b"%PDF-1.7\n"),
    ],
)
def test_files_whose_content_does_not_match_are_refused(name, data):
    with pytest.raises(ValidationError):
        validate_attachment(SimpleUploadedFile(name, data))


def test_a_file_over_the_limit_is_refused_with_both_sizes(settings):
    settings.APPLICATIONS_MAX_ATTACHMENT_BYTES = 10
    with pytest.raises(ValidationError, match="limit is 10"):
        validate_attachment(SimpleUploadedFile("letter.pdf", b"%PDF-1.7 and more bytes"))
