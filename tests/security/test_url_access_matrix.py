"""Project-wide safety net: every URL the resolver knows, declared for every role.

The app matrices (tests/safeguarding, tests/searches, tests/api, ...) test their own pages in
depth, with every method. This file walks ``get_resolver()`` and fails when any URL of the
project, admin included, is missing from ``EXPECTED``: nobody can add a page without declaring
who may see it. Each declared (URL, role) pair is then one GET request.

Outcomes:
- ``OK``: 200, or a 302 that stays in the same area (``/portal/`` sends BCU managers to the
  statistics; the admin's legacy ``<id>/`` URL redirects to the change page);
- ``LOGIN``: a 302 to a log-in page (``/accounts/login/`` or ``/admin/login/``);
- ``DENIED``: 403 or 404;
- ``NO_TOKEN``: 401; the council API takes bearer tokens only, a portal session is no credential;
- ``ONWARD``: a 302 on to another page of this site, neither a log-in page nor an MFA step (the
  MFA steps send a session that has passed them on to where it was going);
- ``na(reason)``: not checked for that reason (the request is still made: it must not fail
  with a server error nor show a sensitive marker).

Every session here has passed MFA (``force_login`` marks it verified: tests/conftest.py);
tests/security/test_mfa_required.py walks the same URLs with a password-only session.

Whatever the outcome, a response may show a sensitive marker (a concern's description or pupil
reference, an attachment's content, a search's reason) only to the roles in ``MARKER_READERS``.

The data protection officer (``dpo``) is staff in that group alone: on every URL not declared for
them they get what plain staff get.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core.groups import BCU_MANAGER_GROUP
from officers.models import OfficerStatus
from schools.models import DSLRole, StaffRole
from tests.conftest import SharedTestData
from tests.factories.invitations import ForceLeadFactory, InvitationFactory, token_of
from tests.factories.mfa import verified_login
from tests.factories.officers import (
    BCUFactory,
    BCUManagerFactory,
    ForceLeadManagerFactory,
    OfficerFactory,
    PostingFactory,
    SuitabilityAssessmentFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
    UserFactory,
)
from tests.factories.priorities import CrimeAggregateFactory, PartnerAdviceFactory, ScoringModelFactory
from tests.factories.roles import council_reader as make_council_reader
from tests.factories.roles import data_protection_officer as make_data_protection_officer
from tests.factories.safeguarding import (
    BodyMapMarkFactory,
    ConcernActionFactory,
    ConcernFactory,
    StaffReportFactory,
    TaskFactory,
)
from tests.factories.schools import (
    DSLContactFactory,
    LocalAuthorityFactory,
    SchoolFactory,
    SchoolStaffFactory,
    WardFactory,
)
from tests.factories.searches import PupilPopulationFactory, SearchRecordFactory

# The matrices walk every URL to check who gets which answer, not what a page does: each page's
# own tests cover its lines. Tracing coverage through their ~3,000 requests doubled their time.
pytestmark = pytest.mark.no_cover

ROLES = (
    "anonymous",
    "plain_user",
    "plain_staff",
    "bcu_manager",
    "force_lead",
    "council_reader",
    "sso",
    "dsl",
    "dpo",
    # A member of the DSL's school's staff (a portal login invited by the DSL): reports to the DSL.
    "staff_member",
)


@dataclass(frozen=True)
class Outcome:
    kind: str
    reason: str = ""

    def __str__(self) -> str:
        return self.kind


OK = Outcome("ok")
LOGIN = Outcome("login")
DENIED = Outcome("denied")
NO_TOKEN = Outcome("no-token")
ONWARD = Outcome("onward")


def na(reason: str) -> Outcome:
    return Outcome("n/a", reason)


# Markers put into sensitive objects, and the roles allowed to see each on some page.
CONCERN_DESCRIPTION = "Marker-concern-description-5521"
CONCERN_PUPIL = "PUPIL-MARK-5521"
OTHER_SCHOOL_CONCERN_DESCRIPTION = "Marker-other-school-description-8830"
OTHER_SCHOOL_CONCERN_PUPIL = "PUPIL-OTHER-8830"
ATTACHMENT_CONTENT = "Marker-attachment-content-1177"
ACTION_SUMMARY = "Marker-chronology-action-3306"
SEARCH_REASON = "Marker-search-reason-4409"
EXPORTED_PUPIL = "PUPIL-EXPORTED-7702"
ACTIVITY_PUPIL = "PUPIL-ACTIVITY-6610"
PASSED_CONCERN = "Marker-passed-concern-2207"
OTHER_SCHOOL_ACTIVITY_PUPIL = "PUPIL-ACTIVITY-OTHER-6611"
OWN_REPORT_PUPIL = "PUPIL-REPORTED-4410"
COLLEAGUE_REPORT_TEXT = "Marker-colleague-report-4411"
COLLEAGUE_REPORT_PUPIL = "PUPIL-COLLEAGUE-4412"
BODY_MARK_NOTE = "Marker-body-mark-4413"
TASK_DESCRIPTION = "Marker-task-4414"
STATEMENT_DRAFT = "Marker-statement-draft-9902"
TRANSFERRED_FILE = "Marker-transferred-file-3390"
TRANSFERRED_PUPIL = "PUPIL-MOVER-3391"
ATTENDANCE_DETAIL = "Marker-police-attendance-3392"
CHALLENGE_DECISION = "Marker-challenge-decision-3393"
MARKER_READERS: dict[str, set[str]] = {
    CONCERN_DESCRIPTION: {"sso", "dsl"},  # the concern is of their school and shared with police
    CONCERN_PUPIL: {"sso", "dsl"},
    OTHER_SCHOOL_CONCERN_DESCRIPTION: set(),
    OTHER_SCHOOL_CONCERN_PUPIL: set(),
    ATTACHMENT_CONTENT: {"sso", "dsl"},
    ACTION_SUMMARY: {"sso", "dsl"},
    SEARCH_REASON: {"bcu_manager"},
    # The log of subject access exports names the pupil reference exported, for the DPO alone.
    EXPORTED_PUPIL: {"dpo"},
    # An SSO's logged support of a pupil: that SSO, and BCU managers reading the log in the admin.
    ACTIVITY_PUPIL: {"sso", "bcu_manager"},
    OTHER_SCHOOL_ACTIVITY_PUPIL: {"bcu_manager"},
    # Passed by the SSO to the school's DSL (not shared back): the SSO who sent it, and the DSL.
    PASSED_CONCERN: {"sso", "dsl"},
    # A staff member's own report: they see its pupil reference and status; the DSL sees it all.
    OWN_REPORT_PUPIL: {"staff_member", "dsl"},
    # A colleague's report at the same school: the DSL only.
    COLLEAGUE_REPORT_TEXT: {"dsl"},
    COLLEAGUE_REPORT_PUPIL: {"dsl"},
    BODY_MARK_NOTE: {"dsl"},
    # A task given to the staff member: they and the DSL.
    TASK_DESCRIPTION: {"staff_member", "dsl"},
    # A child safeguarding statement not signed yet: the school's DSLs (and head teacher), never the public page.
    STATEMENT_DRAFT: {"dsl", "head_teacher"},
    # A file sent by another school to the DSL's school: the receiving DSL alone reads the copy.
    TRANSFERRED_FILE: {"dsl"},
    TRANSFERRED_PUPIL: {"dsl"},
    # Police attendances and challenges the school's DSL recorded: that DSL alone (not the SSO, who
    # did not open the challenge; managers and council readers see counts only).
    ATTENDANCE_DETAIL: {"dsl"},
    CHALLENGE_DECISION: {"dsl"},
}


def _verified_session_key(user) -> str:
    client = Client()
    verified_login(client, user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class World:
    """The users and objects the URLs need, each built on first use (most cases need few)."""

    def __init__(self) -> None:
        # Every sensitive object exists in every test, so that any page could leak it.
        for name in (
            "concern",
            "other_school_concern",
            "attachment",
            "other_school_attachment",
            "search_record",
            "subject_access_export",
            "activity",
            "other_school_activity",
            "passed_concern",
            "own_report",
            "colleague_report",
            "body_mark",
            "task",
            "statement_draft",
            "transfer",
            "other_schools_transfer",
            "police_attendance",
            "challenge",
            "other_school_challenge",
        ):
            getattr(self, name)
        self.concern_audit_entry  # noqa: B018
        self.session_keys: dict[str, str] = {}

    def user(self, role: str):
        return None if role == "anonymous" else getattr(self, role)

    def open_sessions(self) -> World:
        """Sign each role in once, verified by its second factor, for ``sign_in`` to reuse: signing
        in anew for each of ~3,000 requests cost a quarter of this module's time."""
        signed_in = [role for role in ROLES if role != "anonymous"] + ["superuser"]
        self.session_keys = {role: _verified_session_key(self.user(role)) for role in signed_in}
        return self

    def sign_in(self, client, role: str) -> None:
        """Give the client the role's signed-in session (anonymous: none)."""
        if role != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.session_keys[role]

    # Roles.
    @cached_property
    def superuser(self):
        # Not a role of the matrix: it proves each admin row builds a real page.
        return UserFactory(username="superuser", is_staff=True, is_superuser=True)

    @cached_property
    def plain_user(self):
        return UserFactory(username="plain-user")

    @cached_property
    def plain_staff(self):
        return UserFactory(username="plain-staff", is_staff=True)

    @cached_property
    def bcu_manager(self):
        # Manages Riverbank, the BCU of the officers, postings and searches below; Hartwell's are
        # read-only to them (tests at the end of this module).
        return BCUManagerFactory(username="bcu-manager", bcus=[self.riverbank])

    @cached_property
    def riverbank(self):
        return BCUFactory(code="RB-BCU", name="Riverbank BCU")

    @cached_property
    def hartwell(self):
        return BCUFactory(code="HW-BCU", name="Hartwell BCU")

    @cached_property
    def riverbank_officer(self):
        return OfficerFactory(bcu=self.riverbank)

    @cached_property
    def force_lead(self):
        return ForceLeadFactory(username="force-lead")

    @cached_property
    def council_reader(self):
        return make_council_reader(username="council-reader")

    @cached_property
    def dpo(self):
        # The data protection officer: a staff login that reads and exports the access log.
        return make_data_protection_officer(username="dpo")

    @cached_property
    def sso(self):
        user = UserFactory(username="sso")
        PostingFactory(officer=OfficerFactory(user=user), school=self.school, start_date=datetime.date(2020, 1, 1))
        return user

    @cached_property
    def dsl(self):
        user = UserFactory(username="dsl")
        DSLContactFactory(school=self.school, user=user)
        return user

    @cached_property
    def staff_member(self):
        user = UserFactory(username="staff-member")
        SchoolStaffFactory(school=self.school, user=user)
        return user

    # The school's safeguarding record.
    @cached_property
    def own_report(self):
        return StaffReportFactory(school=self.school, reported_by=self.staff_member, pupil_reference=OWN_REPORT_PUPIL)

    @cached_property
    def colleague_report(self):
        colleague = UserFactory(username="colleague")
        SchoolStaffFactory(school=self.school, user=colleague)
        return StaffReportFactory(
            school=self.school,
            reported_by=colleague,
            pupil_reference=COLLEAGUE_REPORT_PUPIL,
            what_happened=COLLEAGUE_REPORT_TEXT,
        )

    @cached_property
    def other_school_report(self):
        return StaffReportFactory(school=self.other_school, what_happened=COLLEAGUE_REPORT_TEXT)

    @cached_property
    def body_mark(self):
        return BodyMapMarkFactory(concern=self.concern, note=BODY_MARK_NOTE)

    @cached_property
    def task(self):
        from safeguarding.models import pupil_of

        # A pupil of its own: the staff member sees the task's pupil reference, not the marked concern's.
        pupil = pupil_of(self.school.pk, "PUPIL-TASK-4415")
        return TaskFactory(pupil=pupil, assigned_to=self.staff_member, description=TASK_DESCRIPTION)

    # The role holders' school, and another one.
    @cached_property
    def school(self):
        return SchoolFactory(name="Alder School")

    @cached_property
    def other_school(self):
        return SchoolFactory(name="Birch School")

    def _shared_concern(self, school, *, description: str, pupil_reference: str):
        return ConcernFactory(
            school=school,
            pupil_reference=pupil_reference,
            description=description,
            shared_with_police=True,
            shared_at=timezone.now(),
        )

    @cached_property
    def concern(self):
        concern = self._shared_concern(self.school, description=CONCERN_DESCRIPTION, pupil_reference=CONCERN_PUPIL)
        ConcernActionFactory(concern=concern, summary=ACTION_SUMMARY)
        return concern

    @cached_property
    def other_school_concern(self):
        return self._shared_concern(
            self.other_school, description=OTHER_SCHOOL_CONCERN_DESCRIPTION, pupil_reference=OTHER_SCHOOL_CONCERN_PUPIL
        )

    def _attachment(self, concern):
        from safeguarding.models import ConcernAttachment

        content = b"%PDF-1.4 " + ATTACHMENT_CONTENT.encode()
        return ConcernAttachment.objects.create(
            concern=concern,
            file=SimpleUploadedFile("note.pdf", content),
            original_name="note.pdf",
            content_type="application/pdf",
            size=len(content),
            uploaded_by=concern.logged_by,
        )

    @cached_property
    def attachment(self):
        return self._attachment(self.concern)

    @cached_property
    def other_school_attachment(self):
        return self._attachment(self.other_school_concern)

    @cached_property
    def concern_audit_entry(self):
        from safeguarding.services import record_concern_access

        return record_concern_access(concern=self.concern, user=self.concern.logged_by)

    @cached_property
    def access_log_export(self):
        from safeguarding.services import record_access_log_export

        return record_access_log_export(user=self.dpo, filters="", rows=1)

    # One object per admin model.
    @cached_property
    def search_record(self):
        return SearchRecordFactory(school=self.school, reason=SEARCH_REASON, officer=self.riverbank_officer)

    @cached_property
    def own_search(self):
        return SearchRecordFactory(officer=self.sso.officer, school=self.school)

    @cached_property
    def section_60(self):
        from tests.factories.searches import Section60AuthorisationFactory

        return Section60AuthorisationFactory()

    @cached_property
    def pupil_population(self):
        return PupilPopulationFactory()

    @cached_property
    def posting(self):
        return PostingFactory(school=self.school, officer=self.riverbank_officer)

    @cached_property
    def dsl_contact(self):
        # A deputy: the school's one current lead may be the DSL role holder.
        return DSLContactFactory(school=self.school, role=DSLRole.DEPUTY)

    @cached_property
    def training_record(self):
        return TrainingRecordFactory(course=TrainingCourseFactory(), officer=self.riverbank_officer)

    @cached_property
    def suitability_assessment(self):
        return SuitabilityAssessmentFactory(officer=self.riverbank_officer)

    @cached_property
    def partner_advice(self):
        return PartnerAdviceFactory(school=self.school)

    @cached_property
    def priority_score(self):
        from priorities.services import recompute_priorities

        return recompute_priorities().scores.get(school=self.school)

    @cached_property
    def data_import(self):
        from priorities.models import DataImport

        return DataImport.objects.create(kind=DataImport.Kind.GIAS, file_name="edubasealldata.csv")

    @cached_property
    def school_staff(self):
        return SchoolStaffFactory(school=self.school)

    @cached_property
    def invitation(self):
        # A pending invitation of someone who is none of the roles (each role's address differs).
        return InvitationFactory(school=self.school, email="invitee@example.invalid")

    @cached_property
    def api_client(self):
        from tests.factories.api import ApiClientFactory

        return ApiClientFactory(local_authorities=[self.school.local_authority])

    @cached_property
    def api_token(self):
        from api.services import issue_api_token

        return issue_api_token(client=self.api_client)[0]

    @cached_property
    def delivery(self):
        from tests.factories.notifications import FailedDeliveryFactory

        return FailedDeliveryFactory(object_key=f"concern:{self.concern.pk}")

    @cached_property
    def mfa_reset(self):
        from mfa.models import MFAReset
        from mfa.services import reset_mfa

        return reset_mfa(user=UserFactory(username="lost-phone"), reset_by=None, via=MFAReset.Via.COMMAND)

    @cached_property
    def retention_rule(self):
        from retention.models import RecordType, RetentionRule

        rule = RetentionRule.objects.get(record_type=RecordType.CONCERN)
        rule.save()  # seeded by a migration, without a version: this makes one
        return rule

    @cached_property
    def erasure_candidate(self):
        from retention.models import RecordType
        from tests.factories.retention import ErasureCandidateFactory

        return ErasureCandidateFactory(record_type=RecordType.CONCERN, object_id=self.concern.pk)

    @cached_property
    def erasure_tombstone(self):
        from tests.factories.retention import ErasureTombstoneFactory

        return ErasureTombstoneFactory(confirmed_by=self.dpo)

    @cached_property
    def subject_access_export(self):
        from retention.models import ExportKind, SubjectAccessExport

        return SubjectAccessExport.objects.create(
            kind=ExportKind.PUPIL, school=self.school, pupil_reference=EXPORTED_PUPIL, exported_by=self.dsl
        )

    # The SSO's workspace.
    def _support_activity(self, *, officer, school, pupil_reference: str):
        from tests.factories.workspace import ActivityFactory, category
        from workspace.models import ActivityDetails

        return ActivityFactory(
            officer=officer,
            school=school,
            category=category(ActivityDetails.SUPPORT),
            occurred_on=datetime.date(2026, 10, 1),
            support_kind="victim",
            pupil_reference=pupil_reference,
        )

    @cached_property
    def activity(self):
        return self._support_activity(officer=self.sso.officer, school=self.school, pupil_reference=ACTIVITY_PUPIL)

    @cached_property
    def other_school_activity(self):
        officer = PostingFactory(school=self.other_school, start_date=datetime.date(2020, 1, 1)).officer
        return self._support_activity(
            officer=officer, school=self.other_school, pupil_reference=OTHER_SCHOOL_ACTIVITY_PUPIL
        )

    @cached_property
    def passed_concern(self):
        return ConcernFactory(school=self.school, logged_by=self.sso, raised_by_sso=True, description=PASSED_CONCERN)

    @cached_property
    def activity_category(self):
        from tests.factories.workspace import category

        return category()

    @cached_property
    def touchdown_point(self):
        from tests.factories.workspace import TouchdownPointFactory

        return TouchdownPointFactory(school=self.school)

    @cached_property
    def objective(self):
        from tests.factories.workspace import ObjectiveFactory

        return ObjectiveFactory(posting=self.posting)

    @cached_property
    def youth_service(self):
        from tests.factories.workspace import YouthServiceFactory

        return YouthServiceFactory(ward=self.school.ward)

    @cached_property
    def other_school_youth_service(self):
        from tests.factories.workspace import YouthServiceFactory

        return YouthServiceFactory(ward=self.other_school.ward)

    # The school's child safeguarding statement: version 1 signed and published, version 2 a draft.
    @cached_property
    def statement_in_force(self):
        from tests.factories.statements import SignedStatementFactory

        return SignedStatementFactory(school=self.school, version=1, is_published=True)

    @cached_property
    def statement_draft(self):
        from tests.factories.statements import DraftStatementFactory

        return DraftStatementFactory(
            school=self.school, version=self.statement_in_force.version + 1, commitment=STATEMENT_DRAFT
        )

    @cached_property
    def other_school_statement(self):
        from tests.factories.statements import SignedStatementFactory

        return SignedStatementFactory(school=self.other_school, version=1, is_published=False)

    # Casework: a file sent by the other school to the role holders' school (so their DSL receives
    # it), one between two schools none of the roles works at, a police attendance and a challenge.
    @cached_property
    def transfer(self):
        from safeguarding.models import pupil_of
        from tests.factories.casework import FileTransferFactory

        snapshot = {"concerns": [{"description": TRANSFERRED_FILE, "actions": [], "attachments": []}]}
        return FileTransferFactory(
            from_school=self.other_school,
            to_school=self.school,
            pupil=pupil_of(self.other_school.pk, TRANSFERRED_PUPIL),
            snapshot=snapshot,
        )

    @cached_property
    def other_schools_transfer(self):
        from tests.factories.casework import FileTransferFactory

        return FileTransferFactory(from_school=self.other_school, snapshot={"concerns": []})

    @cached_property
    def police_attendance(self):
        from tests.factories.casework import PoliceAttendanceFactory

        return PoliceAttendanceFactory(school=self.school, purpose_detail=ATTENDANCE_DETAIL)

    @cached_property
    def challenge(self):
        from tests.factories.casework import ProfessionalChallengeFactory

        return ProfessionalChallengeFactory(school=self.school, opened_by=self.dsl, decision=CHALLENGE_DECISION)

    @cached_property
    def other_school_challenge(self):
        from tests.factories.casework import ProfessionalChallengeFactory

        return ProfessionalChallengeFactory(school=self.other_school)

    def axes_row(self, model_name: str):
        # One row per model, however many URLs are built from it (AccessAttempt's fields are unique).
        from axes import models

        model = getattr(models, model_name)
        existing = model.objects.filter(username="someone").first()
        if existing is not None:
            return existing
        fields = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "someone", "path_info": "/"}
        fields |= {"http_accept": "text/html", "attempt_time": timezone.now()}
        if model_name == "AccessAttempt":
            fields |= {"get_data": "", "post_data": "", "failures_since_start": 1}
        return model.objects.create(**fields)


@dataclass(frozen=True)
class Row:
    """One URL of the resolver: how to build it, and what each role gets."""

    url: Callable[[World], str]
    expected: dict[str, Outcome]
    # For a URL of one school's object: builds the same URL for another school's object.
    other_school_url: Callable[[World], str] | None = field(default=None)


def roles(default: Outcome, **per_role: Outcome) -> dict[str, Outcome]:
    unknown = set(per_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    expected = {role: per_role.get(role, default) for role in ROLES}
    # A data protection officer is staff with no other group: plain staff's outcome unless declared.
    expected["dpo"] = per_role.get("dpo", expected["plain_staff"])
    return expected


def admin_roles(
    bcu_manager: Outcome,
    plain_staff: Outcome = DENIED,
    force_lead: Outcome | None = None,
    dpo: Outcome | None = None,
) -> dict[str, Outcome]:
    """The admin sends everyone who is not staff to its log-in page; staff outcomes vary (a force
    lead and the data protection officer get what staff without a group get, unless given)."""
    force_lead = plain_staff if force_lead is None else force_lead
    dpo = plain_staff if dpo is None else dpo
    return roles(LOGIN, plain_staff=plain_staff, bcu_manager=bcu_manager, force_lead=force_lead, dpo=dpo)


def fixed(url: str) -> Callable[[World], str]:
    return lambda world: url


def named(name: str, **kwargs: Callable[[World], object]) -> Callable[[World], str]:
    return lambda world: reverse(name, kwargs={key: build(world) for key, build in kwargs.items()})


@dataclass(frozen=True)
class AdminModel:
    """Expected BCU manager outcomes on one ModelAdmin's standard pages (other roles: see ``admin_roles``),
    and a force lead's and the data protection officer's where their group holds a right on the model."""

    app_model: str  # "app_label.model_name"
    obj: Callable[[World], object]
    changelist: Outcome
    add: Outcome
    change: Outcome
    delete: Outcome
    history: Outcome
    simple_history: Outcome | None = None  # a history version's page, when the admin is a SimpleHistoryAdmin
    force_lead: dict[str, Outcome] = field(default_factory=dict)  # by page, as the fields above; else DENIED
    dpo: dict[str, Outcome] = field(default_factory=dict)  # by page; DENIED where not given

    def rows(self) -> dict[str, Row]:
        app_label, model_name = self.app_model.split(".")
        prefix = f"admin:{app_label}_{model_name}"

        def page(action: str) -> Callable[[World], str]:
            return lambda world: reverse(f"{prefix}_{action}", args=[self.obj(world).pk])

        def expected(action: str) -> dict[str, Outcome]:
            return admin_roles(
                getattr(self, action), force_lead=self.force_lead.get(action, DENIED), dpo=self.dpo.get(action, DENIED)
            )

        rows = {
            f"{prefix}_changelist": Row(named(f"{prefix}_changelist"), expected("changelist")),
            f"{prefix}_add": Row(named(f"{prefix}_add"), expected("add")),
            f"{prefix}_change": Row(page("change"), expected("change")),
            f"{prefix}_delete": Row(page("delete"), expected("delete")),
            f"{prefix}_history": Row(page("history"), expected("history")),
            # Django's legacy "<id>/" URL only redirects to the change page (checked above).
            f"admin/{app_label}/{model_name}/<path:object_id>/": Row(
                lambda world: f"/admin/{app_label}/{model_name}/{self.obj(world).pk}/",
                admin_roles(OK, plain_staff=OK),
            ),
        }
        if self.simple_history is not None:

            def version_page(world: World) -> str:
                obj = self.obj(world)
                return reverse(f"{prefix}_simple_history", args=[obj.pk, obj.history.first().history_id])

            rows[f"{prefix}_simple_history"] = Row(version_page, expected("simple_history"))
        return rows


# BCU manager outcomes, by the rights migrations give the group.
FULL = {"changelist": OK, "add": OK, "change": OK, "delete": OK, "history": OK}
FULL_WITH_VERSIONS = FULL | {"simple_history": OK}
NONE = {"changelist": DENIED, "add": DENIED, "change": DENIED, "delete": DENIED, "history": DENIED}
READ_ONLY = {"changelist": OK, "add": DENIED, "change": OK, "delete": DENIED, "history": OK}
# A force lead views officers (to choose the one invited) and views and adds invitations.
FORCE_LEAD_VIEWS = READ_ONLY | {"simple_history": OK}
FORCE_LEAD_INVITES = FORCE_LEAD_VIEWS | {"add": OK}

ADMIN_MODELS = [
    AdminModel("auth.group", lambda w: Group.objects.get(name=BCU_MANAGER_GROUP), **NONE),
    AdminModel("auth.user", lambda w: w.plain_user, **NONE),
    AdminModel("axes.accessattempt", lambda w: w.axes_row("AccessAttempt"), **NONE),
    AdminModel("axes.accesslog", lambda w: w.axes_row("AccessLog"), **NONE),
    AdminModel("axes.accessfailurelog", lambda w: w.axes_row("AccessFailureLog"), **NONE),
    # Administrators only: who reset whose MFA (the reset itself is an action on users).
    AdminModel("mfa.mfareset", lambda w: w.mfa_reset, **NONE),
    AdminModel("schools.localauthority", lambda w: LocalAuthorityFactory(), **FULL),
    AdminModel("schools.ward", lambda w: WardFactory(), **FULL),
    AdminModel("schools.school", lambda w: w.school, **FULL_WITH_VERSIONS),
    AdminModel("schools.dslcontact", lambda w: w.dsl_contact, **FULL_WITH_VERSIONS),
    # Made by accepting an invitation; administrators end them.
    AdminModel("schools.schoolstaff", lambda w: w.school_staff, **NONE, simple_history=DENIED),
    AdminModel("officers.bcu", lambda w: w.riverbank, **FULL),
    AdminModel("officers.officer", lambda w: w.posting.officer, **FULL_WITH_VERSIONS, force_lead=FORCE_LEAD_VIEWS),
    AdminModel("officers.posting", lambda w: w.posting, **FULL_WITH_VERSIONS),
    AdminModel("officers.trainingcourse", lambda w: TrainingCourseFactory(), **FULL),
    AdminModel("officers.trainingrecord", lambda w: w.training_record, **FULL_WITH_VERSIONS),
    AdminModel("officers.suitabilityassessment", lambda w: w.suitability_assessment, **FULL_WITH_VERSIONS),
    AdminModel("priorities.scoringmodel", lambda w: ScoringModelFactory(), **FULL_WITH_VERSIONS),
    AdminModel("priorities.partneradvice", lambda w: w.partner_advice, **FULL_WITH_VERSIONS),
    AdminModel("priorities.crimeaggregate", lambda w: CrimeAggregateFactory(), **READ_ONLY),
    AdminModel("priorities.dataimport", lambda w: w.data_import, **READ_ONLY),
    AdminModel("priorities.priorityrun", lambda w: w.priority_score.run, **READ_ONLY),
    AdminModel("priorities.priorityscore", lambda w: w.priority_score, **READ_ONLY),
    # The access log (who read which concern, and when) is the data protection officer's, who
    # exports it; BCU managers see concern counts only. Nobody but auditors reads concerns.
    AdminModel("safeguarding.concernauditentry", lambda w: w.concern_audit_entry, **NONE, dpo=READ_ONLY),
    AdminModel("safeguarding.accesslogexport", lambda w: w.access_log_export, **NONE, dpo=READ_ONLY),
    AdminModel("safeguarding.concern", lambda w: w.concern, **NONE, simple_history=DENIED),
    # Search records can be recorded and corrected, never deleted.
    AdminModel("searches.searchrecord", lambda w: w.search_record, **FULL_WITH_VERSIONS | {"delete": DENIED}),
    AdminModel("searches.pupilpopulation", lambda w: w.pupil_population, **FULL),
    # Section 60 authorisations: recorded and corrected, never deleted, as search records.
    AdminModel("searches.section60authorisation", lambda w: w.section_60, **FULL_WITH_VERSIONS | {"delete": DENIED}),
    # E-mail deliveries (recipients' addresses, and mail errors) are for superusers only.
    AdminModel("notifications.delivery", lambda w: w.delivery, **NONE),
    AdminModel("api.apiclient", lambda w: w.api_client, **FULL_WITH_VERSIONS),
    # Tokens are issued from the client page only, so the secret is shown once.
    AdminModel("api.apitoken", lambda w: w.api_token, **FULL_WITH_VERSIONS | {"add": DENIED, "delete": DENIED}),
    # BCU managers invite nobody; force leads invite officers (an invitation is never changed nor deleted).
    AdminModel(
        "invitations.invitation", lambda w: w.invitation, **NONE, simple_history=DENIED, force_lead=FORCE_LEAD_INVITES
    ),
    # Retention and rights: the data protection officer's alone. Rules are changed, never added or
    # deleted; candidates are decided through actions; tombstones and the export log are read only.
    AdminModel(
        "retention.retentionrule",
        lambda w: w.retention_rule,
        **NONE,
        simple_history=DENIED,
        dpo=READ_ONLY | {"simple_history": OK},
    ),
    AdminModel(
        "retention.erasurecandidate",
        lambda w: w.erasure_candidate,
        **NONE,
        simple_history=DENIED,
        dpo=READ_ONLY | {"simple_history": OK},
    ),
    # The SSO's workspace: the log is written by SSOs and read by managers; categories are retired, not deleted.
    AdminModel("workspace.activity", lambda w: w.activity, **READ_ONLY, simple_history=OK),
    AdminModel("workspace.activitycategory", lambda w: w.activity_category, **FULL | {"delete": DENIED}),
    AdminModel("workspace.touchdownpoint", lambda w: w.touchdown_point, **FULL_WITH_VERSIONS),
    AdminModel("workspace.objective", lambda w: w.objective, **FULL_WITH_VERSIONS),
    AdminModel("workspace.youthservice", lambda w: w.youth_service, **FULL_WITH_VERSIONS),
    AdminModel("retention.erasuretombstone", lambda w: w.erasure_tombstone, **NONE, dpo=READ_ONLY),
    AdminModel("retention.subjectaccessexport", lambda w: w.subject_access_export, **NONE, dpo=READ_ONLY),
]

ADMIN_REPORT = admin_roles(OK, force_lead=DENIED)  # custom admin views for BCU managers only

ADMIN_SITE: dict[str, Row] = {
    "admin:index": Row(named("admin:index"), admin_roles(OK, plain_staff=OK)),
    # The admin index, answered first by the desk: BCU managers are sent on to their start page
    # (a redirect within the admin), other staff get the index.
    "desk:admin-home": Row(named("desk:admin-home"), admin_roles(OK, plain_staff=OK)),
    "desk:start": Row(named("desk:start"), ADMIN_REPORT),
    # Anyone may see the admin log-in form; staff already signed in are sent on to the index.
    "admin:login": Row(named("admin:login"), roles(OK)),
    "admin:logout": Row(named("admin:logout"), roles(na("POST only (405 to GET)"))),
    "admin:password_change": Row(named("admin:password_change"), admin_roles(OK, plain_staff=OK)),
    "admin:password_change_done": Row(named("admin:password_change_done"), admin_roles(OK, plain_staff=OK)),
    "admin:jsi18n": Row(named("admin:jsi18n"), admin_roles(OK, plain_staff=OK)),
    "admin:autocomplete": Row(
        lambda w: reverse("admin:autocomplete") + "?app_label=officers&model_name=posting&field_name=school",
        admin_roles(OK),
    ),
    "admin:app_list": Row(lambda w: reverse("admin:app_list", args=["officers"]), admin_roles(OK, force_lead=OK)),
    # No model has get_absolute_url, so "view on site" is a 404 for every staff user.
    "admin:view_on_site": Row(
        lambda w: reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(w.school).pk, w.school.pk]),
        admin_roles(DENIED),
    ),
    "admin/(?P<url>.*)$": Row(fixed("/admin/no-such-page/"), admin_roles(DENIED)),
    "admin:auth_user_password_change": Row(
        lambda w: reverse("admin:auth_user_password_change", args=[w.plain_user.pk]), admin_roles(DENIED)
    ),
    "admin:officers_officer_training_compliance": Row(
        named("admin:officers_officer_training_compliance"), ADMIN_REPORT
    ),
    "admin:officers_officer_vacancies": Row(named("admin:officers_officer_vacancies"), ADMIN_REPORT),
    "admin:officers_trainingcourse_evaluation": Row(named("admin:officers_trainingcourse_evaluation"), ADMIN_REPORT),
    "admin:priorities_priorityscore_export": Row(named("admin:priorities_priorityscore_export"), ADMIN_REPORT),
    # The school map's markers: the priority list's schools as filtered (names, ranks, officers).
    "admin:priorities_priorityscore_map": Row(named("admin:priorities_priorityscore_map"), ADMIN_REPORT),
    "admin:searches_searchrecord_report": Row(named("admin:searches_searchrecord_report"), ADMIN_REPORT),
    "admin:searches_searchrecord_report_csv": Row(named("admin:searches_searchrecord_report_csv"), ADMIN_REPORT),
    "admin:searches_searchrecord_open_data": Row(
        lambda w: reverse("admin:searches_searchrecord_open_data") + "?month=2026-10", ADMIN_REPORT
    ),
    # The data protection officer's decisions are posted from the candidate list's actions.
    "admin:retention_erasurecandidate_confirm": Row(
        named("admin:retention_erasurecandidate_confirm"),
        roles(na("POST only (405 to GET); tests/retention/test_admin.py posts as each role")),
    ),
    "admin:retention_erasurecandidate_hold": Row(
        named("admin:retention_erasurecandidate_hold"),
        roles(na("POST only (405 to GET); tests/retention/test_admin.py posts as each role")),
    ),
    # An officer's subject access export: force leads (tests/retention/test_exports.py) and the DPO.
    "admin:retention_officerdataexport_changelist": Row(
        named("admin:retention_officerdataexport_changelist"), admin_roles(DENIED, force_lead=OK, dpo=OK)
    ),
    # The access log as CSV: the data protection officer's only.
    "admin:safeguarding_concernauditentry_export": Row(
        named("admin:safeguarding_concernauditentry_export"), admin_roles(DENIED, dpo=OK)
    ),
}


def concern_url(name: str, attachment: bool = False) -> tuple[Callable[[World], str], Callable[[World], str]]:
    """The URL for the role holders' school's concern, and the same for the other school's."""

    def build(concern_of: str, attachment_of: str) -> Callable[[World], str]:
        def url(world: World) -> str:
            kwargs = {"concern_id": getattr(world, concern_of).pk}
            if attachment:
                kwargs["attachment_id"] = getattr(world, attachment_of).pk
            return reverse(name, kwargs=kwargs)

        return url

    return build("concern", "attachment"), build("other_school_concern", "other_school_attachment")


def concern_row(name: str, expected: dict[str, Outcome], attachment: bool = False) -> Row:
    mine, theirs = concern_url(name, attachment)
    return Row(mine, expected, other_school_url=theirs)


POST_ONLY = roles(na("POST only (405 to GET); tests/safeguarding/test_access_matrix.py posts as every role"))
PORTAL_READERS = roles(DENIED, anonymous=LOGIN, sso=OK, dsl=OK)
PORTAL_DSL = roles(DENIED, anonymous=LOGIN, dsl=OK)
AGGREGATE_READERS = roles(DENIED, anonymous=LOGIN, bcu_manager=OK, council_reader=OK)
SCHOOL_MEMBERS = roles(DENIED, anonymous=LOGIN, staff_member=OK, dsl=OK)
RECORD_POST_ONLY = roles(na("POST only (405 to GET); tests/safeguarding/test_record_views.py posts as each role"))

PORTAL: dict[str, Row] = {
    # BCU managers and council readers are sent on to the statistics page.
    "safeguarding:dashboard": Row(
        named("safeguarding:dashboard"),
        roles(OK, anonymous=LOGIN, plain_user=DENIED, plain_staff=DENIED, force_lead=DENIED, dpo=DENIED),
    ),
    "safeguarding:concern-list": Row(named("safeguarding:concern-list"), PORTAL_READERS),
    "safeguarding:concern-create": Row(named("safeguarding:concern-create"), PORTAL_DSL),
    "safeguarding:concern-detail": concern_row("safeguarding:concern-detail", PORTAL_READERS),
    "safeguarding:concern-add-action": concern_row("safeguarding:concern-add-action", POST_ONLY),
    "safeguarding:concern-change-status": concern_row("safeguarding:concern-change-status", POST_ONLY),
    "safeguarding:concern-share": concern_row("safeguarding:concern-share", POST_ONLY),
    "safeguarding:concern-notices-again": concern_row("safeguarding:concern-notices-again", POST_ONLY),
    "safeguarding:concern-add-attachment": concern_row("safeguarding:concern-add-attachment", POST_ONLY),
    "safeguarding:attachment-download": concern_row("safeguarding:attachment-download", PORTAL_READERS, True),
    "safeguarding:contact-details": Row(named("safeguarding:contact-details"), PORTAL_DSL),
    "safeguarding:access-log": Row(named("safeguarding:access-log"), PORTAL_DSL),
    "safeguarding:statistics": Row(named("safeguarding:statistics"), AGGREGATE_READERS),
    # A pupil's subject access export, for their school's DSL (scoping: tests/retention/test_exports.py).
    "retention:pupil-export": Row(named("retention:pupil-export"), PORTAL_DSL),
    # The school's safeguarding record. Staff report and see their own reports and tasks; the DSL
    # triages, reads the pupils' chronology and sets tasks; council readers and managers see none
    # of it (their counts are on the statistics page).
    "safeguarding:staff-reports": Row(named("safeguarding:staff-reports"), SCHOOL_MEMBERS),
    "safeguarding:staff-report-create": Row(named("safeguarding:staff-report-create"), SCHOOL_MEMBERS),
    "safeguarding:triage": Row(named("safeguarding:triage"), PORTAL_DSL),
    "safeguarding:triage-report": Row(
        named("safeguarding:triage-report", report_id=lambda w: w.colleague_report.pk),
        PORTAL_DSL,
        other_school_url=named("safeguarding:triage-report", report_id=lambda w: w.other_school_report.pk),
    ),
    "safeguarding:triage-accept": Row(
        named("safeguarding:triage-accept", report_id=lambda w: w.colleague_report.pk), RECORD_POST_ONLY
    ),
    "safeguarding:triage-link": Row(
        named("safeguarding:triage-link", report_id=lambda w: w.colleague_report.pk), RECORD_POST_ONLY
    ),
    "safeguarding:triage-close": Row(
        named("safeguarding:triage-close", report_id=lambda w: w.colleague_report.pk), RECORD_POST_ONLY
    ),
    "safeguarding:pupil-list": Row(named("safeguarding:pupil-list"), PORTAL_DSL),
    "safeguarding:pupil-detail": Row(
        named("safeguarding:pupil-detail", pupil_id=lambda w: w.task.pupil_id),
        PORTAL_DSL,
        other_school_url=named("safeguarding:pupil-detail", pupil_id=lambda w: w.other_school_concern.pupil_id),
    ),
    "safeguarding:task-create": Row(
        named("safeguarding:task-create", pupil_id=lambda w: w.concern.pupil_id),
        PORTAL_DSL,
        other_school_url=named("safeguarding:task-create", pupil_id=lambda w: w.other_school_concern.pupil_id),
    ),
    "safeguarding:my-tasks": Row(named("safeguarding:my-tasks"), SCHOOL_MEMBERS),
    "safeguarding:task-complete": Row(
        named("safeguarding:task-complete", task_id=lambda w: w.task.pk), RECORD_POST_ONLY
    ),
    # The DSL's, and the reporting staff member's once their report is on the concern (not this one).
    "safeguarding:body-map": concern_row("safeguarding:body-map", PORTAL_DSL),
}

INVITATIONS: dict[str, Row] = {
    "invitations:staff": Row(named("invitations:staff"), PORTAL_DSL),
    "invitations:staff-invite": Row(named("invitations:staff-invite"), PORTAL_DSL),
    "invitations:staff-invitation-withdraw": Row(
        named("invitations:staff-invitation-withdraw", invitation_id=lambda w: w.invitation.pk),
        roles(na("POST only (405 to GET); tests/invitations/test_portal_pages.py posts as every role")),
    ),
    # The link's page: a form for anyone signed out; a refusal for any login without the invited address.
    "invitations:accept": Row(
        named("invitations:accept", token=lambda w: token_of(w.invitation)), roles(DENIED, anonymous=OK)
    ),
}

SEARCHES: dict[str, Row] = {
    "searches:summary": Row(named("searches:summary"), AGGREGATE_READERS),
    # An SSO records and follows up their own searches; nobody else has these pages.
    "searches:record-choose": Row(named("searches:record-choose"), roles(DENIED, anonymous=LOGIN, sso=OK)),
    "searches:record": Row(
        named("searches:record", search_type=lambda w: "eip"), roles(DENIED, anonymous=LOGIN, sso=OK)
    ),
    "searches:my-searches": Row(named("searches:my-searches"), roles(DENIED, anonymous=LOGIN, sso=OK)),
    # The SSO's own search; the marked search (another officer's, at the SSO's school) does not exist for them.
    "searches:my-search": Row(
        named("searches:my-search", search_id=lambda w: w.own_search.pk),
        roles(DENIED, anonymous=LOGIN, sso=OK),
        other_school_url=named("searches:my-search", search_id=lambda w: w.search_record.pk),
    ),
}

PORTAL_SSO = roles(DENIED, anonymous=LOGIN, sso=OK)
WORKSPACE: dict[str, Row] = {
    "workspace:my-schools": Row(named("workspace:my-schools"), PORTAL_SSO),
    "workspace:activity-list": Row(named("workspace:activity-list"), PORTAL_SSO),
    "workspace:activity-choose": Row(named("workspace:activity-choose"), PORTAL_SSO),
    "workspace:activity-create": Row(
        named("workspace:activity-create", category_id=lambda w: w.activity_category.pk), PORTAL_SSO
    ),
    # An SSO's own activity at their school; another school's (another officer's) does not exist for them.
    "workspace:activity-detail": Row(
        named("workspace:activity-detail", activity_id=lambda w: w.activity.pk),
        PORTAL_SSO,
        other_school_url=named("workspace:activity-detail", activity_id=lambda w: w.other_school_activity.pk),
    ),
    "workspace:youth-service-list": Row(named("workspace:youth-service-list"), PORTAL_SSO),
    # What the SSO passed to their schools' DSLs (as sent), and the form to pass one.
    "workspace:concerns-passed": Row(named("workspace:concerns-passed"), PORTAL_SSO),
    "workspace:concern-pass": Row(named("workspace:concern-pass"), PORTAL_SSO),
    # Counts of SSO activity: managers and council readers; a DSL, their own school's.
    "workspace:activity-summary": Row(
        named("workspace:activity-summary"), roles(DENIED, anonymous=LOGIN, bcu_manager=OK, council_reader=OK, dsl=OK)
    ),
    "workspace:youth-service-create": Row(named("workspace:youth-service-create"), PORTAL_SSO),
    "workspace:youth-service-edit": Row(
        named("workspace:youth-service-edit", service_id=lambda w: w.youth_service.pk),
        PORTAL_SSO,
        other_school_url=named("workspace:youth-service-edit", service_id=lambda w: w.other_school_youth_service.pk),
    ),
    # The school's DSL sets it here; BCU managers in the admin.
    "workspace:touchdown-point": Row(
        named("workspace:touchdown-point", school_id=lambda w: w.school.pk),
        PORTAL_DSL,
        other_school_url=named("workspace:touchdown-point", school_id=lambda w: w.other_school.pk),
    ),
}

CASEWORK_POST_ONLY = roles(na("POST only (405 to GET); tests/casework posts as the roles concerned"))
CASEWORK: dict[str, Row] = {
    "casework:transfer-list": Row(named("casework:transfer-list"), PORTAL_DSL),
    "casework:transfer-create": Row(named("casework:transfer-create"), PORTAL_DSL),
    "casework:transfer-create-outside": Row(named("casework:transfer-create-outside"), PORTAL_DSL),
    # Sent to the DSL's school, so it is theirs to read; a transfer between two other schools does
    # not exist for them.
    "casework:transfer-detail": Row(
        named("casework:transfer-detail", transfer_id=lambda w: w.transfer.pk),
        PORTAL_DSL,
        other_school_url=named("casework:transfer-detail", transfer_id=lambda w: w.other_schools_transfer.pk),
    ),
    "casework:transfer-acknowledge": Row(
        named("casework:transfer-acknowledge", transfer_id=lambda w: w.transfer.pk), CASEWORK_POST_ONLY
    ),
    "casework:transfer-receipt": Row(
        named("casework:transfer-receipt", transfer_id=lambda w: w.transfer.pk), CASEWORK_POST_ONLY
    ),
    "casework:attendance-list": Row(named("casework:attendance-list"), PORTAL_DSL),
    "casework:attendance-create": Row(named("casework:attendance-create"), PORTAL_DSL),
    # Any DSL or SSO opens a challenge; an SSO reads the ones they opened (not the DSL's, below).
    "casework:challenge-list": Row(named("casework:challenge-list"), PORTAL_READERS),
    "casework:challenge-create": Row(named("casework:challenge-create"), PORTAL_READERS),
    "casework:challenge-detail": Row(
        named("casework:challenge-detail", challenge_id=lambda w: w.challenge.pk),
        PORTAL_DSL,
        other_school_url=named("casework:challenge-detail", challenge_id=lambda w: w.other_school_challenge.pk),
    ),
    "casework:challenge-respond": Row(
        named("casework:challenge-respond", challenge_id=lambda w: w.challenge.pk), CASEWORK_POST_ONLY
    ),
    "casework:challenge-escalate": Row(
        named("casework:challenge-escalate", challenge_id=lambda w: w.challenge.pk), CASEWORK_POST_ONLY
    ),
    "casework:challenge-resolve": Row(
        named("casework:challenge-resolve", challenge_id=lambda w: w.challenge.pk), CASEWORK_POST_ONLY
    ),
    # The partnership's counts: BCU managers and council readers, counts only.
    "casework:challenge-statistics": Row(named("casework:challenge-statistics"), AGGREGATE_READERS),
}

# The council API answers 401 to every request without a bearer token, whoever is signed in.
API_TOKEN_ONLY = roles(NO_TOKEN)
API: dict[str, Row] = {
    "v1:school-list": Row(named("v1:school-list"), API_TOKEN_ONLY),
    "v1:school-detail": Row(named("v1:school-detail", urn=lambda w: w.school.urn), API_TOKEN_ONLY),
    "v1:posting-list": Row(named("v1:posting-list"), API_TOKEN_ONLY),
    "v1:posting-detail": Row(named("v1:posting-detail", pk=lambda w: w.posting.pk), API_TOKEN_ONLY),
    "v1:dsl-contact-list": Row(named("v1:dsl-contact-list"), API_TOKEN_ONLY),
    "v1:dsl-contact-detail": Row(named("v1:dsl-contact-detail", pk=lambda w: w.dsl_contact.pk), API_TOKEN_ONLY),
    "v1:training-compliance-list": Row(named("v1:training-compliance-list"), API_TOKEN_ONLY),
    "v1:concern-statistics-list": Row(named("v1:concern-statistics-list"), API_TOKEN_ONLY),
    "v1:search-statistics": Row(
        lambda w: reverse("v1:search-statistics") + "?month=2026-10&group_by=age_band",
        API_TOKEN_ONLY,
    ),
    "v1:activity-summary": Row(
        lambda w: reverse("v1:activity-summary") + "?month=2026-10&group_by=category", API_TOKEN_ONLY
    ),
    "v1:changes": Row(named("v1:changes"), API_TOKEN_ONLY),
    # Any other path under /api/v1/: 401 without a token, a JSON 404 with one (tests/api).
    "v1:unknown-path": Row(fixed("/api/v1/no-such-endpoint/"), API_TOKEN_ONLY),
    # The OpenAPI description and its viewer are public: they hold the shape of the API, no data.
    "api-schema": Row(named("api-schema"), roles(OK)),
    "api-docs": Row(named("api-docs"), roles(OK)),
}

SITE: dict[str, Row] = {
    "home": Row(named("home"), roles(OK)),
    "login": Row(named("login"), roles(OK)),
    "logout": Row(named("logout"), roles(na("POST only (405 to GET)"))),
    # Public for load balancers: "ok" or "unavailable", nothing about any record (tests/core/test_health.py).
    "health": Row(named("health"), roles(OK)),
}

# Every signed-in person's own MFA pages. The sessions here have passed MFA, so enrolment and the
# code step send them on; tests/mfa proves each step with password-only sessions.
MFA: dict[str, Row] = {
    "mfa:setup": Row(named("mfa:setup"), roles(ONWARD, anonymous=LOGIN)),
    "mfa:verify": Row(named("mfa:verify"), roles(ONWARD, anonymous=LOGIN)),
    "mfa:recovery-codes": Row(named("mfa:recovery-codes"), roles(OK, anonymous=LOGIN)),
}

# A school's child safeguarding statement: its DSLs (and head teacher: HEAD_TEACHER_STATEMENT_PAGES) in
# the portal; anyone, signed in or not, reads the published one.
STATEMENTS: dict[str, Row] = {
    "statements:overview": Row(named("statements:overview"), PORTAL_DSL),
    "statements:draft": Row(
        named("statements:draft", school_id=lambda w: w.school.pk),
        PORTAL_DSL,
        other_school_url=named("statements:draft", school_id=lambda w: w.other_school.pk),
    ),
    "statements:version": Row(
        named("statements:version", statement_id=lambda w: w.statement_draft.pk),
        PORTAL_DSL,
        other_school_url=named("statements:version", statement_id=lambda w: w.other_school_statement.pk),
    ),
    "statements:sign": Row(
        named("statements:sign", statement_id=lambda w: w.statement_draft.pk),
        roles(na("POST only (405 to GET); tests/statements/test_access.py posts as every role")),
    ),
    "statements:publication": Row(
        named("statements:publication", statement_id=lambda w: w.statement_in_force.pk),
        roles(na("POST only (405 to GET); tests/statements/test_access.py posts as every role")),
    ),
    # Only a published statement has a public page (an unpublished one: tests/statements/test_pages.py).
    "statements:public": Row(named("statements:public", urn=lambda w: w.statement_in_force.school.urn), roles(OK)),
}

EXPECTED: dict[str, Row] = {
    **SITE,
    **MFA,
    **ADMIN_SITE,
    **{key: row for model in ADMIN_MODELS for key, row in model.rows().items()},
    **PORTAL,
    **INVITATIONS,
    **SEARCHES,
    **WORKSPACE,
    **STATEMENTS,
    **CASEWORK,
    **API,
}


def resolver_urls(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Callable]]:
    """Every URL of the project: its key (namespaced name, or full pattern when it has no name),
    its full pattern and its view."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from resolver_urls(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            key = (f"{namespace}:{pattern.name}" if namespace else pattern.name) if pattern.name else route
            yield key, route, pattern.callback


def resolver_keys() -> set[str]:
    return {key for key, _, _ in resolver_urls()}


def test_every_url_of_the_project_is_declared():
    undeclared = sorted(resolver_keys() - set(EXPECTED))
    assert not undeclared, f"declare who may see these URLs in EXPECTED: {undeclared}"


def test_every_declared_url_still_exists():
    assert not sorted(set(EXPECTED) - resolver_keys())


# Model admins that serve one page instead of the standard ones: that page is declared in ADMIN_SITE.
ADMIN_MODELS_WITHOUT_STANDARD_PAGES = {"retention.officerdataexport"}


def test_every_model_admin_has_its_standard_pages_declared():
    declared = {model.app_model for model in ADMIN_MODELS} | ADMIN_MODELS_WITHOUT_STANDARD_PAGES
    registered = {f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry}
    assert declared == registered


def test_every_declared_role_outcome_is_known():
    for key, row in EXPECTED.items():
        assert set(row.expected) == set(ROLES), key
        kinds = {"ok", "login", "denied", "no-token", "onward", "n/a"}
        assert all(outcome.kind in kinds for outcome in row.expected.values())
        assert all(outcome.reason for outcome in row.expected.values() if outcome.kind == "n/a"), key


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[tuple[World, Path]]:
    # Built once for the module's ~1,900 tests (tests/conftest.py: SharedTestData); each test
    # writes inside a savepoint that is rolled back, and gets its own copy of the objects.
    private_media = tmp_path_factory.mktemp("private-media")
    with (
        override_settings(PRIVATE_MEDIA_ROOT=private_media),
        SharedTestData(django_db_blocker, lambda: World().open_sessions()) as world,
    ):
        yield world, private_media


class _CopiedWorld:
    """A test's own copy of the shared ``World``, made as each object is first read.

    Like Django's ``setUpTestData``, each test gets deep copies of the shared objects, so that
    what it changes in them is not seen by the next test; but a request needs a few of the
    objects, and copying the whole world before each of ~3,000 tests was a tenth of the module's
    time. All copies of one test share one memo, so copied objects refer to each other as the
    shared ones do. Objects the shared world has not built are built on this copy, as before.
    """

    def __init__(self, shared: World) -> None:
        self.__dict__["_shared"] = shared
        self.__dict__["_memo"] = {}

    def __getattr__(self, name: str):
        built = self._shared.__dict__
        if name in built:
            value = copy.deepcopy(built[name], self._memo)
        else:
            attribute = getattr(World, name)
            if not isinstance(attribute, cached_property):
                # Methods and properties of World, bound to this copy.
                return attribute.__get__(self, World) if hasattr(attribute, "__get__") else attribute
            value = attribute.func(self)
        self.__dict__[name] = value
        return value


@pytest.fixture
def world(_shared_world, db, settings) -> World:
    shared, private_media = _shared_world
    settings.PRIVATE_MEDIA_ROOT = private_media
    return _CopiedWorld(shared)


def _get(client, world: World, role: str, url: str):
    world.sign_in(client, role)
    return client.get(url)


def _is_login_redirect(response) -> bool:
    if response.status_code != 302:
        return False
    path = urlsplit(response.url).path
    return path in (reverse("login"), reverse("admin:login"))


def _is_mfa_step(response) -> bool:
    return response.status_code == 302 and urlsplit(response.url).path in (reverse("mfa:setup"), reverse("mfa:verify"))


def _area(path: str) -> str:
    return path.strip("/").split("/", 1)[0]


def assert_outcome(response, url: str, outcome: Outcome) -> None:
    status = response.status_code
    if outcome == OK:
        if status == 302:
            assert not _is_login_redirect(response), f"{url} sent to log in: {response.url}"
            assert _area(urlsplit(response.url).path) == _area(url), f"{url} redirected away to {response.url}"
        else:
            assert status == 200, f"{url} answered {status}"
    elif outcome == LOGIN:
        assert _is_login_redirect(response), f"{url} answered {status} {response.get('Location', '')}"
    elif outcome == DENIED:
        assert status in (403, 404), f"{url} answered {status} {response.get('Location', '')}"
    elif outcome == NO_TOKEN:
        assert status == 401, f"{url} answered {status}"
    elif outcome == ONWARD:
        assert status == 302, f"{url} answered {status}"
        assert urlsplit(response.url).netloc in ("", "testserver"), f"{url} sent to {response.url}"
        assert not _is_login_redirect(response) and not _is_mfa_step(response), f"{url} sent to {response.url}"
    else:
        assert status < 500


def response_text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def assert_no_marker_leaks(response, role: str) -> None:
    text = response_text(response)
    leaked = [marker for marker, readers in MARKER_READERS.items() if role not in readers and marker in text]
    assert not leaked, f"{role} was shown {leaked}"


# Known access-control bugs found by this matrix: (url key, role) -> what happens.
KNOWN_BUGS: dict[tuple[str, str], str] = {}

CASES = [
    pytest.param(
        key,
        role,
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[key, role])] if (key, role) in KNOWN_BUGS else [],
        id=f"{key} as {role}",
    )
    for key in EXPECTED
    for role in ROLES
]


@pytest.mark.parametrize(("key", "role"), CASES)
def test_url_access(client, world, key, role):
    row = EXPECTED[key]
    outcome = row.expected[role]
    url = row.url(world)

    response = _get(client, world, role, url)

    assert_outcome(response, url, outcome)
    assert_no_marker_leaks(response, role)


OBJECT_CASES = [
    pytest.param(key, role, id=f"{key} as {role}")
    for key, row in EXPECTED.items()
    if row.other_school_url is not None
    for role in ("sso", "dsl")
    if row.expected[role] == OK
]


@pytest.mark.parametrize(("key", "role"), OBJECT_CASES)
def test_another_schools_object_is_404(client, world, key, role):
    url = EXPECTED[key].other_school_url(world)

    response = _get(client, world, role, url)

    assert response.status_code == 404
    assert_no_marker_leaks(response, role)


# Where each marker is legitimately shown: proves the markers render, so the leak checks above can fail.
MARKER_SHOWN = [
    ("safeguarding:concern-detail", "dsl", CONCERN_DESCRIPTION),
    ("safeguarding:concern-detail", "sso", CONCERN_PUPIL),
    ("safeguarding:attachment-download", "sso", ATTACHMENT_CONTENT),
    ("admin:searches_searchrecord_change", "bcu_manager", SEARCH_REASON),
    ("admin:retention_subjectaccessexport_changelist", "dpo", EXPORTED_PUPIL),
    ("workspace:activity-detail", "sso", ACTIVITY_PUPIL),
    ("admin:workspace_activity_change", "bcu_manager", ACTIVITY_PUPIL),
    ("workspace:concerns-passed", "sso", PASSED_CONCERN),
    ("safeguarding:staff-reports", "staff_member", OWN_REPORT_PUPIL),
    ("safeguarding:triage", "dsl", COLLEAGUE_REPORT_PUPIL),
    ("safeguarding:triage-report", "dsl", COLLEAGUE_REPORT_TEXT),
    ("safeguarding:pupil-detail", "dsl", TASK_DESCRIPTION),
    ("safeguarding:body-map", "dsl", BODY_MARK_NOTE),
    ("safeguarding:my-tasks", "staff_member", TASK_DESCRIPTION),
    ("statements:version", "dsl", STATEMENT_DRAFT),
    ("casework:transfer-detail", "dsl", TRANSFERRED_FILE),
    ("casework:transfer-list", "dsl", TRANSFERRED_PUPIL),
    ("casework:attendance-list", "dsl", ATTENDANCE_DETAIL),
    ("casework:challenge-detail", "dsl", CHALLENGE_DECISION),
]


@pytest.mark.parametrize(("key", "role", "marker"), MARKER_SHOWN, ids=[f"{k} as {r}" for k, r, _ in MARKER_SHOWN])
def test_marker_is_shown_to_a_role_allowed_to_read_it(client, world, key, role, marker):
    assert role in MARKER_READERS[marker]

    response = _get(client, world, role, EXPECTED[key].url(world))

    assert marker in response_text(response)


def test_other_school_markers_are_shown_to_that_schools_dsl(client, world):
    other_dsl = UserFactory(username="other-dsl")
    DSLContactFactory(school=world.other_school, user=other_dsl)
    client.force_login(other_dsl)

    text = response_text(client.get(EXPECTED["safeguarding:concern-detail"].other_school_url(world)))

    assert OTHER_SCHOOL_CONCERN_DESCRIPTION in text
    assert OTHER_SCHOOL_CONCERN_PUPIL in text


# The portal's POST-only concern URLs, with a valid form, sent to another school's concern.
OTHER_SCHOOL_POSTS = {
    "safeguarding:concern-add-action": {"action-taken_on": "2026-09-01", "action-summary": "Phoned parent"},
    "safeguarding:concern-change-status": {"status-status": "under_review"},
    "safeguarding:concern-share": {},
    "safeguarding:concern-notices-again": {},
    "safeguarding:concern-add-attachment": {},
}
POST_CASES = [pytest.param(key, role, id=f"{key} as {role}") for key in OTHER_SCHOOL_POSTS for role in ("sso", "dsl")]


@pytest.mark.parametrize(("key", "role"), POST_CASES)
def test_posting_to_another_schools_concern_is_404_and_changes_nothing(client, world, key, role):
    from safeguarding.models import Concern

    # Unshared, so that a wrongly accepted share would show.
    concern = ConcernFactory(school=world.other_school, description=OTHER_SCHOOL_CONCERN_DESCRIPTION)
    data = dict(OTHER_SCHOOL_POSTS[key])
    if key == "safeguarding:concern-add-attachment":
        data["attachment-file"] = SimpleUploadedFile("note.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    world.sign_in(client, role)

    response = client.post(reverse(key, kwargs={"concern_id": concern.pk}), data)

    assert response.status_code == 404
    assert_no_marker_leaks(response, role)
    unchanged = Concern.objects.get(pk=concern.pk)
    assert (unchanged.status, unchanged.shared_with_police, unchanged.updated_at) == (
        concern.status,
        False,
        concern.updated_at,
    )
    assert not unchanged.actions.exists()
    assert not unchanged.attachments.exists()
    assert not unchanged.audit_entries.exists()


API_V1_KEYS = [key for key in API if key.startswith("v1:") and key != "v1:unknown-path"]


@pytest.mark.parametrize("key", API_V1_KEYS)
def test_api_refuses_a_portal_password_sent_as_basic_auth(client, world, key):
    import base64

    world.bcu_manager.set_password("manager-password-2026")
    world.bcu_manager.save()
    credentials = base64.b64encode(b"bcu-manager:manager-password-2026").decode()

    response = client.get(EXPECTED[key].url(world), HTTP_AUTHORIZATION=f"Basic {credentials}")

    assert response.status_code == 401


# Role holders at the edges of their role: each must get exactly what the named role gets on
# every portal and searches page (dates are today in Europe/London; posting end dates are inclusive).
def _sso_posted(start: int, end: int | None = None, **officer_fields):
    def build(world: World):
        today = timezone.localdate()
        user = UserFactory()
        PostingFactory(
            officer=OfficerFactory(user=user, **officer_fields),
            school=world.school,
            start_date=today + datetime.timedelta(days=start),
            end_date=None if end is None else today + datetime.timedelta(days=end),
        )
        return user

    return build


def _former_dsl(world: World):
    user = UserFactory()
    DSLContactFactory(school=world.school, user=user, role=DSLRole.DEPUTY, is_current=False)
    return user


def _inactive(role: str):
    def build(world: World):
        user = world.user(role)
        user.is_active = False
        user.save()
        return user

    return build


def _staff_login_linked(role: str):
    def build(world: World):
        user = UserFactory(is_staff=True)
        if role == "dsl":
            DSLContactFactory(school=world.school, user=user, role=DSLRole.DEPUTY)
        else:
            officer = OfficerFactory(user=user)
            PostingFactory(officer=officer, school=world.school, start_date=datetime.date(2020, 1, 1))
        return user

    return build


ROLE_EDGES: dict[str, tuple[Callable[[World], object], str]] = {
    "sso posted from today": (_sso_posted(0), "sso"),
    "sso whose posting ends today": (_sso_posted(-30, 0), "sso"),
    "sso whose posting ended yesterday": (_sso_posted(-30, -1), "plain_user"),
    "sso posted from tomorrow": (_sso_posted(1), "plain_user"),
    "sso who has left the role": (_sso_posted(-30, status=OfficerStatus.LEFT), "plain_user"),
    "dsl no longer current": (_former_dsl, "plain_user"),
    # Separation of duties: a staff account never acts as a DSL or SSO, however it got linked.
    "staff login linked to a dsl contact": (_staff_login_linked("dsl"), "plain_staff"),
    "staff login linked to an officer": (_staff_login_linked("sso"), "plain_staff"),
    # Django signs out an inactive user's session: they are anonymous.
    "inactive dsl": (_inactive("dsl"), "anonymous"),
    "inactive bcu manager": (_inactive("bcu_manager"), "anonymous"),
    # A staff membership (made by accepting an invitation) gives the staff's pages: reporting to the
    # DSL, their own reports and tasks; a head teacher is a member of staff there; a former one has none.
    "member of the school's staff": (lambda w: SchoolStaffFactory(school=w.school).user, "staff_member"),
    "head teacher of the school": (
        lambda w: SchoolStaffFactory(school=w.school, role=StaffRole.HEAD_TEACHER).user,
        "staff_member",
    ),
    "former member of the school's staff": (
        lambda w: SchoolStaffFactory(school=w.school, is_current=False).user,
        "plain_user",
    ),
}
# Pages of one officer's own record: another SSO at the edge of their role has none there (404),
# which the rows' other-school and marker checks already prove.
OWN_RECORD_KEYS = {"searches:my-search", "workspace:activity-detail"}
# A head teacher's pages are their school's statement (HEAD_TEACHER_STATEMENT_PAGES), where the
# dashboard sends them.
HEAD_TEACHER_EDGE = "head teacher of the school"
EDGE_CASES = [
    pytest.param(key, edge, id=f"{key} as {edge}")
    for key in {**PORTAL, **INVITATIONS, **SEARCHES, **WORKSPACE, **STATEMENTS}
    if key not in OWN_RECORD_KEYS
    for edge in ROLE_EDGES
    if not (edge == HEAD_TEACHER_EDGE and (key in STATEMENTS or key == "safeguarding:dashboard"))
]


@pytest.mark.parametrize(("key", "edge"), EDGE_CASES)
def test_role_edges_get_what_their_role_gets(client, world, key, edge):
    build_user, same_as = ROLE_EDGES[edge]
    row = EXPECTED[key]
    url = row.url(world)
    client.force_login(build_user(world))

    response = client.get(url)

    assert_outcome(response, url, row.expected[same_as])
    assert_no_marker_leaks(response, same_as)


HEAD_TEACHER_STATEMENT_PAGES = {
    "safeguarding:dashboard": ONWARD,
    "statements:overview": OK,
    "statements:draft": DENIED,  # the DSL drafts
    "statements:version": OK,
    "statements:public": OK,
}


@pytest.mark.parametrize("key", sorted(HEAD_TEACHER_STATEMENT_PAGES))
def test_a_head_teacher_reads_their_schools_statement_and_nothing_else(client, world, key):
    row = EXPECTED[key]
    url = row.url(world)
    client.force_login(ROLE_EDGES[HEAD_TEACHER_EDGE][0](world))

    response = client.get(url)

    assert_outcome(response, url, HEAD_TEACHER_STATEMENT_PAGES[key])
    # The head teacher reads the draft they sign off; no concern, search or pupil.
    assert_no_marker_leaks(response, "head_teacher")
    if row.other_school_url is not None:
        assert client.get(row.other_school_url(world)).status_code == 404


def test_own_concern_with_another_schools_attachment_id_is_404(client, world):
    url = reverse(
        "safeguarding:attachment-download",
        kwargs={"concern_id": world.concern.pk, "attachment_id": world.other_school_attachment.pk},
    )
    client.force_login(world.dsl)

    response = client.get(url)

    assert response.status_code == 404


def _admin_form_data(response) -> dict[str, object]:
    """The POST data of an admin change form as it stands, inline formsets included."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def _link_own_login_in_admin(client, url: str, user):
    data = _admin_form_data(client.get(url)) | {"user": user.pk}
    return client.post(url, data)


# The first bug this matrix found: a BCU manager put their own login on a DSL contact or an
# officer in the admin, then read concerns. Each layer of the fix is tested alone: the admin has
# no login field at all (logins are linked only by accepting an invitation: tests/invitations),
# and a staff login linked anyway (by the database) holds no portal role (see ROLE_EDGES).
@pytest.mark.parametrize("admin_model", ["schools.dslcontact", "officers.officer"])
def test_admin_ignores_a_login_posted_by_a_bcu_manager(client, world, admin_model):
    manager = world.bcu_manager
    obj = world.dsl_contact if admin_model == "schools.dslcontact" else world.posting.officer
    app_label, model_name = admin_model.split(".")
    client.force_login(manager)

    url = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])

    response = _link_own_login_in_admin(client, url, manager)

    assert response.status_code == 302  # saved, without the login
    obj.refresh_from_db()
    assert obj.user_id is None


def test_bcu_manager_cannot_become_a_dsl_through_the_admin_to_read_concerns(client, world):
    manager, concern = world.bcu_manager, world.concern
    client.force_login(manager)

    _link_own_login_in_admin(client, reverse("admin:schools_dslcontact_change", args=[world.dsl_contact.pk]), manager)
    response = client.get(reverse("safeguarding:concern-detail", kwargs={"concern_id": concern.pk}))

    assert response.status_code in (403, 404)
    assert_no_marker_leaks(response, "bcu_manager")


def test_bcu_manager_cannot_become_an_sso_through_the_admin_to_read_concerns(client, world):
    manager, concern = world.bcu_manager, world.concern
    officer = PostingFactory(school=world.school, start_date=datetime.date(2020, 1, 1)).officer
    client.force_login(manager)

    _link_own_login_in_admin(client, reverse("admin:officers_officer_change", args=[officer.pk]), manager)
    response = client.get(reverse("safeguarding:concern-detail", kwargs={"concern_id": concern.pk}))

    assert response.status_code in (403, 404)
    assert_no_marker_leaks(response, "bcu_manager")


def test_only_the_bearer_token_api_is_exempt_from_csrf():
    # DRF marks its views csrf_exempt and leaves CSRF to SessionAuthentication; the council API
    # accepts no session at all. Any other exempt view could be driven from another site.
    exempt = sorted(
        route
        for _, route, view in resolver_urls()
        if getattr(view, "csrf_exempt", False) and not route.startswith("api/")
    )
    assert not exempt


def test_a_portal_post_without_the_csrf_token_is_refused(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.dsl)
    concern = ConcernFactory(school=world.school)

    response = client.post(reverse("safeguarding:concern-share", kwargs={"concern_id": concern.pk}))

    assert response.status_code == 403
    concern.refresh_from_db()
    assert not concern.shared_with_police


@pytest.mark.parametrize("login_url_name", ["login", "admin:login"])
def test_signing_in_never_redirects_to_another_site(client, world, login_url_name):
    user = world.bcu_manager
    user.set_password("manager-password-2026")
    user.save()
    url = reverse(login_url_name) + "?next=https://evil.example.org/steal"

    response = client.post(
        url, {"username": user.username, "password": "manager-password-2026", "next": "https://evil.example.org/"}
    )

    assert response.status_code == 302
    assert urlsplit(response.url).netloc in ("", "testserver")


# ``admin:app_list`` above is checked for one app; each app's index as the BCU manager (plain
# staff get 404 on every one): an app is listed only when the group holds a right in it.
APP_INDEX_FOR_BCU_MANAGER = {
    "auth": DENIED,
    "axes": DENIED,
    "notifications": DENIED,
    "mfa": DENIED,
    "schools": OK,
    "officers": OK,
    "priorities": OK,
    "safeguarding": DENIED,  # no concerns, and no access log: counts only, on the statistics page
    "searches": OK,
    "api": OK,
    "invitations": DENIED,
    "retention": DENIED,
    "workspace": OK,
}
# A force lead's rights: viewing officers and inviting them.
APP_INDEX_FOR_FORCE_LEAD = dict.fromkeys(APP_INDEX_FOR_BCU_MANAGER, DENIED) | {
    "officers": OK,
    "invitations": OK,
    "retention": OK,  # the export of an officer's data
}
# The data protection officer's only app is the access log and its exports.
APP_INDEX_FOR_DPO = dict.fromkeys(APP_INDEX_FOR_BCU_MANAGER, DENIED) | {"safeguarding": OK, "retention": OK}
APP_INDEX = {
    "plain_staff": {},
    "bcu_manager": APP_INDEX_FOR_BCU_MANAGER,
    "force_lead": APP_INDEX_FOR_FORCE_LEAD,
    "dpo": APP_INDEX_FOR_DPO,
}
# The data protection officer's: retention and rights only.
APP_INDEX_FOR_DPO = dict.fromkeys(APP_INDEX_FOR_BCU_MANAGER, DENIED) | {"retention": OK}


def test_every_admin_app_index_is_declared():
    assert set(APP_INDEX_FOR_BCU_MANAGER) == {model._meta.app_label for model in admin.site._registry}


@pytest.mark.parametrize("role", APP_INDEX)
@pytest.mark.parametrize("app_label", APP_INDEX_FOR_BCU_MANAGER)
def test_admin_app_index(client, world, app_label, role):
    url = reverse("admin:app_list", args=[app_label])
    outcome = APP_INDEX[role].get(app_label, DENIED)

    response = _get(client, world, role, url)

    assert_outcome(response, url, outcome)
    assert_no_marker_leaks(response, role)


@pytest.mark.parametrize("key", API_V1_KEYS)
def test_api_url_answers_a_council_token_of_the_schools_authority(client, world, key):
    # Proves each API row builds a real URL, so its 401s above are not hiding a 404.
    from api.services import issue_api_token

    secret = issue_api_token(client=world.api_client)[1]

    response = client.get(EXPECTED[key].url(world), HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 200
    assert_no_marker_leaks(response, "council_reader")


# 404 by design: no model has get_absolute_url, and the catch-all is a page that does not exist.
ADMIN_ROWS_WITHOUT_A_PAGE = {"admin:view_on_site", "admin/(?P<url>.*)$"}
ADMIN_KEYS = [key for key in EXPECTED if key.startswith("admin") and key not in ADMIN_ROWS_WITHOUT_A_PAGE]
ADMIN_POST_ONLY = {
    "admin:logout",
    "admin:retention_erasurecandidate_confirm",
    "admin:retention_erasurecandidate_hold",
}


@pytest.mark.parametrize("key", ADMIN_KEYS)
def test_admin_url_points_at_a_real_page(client, world, key):
    # Proves each admin row builds a real URL, so a "denied" above is a refusal, not a broken
    # link: a superuser gets the page or a 403 (read-only models, records nobody may delete).
    # The admin answers a missing object with a redirect to its index, so redirects count as broken.
    world.sign_in(client, "superuser")
    expected = {200, 403}
    if key in ADMIN_POST_ONLY:
        expected = {405}
    elif key == "admin:login" or key.endswith("/<path:object_id>/"):
        expected = {302}  # on to the index, and the legacy URL on to the change page

    response = client.get(EXPECTED[key].url(world))

    assert response.status_code in expected


def test_sso_gets_404_for_an_unshared_concern_of_their_own_school(client, world):
    concern = ConcernFactory(school=world.school, description="Marker-unshared-description-6614")
    client.force_login(world.sso)

    response = client.get(reverse("safeguarding:concern-detail", kwargs={"concern_id": concern.pk}))

    assert response.status_code == 404
    assert "Marker-unshared-description-6614" not in response_text(response)


# Least privilege between BCUs: the manager of Riverbank reads Hartwell's officers, postings and
# searches (force-wide figures stay visible) but changes none of them. The same form posted for a
# Riverbank record is saved, so the refusals below are the scope's, not a broken form.
def _officer_of(world: World, bcu):
    return OfficerFactory(bcu=bcu, last_name="Unchanged")


SCOPED_RECORDS: dict[str, tuple[str, Callable, str, object]] = {
    # admin model: (URL name, builder of a record of the BCU, field posted, new value)
    "officer": ("admin:officers_officer_change", _officer_of, "last_name", "Changed"),
    "posting": (
        "admin:officers_posting_change",
        lambda world, bcu: PostingFactory(officer=OfficerFactory(bcu=bcu), school=world.other_school),
        "end_date",
        "31/12/2026",
    ),
    "search": (
        "admin:searches_searchrecord_change",
        lambda world, bcu: SearchRecordFactory(officer=OfficerFactory(bcu=bcu), school=world.other_school),
        "referral_reference",
        "MASH-CHANGED-1",
    ),
}
SCOPED_VALUES = {
    "last_name": "Changed",
    "end_date": datetime.date(2026, 12, 31),
    "referral_reference": "MASH-CHANGED-1",
}


def _scoped_post(client, world: World, record: str, bcu):
    """Build a record of ``bcu``, and post its change form with one field changed as the Riverbank manager."""
    url_name, build, field_name, value = SCOPED_RECORDS[record]
    obj = build(world, bcu)
    url = reverse(url_name, args=[obj.pk])
    client.force_login(ForceLeadManagerFactory(username="force-manager"))
    data = _admin_form_data(client.get(url)) | {field_name: value}
    if record == "search":  # a split date and time widget
        searched_at = timezone.localtime(data.pop("searched_at"))
        data |= {"searched_at_0": searched_at.strftime("%d/%m/%Y"), "searched_at_1": searched_at.strftime("%H:%M")}
    client.force_login(world.bcu_manager)
    return obj, url, field_name, client.post(url, data)


@pytest.mark.parametrize("record", SCOPED_RECORDS)
def test_riverbank_manager_reads_a_hartwell_record_without_a_save_button(client, world, record):
    url_name, build, field_name, _ = SCOPED_RECORDS[record]
    obj = build(world, world.hartwell)
    client.force_login(world.bcu_manager)

    response = client.get(reverse(url_name, args=[obj.pk]))

    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert f'name="{field_name}"'.encode() not in response.content
    assert b'name="justification"' not in response.content


@pytest.mark.parametrize("record", SCOPED_RECORDS)
def test_riverbank_manager_posting_a_hartwell_records_change_form_is_refused_and_changes_nothing(
    client, world, record
):
    obj, _, field_name, response = _scoped_post(client, world, record, world.hartwell)

    assert response.status_code == 403
    before = getattr(obj, field_name)
    obj.refresh_from_db()
    assert getattr(obj, field_name) == before
    assert obj.history.count() == 1


@pytest.mark.parametrize("record", SCOPED_RECORDS)
def test_riverbank_manager_changes_a_riverbank_record_with_the_same_form(client, world, record):
    obj, _, field_name, response = _scoped_post(client, world, record, world.riverbank)

    assert response.status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field_name) == SCOPED_VALUES[field_name]


@pytest.mark.parametrize("record", SCOPED_RECORDS)
def test_riverbank_manager_cannot_delete_a_hartwell_record(client, world, record):
    url_name, build, _, _ = SCOPED_RECORDS[record]
    obj = build(world, world.hartwell)
    client.force_login(world.bcu_manager)

    response = client.post(reverse(url_name.replace("_change", "_delete"), args=[obj.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_riverbank_manager_cannot_choose_a_hartwell_officer_for_a_new_posting(client, world):
    officer = OfficerFactory(bcu=world.hartwell)
    client.force_login(world.bcu_manager)
    data = {"officer": officer.pk, "school": world.other_school.pk, "role": "primary", "start_date": "01/09/2026"}

    response = client.post(reverse("admin:officers_posting_add"), data)

    assert response.status_code == 200
    assert "officer" in response.context["adminform"].form.errors
    assert not officer.postings.exists()


def test_a_force_lead_manager_changes_a_hartwell_officer(client, world):
    obj, _, _, _ = _scoped_post(client, world, "officer", world.hartwell)
    client.force_login(ForceLeadManagerFactory(username="force-manager"))
    url = reverse("admin:officers_officer_change", args=[obj.pk])

    response = client.post(url, _admin_form_data(client.get(url)) | {"last_name": "Changed"})

    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.last_name == "Changed"
