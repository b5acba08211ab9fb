"""Who a user is, in the portal's terms. Every access rule asks these questions here.

- BCU manager: an active staff user in the "BCU manager" group.
- Council reader: an active user in the "Council reader" group; reads the aggregate figures
  of the local authorities they are linked to (``LocalAuthority.council_readers``).
- SSO: a non-staff user linked to an active ``Officer``; works with the schools of that
  officer's current postings.
- DSL: a non-staff user linked to current ``DSLContact`` rows; works with those schools only.
- School staff (staff or head teacher): a non-staff user with a current ``SchoolStaff`` membership.
- Force lead: an active staff user in the "Force lead" group; invites officers to the portal, and
  (with the BCU manager group's rights) changes the records of every BCU, where a BCU manager changes
  only those of the BCUs they manage (``may_change_bcu``).
- Administrator: an active superuser.

Portal logins are linked to DSL contacts, officers and school staff memberships only by accepting
an invitation (the ``invitations`` app), never in a form: see ``PortalLoginLink``.

The answers are read once per request into ``request.portal_roles`` (``PortalRolesMiddleware``)
and passed on from there, never cached on the user object. This app imports no domain app: it
reads a login's links through the relations the domain models declare on the user
(``user.officer``, ``user.dsl_contacts``, ``user.staff_memberships``,
``user.readable_local_authorities``, ``user.managed_bcus``), so it sits below them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet

from core.groups import BCU_MANAGER_GROUP, COUNCIL_READER_GROUP, FORCE_LEAD_GROUP

AnyUser = AbstractBaseUser | AnonymousUser


class Viewer(Protocol):
    """Whoever a scoped read is for: a portal login's ``PortalRoles`` or a council API client.

    Every model a portal page or the API reads has ``Model.objects.visible_to(viewer)``, which
    asks only these questions.
    """

    is_bcu_manager: bool
    is_council_reader: bool
    #: Local authorities whose aggregate figures a council reader sees in the portal.
    readable_local_authority_ids: frozenset[int]
    #: Local authorities whose records a council API client is granted.
    granted_local_authority_ids: frozenset[int]
    dsl_school_ids: frozenset[int]
    sso_school_ids: frozenset[int]


def can_hold_portal_role(user: AnyUser) -> bool:
    """Whether this login may act as a DSL or an SSO.

    Separation of duties: staff accounts (BCU managers, administrators) edit the login links
    in the admin, so a staff account never counts as a DSL or SSO; otherwise a manager could
    link their own login to a DSL contact or officer and read concern contents.
    """
    return user.is_authenticated and user.is_active and not user.is_staff and not user.is_superuser


class PortalRoles:
    """The roles of one login, each looked up at most once (one object per request)."""

    #: A portal login is never an API client.
    granted_local_authority_ids: frozenset[int] = frozenset()

    def __init__(self, user: AnyUser) -> None:
        self.user = user

    def __repr__(self) -> str:
        return f"<PortalRoles of {self.user!r}>"

    @cached_property
    def group_names(self) -> frozenset[str]:
        if not self.user.is_authenticated:
            return frozenset()
        return frozenset(self.user.groups.values_list("name", flat=True))

    @cached_property
    def is_bcu_manager(self) -> bool:
        user = self.user
        return user.is_authenticated and user.is_active and user.is_staff and BCU_MANAGER_GROUP in self.group_names

    @cached_property
    def is_council_reader(self) -> bool:
        user = self.user
        return user.is_authenticated and user.is_active and COUNCIL_READER_GROUP in self.group_names

    @cached_property
    def is_administrator(self) -> bool:
        user = self.user
        return user.is_authenticated and user.is_active and user.is_superuser

    @cached_property
    def is_force_lead(self) -> bool:
        user = self.user
        return user.is_authenticated and user.is_active and user.is_staff and FORCE_LEAD_GROUP in self.group_names

    @cached_property
    def managed_bcu_ids(self) -> frozenset[int]:
        """The BCUs a BCU manager is assigned to (``BCU.managers``); none for anyone else."""
        if not self.is_bcu_manager:
            return frozenset()
        return frozenset(self.user.managed_bcus.values_list("pk", flat=True))

    @property
    def changes_every_bcu(self) -> bool:
        """Administrators and force leads change every BCU's records (their group rights permitting);
        a BCU manager only those of ``managed_bcu_ids``."""
        return self.is_administrator or self.is_force_lead

    def may_change_bcu(self, bcu_id: int | None) -> bool:
        """Whether this login may change the officers, postings, training records, assessments and
        search records of the BCU ``bcu_id`` (its group rights permitting). Least privilege: a BCU
        manager changes only the BCUs they manage; every other BCU's records are read-only to them."""
        if self.changes_every_bcu:
            return True
        return self.is_bcu_manager and bcu_id is not None and bcu_id in self.managed_bcu_ids

    @cached_property
    def readable_local_authority_ids(self) -> frozenset[int]:
        """The local authorities whose aggregate figures a council reader sees (none for anyone else)."""
        if not self.is_council_reader:
            return frozenset()
        return frozenset(self.user.readable_local_authorities.values_list("pk", flat=True))

    @cached_property
    def can_hold_portal_role(self) -> bool:
        return can_hold_portal_role(self.user)

    @cached_property
    def officer(self):
        """The ``Officer`` linked to this login while it is active, or None (never for a staff account)."""
        if not self.can_hold_portal_role:
            return None
        try:
            officer = self.user.officer
        except ObjectDoesNotExist:
            return None
        # Least privilege: an officer on leave or restricted duties reads no concerns until active again.
        return officer if officer.holds_sso_role else None

    @cached_property
    def sso_school_ids(self) -> frozenset[int]:
        """Schools where the login's officer holds a current posting (primary or secondary)."""
        if self.officer is None:
            return frozenset()
        return frozenset(self.officer.postings.current().values_list("school_id", flat=True))

    @cached_property
    def dsl_school_ids(self) -> frozenset[int]:
        """Schools for which the login is a current DSL contact (lead or deputy); none for staff."""
        if not self.can_hold_portal_role:
            return frozenset()
        return frozenset(self.user.dsl_contacts.filter(is_current=True).values_list("school_id", flat=True))

    @cached_property
    def staff_school_ids(self) -> frozenset[int]:
        """Schools where the login is a current member of staff or head teacher; none for staff accounts.

        Gives no access to concerns or any school's records (``access.scopes`` ignores it): a member
        of staff reports to the DSL and reads only their own reports and the tasks given to them."""
        if not self.can_hold_portal_role:
            return frozenset()
        return frozenset(self.user.staff_memberships.filter(is_current=True).values_list("school_id", flat=True))

    @cached_property
    def head_teacher_school_ids(self) -> frozenset[int]:
        """Schools where the login is the current head teacher: they sign off the school's child
        safeguarding statement (``statements``). No access to concerns."""
        if not self.can_hold_portal_role:
            return frozenset()
        memberships = self.user.staff_memberships.filter(is_current=True, role="head_teacher")
        return frozenset(memberships.values_list("school_id", flat=True))

    @property
    def is_dsl(self) -> bool:
        return bool(self.dsl_school_ids)

    @property
    def is_sso(self) -> bool:
        return bool(self.sso_school_ids)

    @property
    def is_school_staff(self) -> bool:
        """A current member of a school's staff (or its head teacher): reports what they see to the DSL."""
        return bool(self.staff_school_ids)

    @property
    def is_portal_user(self) -> bool:
        """DSLs and SSOs use the concern pages; nobody else reads concerns."""
        return self.is_dsl or self.is_sso

    @property
    def sees_aggregates(self) -> bool:
        """BCU managers and council readers see aggregate counts, never contents."""
        return self.is_bcu_manager or self.is_council_reader


def bcu_managers() -> QuerySet:
    """Every BCU manager (active staff in the group)."""
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
    """Refuse a staff account as the portal login of a DSL contact, an officer or school staff."""
    if user is not None and (user.is_staff or user.is_superuser):
        raise ValidationError(
            {
                "user": "A staff account cannot be the portal login of a DSL, an officer or school staff: "
                "give them a separate, non-staff login."
            }
        )


LOGIN_LINK_REFUSED = (
    "A portal login is linked only by accepting an invitation, and removed only with the "
    "\u201cRemove portal login\u201d action: it cannot be changed here."
)


class PortalLoginLink:
    """For a model whose ``user`` makes a login a DSL (``DSLContact``), an SSO (``Officer``) or
    school staff (``SchoolStaff``).

    Access is granted, never taken: the link is made by accepting an invitation and removed by an
    administrator, both through the owning app's services, which call ``set_portal_login``.
    ``validate_portal_login_link`` (from the model's ``clean()``, so in every form, the admin's
    version pages included) refuses any other change to it, and a staff account as the login.
    """

    def set_portal_login(self, user: AnyUser | None) -> None:
        """Only the linking services call this."""
        self.user = user
        self._portal_login_set_to = self.user_id

    @property
    def portal_login_set_by_service(self) -> bool:
        """Whether the login now held is the one ``set_portal_login`` set (not changed since)."""
        return getattr(self, "_portal_login_set_to", _UNSET) == self.user_id

    def validate_portal_login_link(self, stored_user_id: int | None) -> None:
        """``stored_user_id``: the login as saved (None for a new row)."""
        if self.portal_login_set_by_service:
            validate_portal_login(self.user)
        elif self.user_id != stored_user_id:
            # Not keyed to "user": the admin's forms have no such field.
            raise ValidationError(LOGIN_LINK_REFUSED)


_UNSET = object()
