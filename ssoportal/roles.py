"""Who a user is, in the portal's terms. Every access rule asks these questions here.

- BCU manager: a staff user in the "BCU manager" group (migration officers/0004).
- Council reader: a user in the "Council reader" group (migration officers/0005).
- SSO: a user linked to an active ``Officer``; sees the schools of their current postings.
- DSL: a user linked to current ``DSLContact`` rows; sees those schools only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from ssoportal.migration_helpers import BCU_MANAGER_GROUP, COUNCIL_READER_GROUP

AnyUser = AbstractBaseUser | AnonymousUser


def _in_group(user: AnyUser, name: str) -> bool:
    if not user.is_authenticated:
        return False
    # Cached per user object: a page asks several times.
    cache = getattr(user, "_ssoportal_group_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._ssoportal_group_names = cache
    return name in cache


def is_bcu_manager(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff and _in_group(user, BCU_MANAGER_GROUP)


def is_council_reader(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active and _in_group(user, COUNCIL_READER_GROUP)


def council_reader_local_authority_ids(user: AnyUser) -> set[int]:
    """The local authorities whose aggregate figures a council reader sees (none for anyone else)."""
    if not is_council_reader(user):
        return set()
    # Cached per user object, as the group names are: a page asks more than once.
    if not hasattr(user, "_ssoportal_readable_la_ids"):
        user._ssoportal_readable_la_ids = set(user.readable_local_authorities.values_list("pk", flat=True))
    return user._ssoportal_readable_la_ids


def can_hold_portal_role(user: AnyUser) -> bool:
    """Whether this login may act as a DSL or an SSO.

    Separation of duties: staff accounts (BCU managers, administrators) edit the login links
    in the admin, so a staff account never counts as a DSL or SSO; otherwise a manager could
    link their own login to a DSL contact or officer and read concern contents.
    """
    return user.is_authenticated and user.is_active and not user.is_staff and not user.is_superuser


def officer_for(user: AnyUser):
    """The ``Officer`` linked to this user if their status is active, or None (never for a staff account)."""
    from officers.models import Officer, OfficerStatus

    if not can_hold_portal_role(user):
        return None
    # Least privilege: an officer on leave or restricted duties reads no concerns until active again.
    return Officer.objects.filter(user=user, status=OfficerStatus.ACTIVE).first()


def sso_school_ids(user: AnyUser) -> set[int]:
    """Schools where the user's officer holds a current posting (primary or secondary)."""
    from officers.models import Posting

    officer = officer_for(user)
    if officer is None:
        return set()
    return set(Posting.objects.current().filter(officer=officer).values_list("school_id", flat=True))


def dsl_school_ids(user: AnyUser) -> set[int]:
    """Schools for which the user is a current DSL contact (lead or deputy); none for staff."""
    from schools.models import DSLContact

    if not can_hold_portal_role(user):
        return set()
    return set(DSLContact.objects.filter(user=user, is_current=True).values_list("school_id", flat=True))


def bcu_managers():
    """Every BCU manager (active staff in the group)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, is_staff=True, groups__name=BCU_MANAGER_GROUP).distinct()


@dataclass(frozen=True)
class ManagerAddresses:
    """Where a reminder for a BCU's officer, posting or search goes: that BCU's managers
    (``BCU.managers``), or every BCU manager while the BCU has none with an e-mail address, so
    a reminder is never lost for want of an assignment."""

    by_bcu: dict[int, tuple[str, ...]]
    everyone: tuple[str, ...]

    def for_bcu(self, bcu_id: int | None) -> tuple[str, ...]:
        return self.by_bcu.get(bcu_id) or self.everyone


def bcu_manager_addresses() -> ManagerAddresses:
    """The e-mail addresses of the BCU managers, by the BCUs they manage (two queries)."""
    managers = bcu_managers().exclude(email="")
    by_bcu: dict[int, set[str]] = defaultdict(set)
    for bcu_id, email in managers.filter(managed_bcus__isnull=False).values_list("managed_bcus", "email"):
        by_bcu[bcu_id].add(email)
    return ManagerAddresses(
        by_bcu={bcu_id: tuple(sorted(emails)) for bcu_id, emails in by_bcu.items()},
        everyone=tuple(sorted(set(managers.values_list("email", flat=True)))),
    )


def validate_portal_login(user: AnyUser | None) -> None:
    """Refuse a staff account as the portal login of a DSL contact or an officer (form error on ``user``)."""
    from django.core.exceptions import ValidationError

    if user is not None and (user.is_staff or user.is_superuser):
        raise ValidationError(
            {
                "user": "A staff account cannot be the portal login of a DSL or an officer: "
                "give them a separate, non-staff login."
            }
        )
