"""Attachment files that no attachment row points to are deleted once they are an hour old."""

import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from access.roles import PortalRoles
from safeguarding import services
from safeguarding.models import ATTACHMENT_FOLDER, ConcernAttachment
from safeguarding.tasks import purge_orphaned_attachments

pytestmark = pytest.mark.django_db


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("notes.pdf", b"%PDF-1.7 fictional", content_type="application/pdf")


def _orphan(settings, name: str, *, hours_old: float) -> str:
    folder = settings.PRIVATE_MEDIA_ROOT / ATTACHMENT_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"%PDF-1.7 left behind")
    _age(str(path), hours=hours_old)
    return str(path)


def _age(path: str, hours: float) -> None:
    stamp = (datetime.datetime.now() - datetime.timedelta(hours=hours)).timestamp()
    os.utime(path, (stamp, stamp))


def test_an_old_file_no_row_points_to_is_deleted(settings):
    path = _orphan(settings, "abc.pdf", hours_old=2)
    assert services.purge_orphaned_attachment_files() == [f"{ATTACHMENT_FOLDER}/abc.pdf"]
    assert not os.path.exists(path)


def test_a_file_of_an_attachment_row_is_kept(dsl_a, concern_a):
    attachment = services.add_concern_attachment(concern=concern_a, roles=PortalRoles(dsl_a), upload=_upload())
    _age(attachment.file.path, hours=48)
    assert services.purge_orphaned_attachment_files() == []
    assert os.path.exists(attachment.file.path)


def test_a_recent_orphan_is_kept_as_its_upload_may_still_be_committing(settings):
    path = _orphan(settings, "fresh.pdf", hours_old=0.5)
    assert services.purge_orphaned_attachment_files() == []
    assert os.path.exists(path)


def test_the_file_of_a_rolled_back_upload_is_deleted_once_old_enough(dsl_a, concern_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        attachment = services.add_concern_attachment(concern=concern_a, roles=PortalRoles(dsl_a), upload=_upload())
        raise RuntimeError("a later step of the request failed")
    assert not ConcernAttachment.objects.exists()
    assert os.path.exists(attachment.file.path)
    _age(attachment.file.path, hours=2)
    assert services.purge_orphaned_attachment_files() == [attachment.file.name]
    assert not os.path.exists(attachment.file.path)


def test_files_outside_the_attachment_folder_are_left_alone(settings):
    other = settings.PRIVATE_MEDIA_ROOT / "other"
    other.mkdir(parents=True)
    (other / "keep.txt").write_bytes(b"not an attachment")
    assert services.purge_orphaned_attachment_files() == []
    assert (other / "keep.txt").exists()


def test_no_attachment_folder_yet_is_nothing_to_do():
    assert services.purge_orphaned_attachment_files() == []


def test_the_nightly_task_returns_how_many_files_it_deleted(settings):
    _orphan(settings, "one.pdf", hours_old=3)
    _orphan(settings, "two.png", hours_old=3)
    assert purge_orphaned_attachments.delay().get() == 2


def test_the_command_says_how_many_files_it_deleted(settings, capsys):
    _orphan(settings, "one.pdf", hours_old=3)
    call_command("purge_orphaned_attachments")
    assert "Deleted 1 orphaned attachment file(s)." in capsys.readouterr().out
