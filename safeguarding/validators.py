"""Attachment checks: extension, declared content type and the file's own first bytes must agree."""

from __future__ import annotations

import os
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# extension -> (accepted declared content types, magic bytes the file must start with)
ALLOWED_ATTACHMENTS: dict[str, tuple[frozenset[str], bytes]] = {
    ".pdf": (frozenset({"application/pdf"}), b"%PDF-"),
    ".png": (frozenset({"image/png"}), b"\x89PNG\r\n\x1a\n"),
    ".jpg": (frozenset({"image/jpeg"}), b"\xff\xd8\xff"),
    ".jpeg": (frozenset({"image/jpeg"}), b"\xff\xd8\xff"),
    ".docx": (frozenset({DOCX_CONTENT_TYPE}), b"PK\x03\x04"),
}
ALLOWED_DESCRIPTION = "PDF, PNG, JPEG or Word (.docx)"


def validate_attachment(upload: UploadedFile) -> str:
    """Check an uploaded attachment and return its normalised content type; raise ValidationError if unfit."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError("The file must be smaller than 5 MB.", code="too_large")
    if upload.size == 0:
        raise ValidationError("The selected file is empty.", code="empty")
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in ALLOWED_ATTACHMENTS:
        raise ValidationError(f"The file must be a {ALLOWED_DESCRIPTION}.", code="extension")
    content_types, magic = ALLOWED_ATTACHMENTS[extension]
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared not in content_types:
        raise ValidationError(f"The file must be a {ALLOWED_DESCRIPTION}.", code="content_type")
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic or (extension == ".docx" and not _is_word_document(upload)):
        raise ValidationError("The file's contents do not match its type.", code="contents")
    return declared


def _is_word_document(upload: UploadedFile) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)
