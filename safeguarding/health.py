"""Health checks of the private storage of concern attachments (``/health/``, ``core.health``): it
works, and it has room."""

from __future__ import annotations

import dataclasses
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage as DjangoStorage
from health_check.base import HealthCheck
from health_check.checks import Storage
from health_check.exceptions import ServiceUnavailable

from .models import ConcernAttachment


@dataclasses.dataclass
class AttachmentStorage(Storage):
    """A probe file is written to the attachments' storage, read back and deleted. It lies in its
    own folder, never among the attachments (which the nightly purge looks after)."""

    # The parent's storage alias does not apply: attachments' storage is the field's own.
    alias: str = dataclasses.field(default="", repr=False)

    @property
    def storage(self) -> DjangoStorage:
        return ConcernAttachment._meta.get_field("file").storage

    def get_file_name(self) -> str:
        return f"health-check/probe-{uuid.uuid4().hex}.txt"


@dataclasses.dataclass
class AttachmentDiskSpace(HealthCheck):
    """The attachments' file system has at least ``HEALTH_MIN_FREE_MB`` free, so uploads fail
    here, before a DSL's upload does. Where the folder does not exist yet, its parent is measured."""

    def run(self) -> None:
        path = Path(settings.PRIVATE_MEDIA_ROOT)
        while not path.exists() and path != path.parent:
            path = path.parent
        free_mb = shutil.disk_usage(path).free // (1024 * 1024)
        if free_mb < settings.HEALTH_MIN_FREE_MB:
            raise ServiceUnavailable(
                f"Attachment storage has {free_mb} MB free, under {settings.HEALTH_MIN_FREE_MB} MB."
            )
