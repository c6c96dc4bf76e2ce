"""Attachments: a size limit and a type read from the file's first bytes, not trusted from its name."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Signature (first bytes) -> the extensions a file with it may carry.
SIGNATURES = {
    b"%PDF-": ("pdf",),
    b"\x89PNG\r\n\x1a\n": ("png",),
    b"\xff\xd8\xff": ("jpg", "jpeg"),
    b"PK\x03\x04": ("docx", "xlsx", "odt"),
}
ZIP_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "odt": "content.xml"}


def max_attachment_bytes() -> int:
    """The largest attachment accepted, in bytes (setting APPLICATIONS_MAX_ATTACHMENT_BYTES, default 10 MB)."""
    return getattr(settings, "APPLICATIONS_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)


def sniff(head: bytes) -> tuple[str, ...]:
    """The extensions the first bytes of a file allow; () for a type the call does not accept."""
    for signature, extensions in SIGNATURES.items():
        if head.startswith(signature):
            return extensions
    return ()


def validate_attachment(file) -> None:
    """Refuse a file over the size limit, or whose content is not a PDF, PNG, JPEG, DOCX, XLSX or ODT matching its
    extension. Raises ValidationError with a message an applicant understands."""
    limit = max_attachment_bytes()
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    file.seek(0)
    allowed = sniff(file.read(16))
    file.seek(0)
    if extension not in allowed:
        raise ValidationError(
            _("Send a PDF, PNG, JPEG, DOCX, XLSX or ODT file whose content matches its name (.%(ext)s).")
            % {"ext": extension},
            code="bad_type",
        )
    if extension in ZIP_MARKERS:
        try:
            with zipfile.ZipFile(file) as archive:
                ok = ZIP_MARKERS[extension] in archive.namelist()
        except zipfile.BadZipFile:
            ok = False
        file.seek(0)
        if not ok:
            raise ValidationError(
                _("The file is not a readable .%(ext)s document.") % {"ext": extension}, code="bad_type"
            )
