"""Health check of the private storage of concern attachments (``/health/``, ``core.health``)."""

from __future__ import annotations

import dataclasses
import uuid

from django.core.files.storage import Storage as DjangoStorage
from health_check.checks import Storage

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
