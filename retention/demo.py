"""Demo data for retention: a data protection officer's login, and a posting that ended long
enough ago to be listed for erasure, so the review page has something to review."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from officers.models import Officer, OfficerStatus, Posting, PostingRole
from retention.roles import DATA_PROTECTION_OFFICER_GROUP
from retention.services import list_due_erasures
from schools.models import School

DEMO_DPO_USERNAME = "dpo.demo"
DEMO_DPO_PASSWORD = "demo-dpo-2026"
DEMO_LOGINS = [(DEMO_DPO_USERNAME, DEMO_DPO_PASSWORD, "data protection officer, in the admin")]

# A secondary posting that ended in July 2019: past the default six years.
OLD_POSTING_DATES = (datetime.date(2016, 9, 1), datetime.date(2019, 7, 19))


def load_demo_retention(rng: random.Random) -> dict[str, int]:
    created = {"users": 0, "postings": 0}
    dpo, was_created = get_user_model().objects.get_or_create(
        username=DEMO_DPO_USERNAME,
        defaults={"first_name": "Demo", "last_name": "DPO", "email": "dpo@police.invalid", "is_staff": True},
    )
    if was_created:
        dpo.set_password(DEMO_DPO_PASSWORD)
        dpo.save(update_fields=["password"])
    dpo.groups.add(Group.objects.get(name=DATA_PROTECTION_OFFICER_GROUP))
    created["users"] += was_created

    officer = Officer.objects.exclude(status=OfficerStatus.LEFT).order_by("collar_number").first()
    school = School.objects.order_by("urn").first()
    if officer is not None and school is not None:
        start, end = OLD_POSTING_DATES
        _, was_created = Posting.objects.get_or_create(
            officer=officer,
            school=school,
            start_date=start,
            defaults={"end_date": end, "role": PostingRole.SECONDARY},
        )
        created["postings"] += was_created
    list_due_erasures()
    return created
