"""Attachment storage full, read-only or gone: the DSL gets the form back with what they typed and a
clear message, nothing is saved, and no partial file is left behind."""

import errno
import logging
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.models import ATTACHMENT_FOLDER, Concern, ConcernAttachment
from safeguarding.services import ATTACHMENT_STORAGE_ERROR

pytestmark = pytest.mark.django_db

DESCRIPTION = "Pupil disclosed worries about home at lunchtime; spoke to form tutor."


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("note.pdf", b"%PDF-1.4 " + b"x" * 4000, content_type="application/pdf")


@pytest.fixture
def full_disk(monkeypatch):
    """The storage writes part of the file, then the disk is full (as FileSystemStorage leaves it)."""
    storage = ConcernAttachment._meta.get_field("file").storage

    def write_half_then_fail(name, content):
        path = Path(storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.read()[:1000])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage, "_save", write_half_then_fail)
    return storage


@pytest.fixture
def read_only_storage(monkeypatch):
    storage = ConcernAttachment._meta.get_field("file").storage

    def refuse(name, content):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(storage, "_save", refuse)
    return storage


def _stored_files(storage) -> list[str]:
    return storage.listdir(ATTACHMENT_FOLDER)[1] if storage.exists(ATTACHMENT_FOLDER) else []


def test_a_full_disk_gives_the_concern_form_back_with_the_text_and_a_clear_message(client, dsl_a, school_a, full_disk):
    client.force_login(dsl_a)
    data = {
        "school": school_a.pk,
        "pupil_reference": "AB-123",
        "year_group": "9",
        "category": "online",
        "severity": "high",
        "description": DESCRIPTION,
        "attachment": _pdf(),
    }
    response = client.post(reverse("safeguarding:concern-create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["attachment"] == [ATTACHMENT_STORAGE_ERROR]
    assert DESCRIPTION in response.content.decode()
    assert not Concern.objects.exists()
    assert _stored_files(full_disk) == []  # the truncated file is gone


def test_a_read_only_storage_on_the_concern_page_keeps_the_concern_and_says_why(
    client, dsl_a, concern_a, read_only_storage
):
    client.force_login(dsl_a)
    response = client.post(
        reverse("safeguarding:concern-add-attachment", args=[concern_a.pk]), {"attachment-file": _pdf()}
    )
    assert response.status_code == 200
    assert response.context["attachment_form"].errors["file"] == [ATTACHMENT_STORAGE_ERROR]
    assert not concern_a.attachments.exists()


def test_a_storage_failure_is_logged_once_with_its_reason_and_not_the_file_name(
    client, dsl_a, concern_a, full_disk, caplog
):
    caplog.set_level(logging.WARNING)
    client.force_login(dsl_a)
    client.post(reverse("safeguarding:concern-add-attachment", args=[concern_a.pk]), {"attachment-file": _pdf()})
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == [
        f"Attachment of concern {concern_a.pk} could not be stored (OSError: No space left on device); "
        "nothing was saved"
    ]
    assert "note.pdf" not in caplog.text


def test_uploads_work_again_once_the_storage_does(client, dsl_a, concern_a, full_disk, monkeypatch):
    client.force_login(dsl_a)
    url = reverse("safeguarding:concern-add-attachment", args=[concern_a.pk])
    client.post(url, {"attachment-file": _pdf()})
    monkeypatch.undo()  # the disk has room again
    response = client.post(url, {"attachment-file": _pdf()})
    assert response.status_code == 302
    assert _stored_files(full_disk) == [Path(concern_a.attachments.get().file.name).name]
