import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safeguarding.validators import DOCX_CONTENT_TYPE, MAX_ATTACHMENT_BYTES, validate_attachment


def _docx(member: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("a.pdf", b"%PDF-1.7", "application/pdf"),
        ("a.PNG", b"\x89PNG\r\n\x1a\n....", "image/png"),
        ("a.jpg", b"\xff\xd8\xff\xe0....", "image/jpeg"),
        ("a.jpeg", b"\xff\xd8\xff\xe0....", "image/jpeg"),
        ("a.docx", _docx(), DOCX_CONTENT_TYPE),
    ],
)
def test_allowed_types_are_accepted(name, content, content_type):
    assert validate_attachment(SimpleUploadedFile(name, content, content_type=content_type)) == content_type


@pytest.mark.parametrize(
    ("name", "content", "content_type", "code"),
    [
        ("a.exe", b"MZ", "application/octet-stream", "extension"),
        ("a.pdf", b"%PDF-1.7", "text/html", "content_type"),
        ("a.pdf", b"<html>", "application/pdf", "contents"),
        ("a.png", b"%PDF-1.7", "image/png", "contents"),
        ("a.docx", _docx("other.xml"), DOCX_CONTENT_TYPE, "contents"),
        ("a.docx", b"PK\x03\x04 not a zip", DOCX_CONTENT_TYPE, "contents"),
        ("a.pdf", b"", "application/pdf", "empty"),
    ],
)
def test_mismatched_or_unknown_files_are_refused(name, content, content_type, code):
    with pytest.raises(ValidationError) as error:
        validate_attachment(SimpleUploadedFile(name, content, content_type=content_type))
    assert error.value.code == code


def test_exactly_five_megabytes_is_accepted():
    content = b"%PDF-" + b"0" * (MAX_ATTACHMENT_BYTES - 5)
    assert validate_attachment(SimpleUploadedFile("a.pdf", content, content_type="application/pdf"))


def test_one_byte_over_five_megabytes_is_refused():
    content = b"%PDF-" + b"0" * (MAX_ATTACHMENT_BYTES - 4)
    with pytest.raises(ValidationError) as error:
        validate_attachment(SimpleUploadedFile("a.pdf", content, content_type="application/pdf"))
    assert error.value.code == "too_large"
