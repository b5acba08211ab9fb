"""The change feed: every create, update and delete of the records a client may see, in order,
behind an opaque cursor (ADR 0015). Each change carries the record as it is when read, or a
deletion marker when the client can no longer see it."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from officers.models import Officer, Posting
from schools.models import DSLContact, School

from ..changes import changes_after, decode_cursor, encode_cursor, seal_changes
from ..models import CHANGE_KIND_SCOPES, STATISTICS_KINDS, ApiToken, Change, ChangeKind
from ..selectors import POSTING_LIST_FIELDS, officer_compliance_rows, school_rows
from .base import CouncilApiView
from .dsl_contacts import DSLContactSerializer
from .postings import PostingSerializer
from .schools import SchoolSerializer
from .training import OfficerComplianceSerializer

MAX_LIMIT = 500


class ChangesQuerySerializer(serializers.Serializer):
    since = serializers.CharField(
        required=False,
        min_length=1,
        help_text="The `cursor` of the last page you read; leave it out to read the feed from its start.",
    )
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_LIMIT, default=100, help_text="Changes per page, 1 to 500."
    )

    def validate_since(self, value: str) -> int:
        position = decode_cursor(value)
        if position is None:
            raise serializers.ValidationError("Not a cursor this feed gave: pass back a `cursor` as it came.")
        return position


class StatisticsRefreshSerializer(serializers.Serializer):
    """Which figures of a statistics resource to read again: those of a local authority, for a period."""

    local_authority = serializers.CharField(help_text="The local authority's GSS code.")
    date_from = serializers.DateField(
        allow_null=True,
        help_text="First day of the first month whose figures changed; null when any period may have "
        "(a local authority granted or withdrawn).",
    )
    date_to = serializers.DateField(
        allow_null=True, help_text="Last day of the last month whose figures changed; null as date_from."
    )


class ChangeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=ChangeKind.choices,
        help_text="The kind of record that changed, or the statistics resource to read again "
        "(search_statistics, concern_statistics, activity_summary).",
    )
    id = serializers.CharField(
        help_text="Its public id: a school's URN, a posting's or DSL contact's id, an "
        "officer's collar number (training compliance), a local authority's GSS code (statistics)."
    )
    deleted = serializers.BooleanField(
        help_text="True when the record is gone, or no longer yours to see; always false for statistics."
    )
    school = SchoolSerializer(allow_null=True, help_text="The school now, when type is school and not deleted.")
    posting = PostingSerializer(allow_null=True, help_text="The posting now, when type is posting and not deleted.")
    dsl_contact = DSLContactSerializer(allow_null=True, help_text="The contact now, when type is dsl_contact.")
    training_compliance = OfficerComplianceSerializer(
        allow_null=True, help_text="The officer's compliance now, when type is training_compliance."
    )
    search_statistics = StatisticsRefreshSerializer(
        allow_null=True, help_text="What to read again of /search-statistics/, when type is search_statistics."
    )
    concern_statistics = StatisticsRefreshSerializer(
        allow_null=True, help_text="What to read again of /concern-statistics/, when type is concern_statistics."
    )
    activity_summary = StatisticsRefreshSerializer(
        allow_null=True, help_text="What to read again of /activity-summary/, when type is activity_summary."
    )


class ChangesPageSerializer(serializers.Serializer):
    changes = ChangeSerializer(many=True, help_text="In feed order: apply them in this order.")
    cursor = serializers.CharField(help_text="Pass it as `since` for the next page (opaque).")
    has_more = serializers.BooleanField(help_text="True when more changes are waiting: ask again at once.")


class HasAnyChangeScope(BasePermission):
    message = "This API client is not granted any scope whose records the change feed carries."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        return isinstance(token, ApiToken) and any(token.client.has_scope(s) for s in CHANGE_KIND_SCOPES.values())


class ChangeFeedView(CouncilApiView):
    """Changes of the records the client may see, oldest first, from a cursor."""

    permission_classes = [HasAnyChangeScope]
    extra_query_parameters = ("since", "limit")

    @extend_schema(
        summary="Read the change feed", parameters=[ChangesQuerySerializer], responses=ChangesPageSerializer
    )
    def get(self, request):
        query = ChangesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        after, limit = query.validated_data.get("since", 0), query.validated_data["limit"]
        sealed = seal_changes()
        changes = changes_after(client=self.client, position=after, limit=limit + 1)
        has_more = len(changes) > limit
        changes = changes[:limit]
        # With nothing more for this client, the cursor moves to the last position sealed: the
        # changes it passes were not the client's, and every later one is sealed above it.
        last = changes[-1].position if has_more else max(sealed, after)
        records = self._records(changes)
        items = [self._item(change, records) for change in changes]
        cursor = encode_cursor(last)
        return Response({"changes": items, "cursor": cursor, "has_more": has_more})

    def _item(self, change: Change, records: dict[tuple[str, int], dict]) -> dict:
        if change.kind in STATISTICS_KINDS:
            # No record: what to read again, as written (each entry its own period).
            representation = StatisticsRefreshSerializer(
                {"local_authority": change.public_id, "date_from": change.period_start, "date_to": change.period_end}
            ).data
        else:
            representation = records.get((change.kind, change.object_id))
        return {
            "type": change.kind,
            "id": change.public_id,
            "deleted": representation is None,
            **dict.fromkeys(ChangeKind.values),
            change.kind: representation,
        }

    def _records(self, changes: list[Change]) -> dict[tuple[str, int], dict]:
        """The current representation of each changed record the client can see, by (kind, id):
        a fixed number of queries per page, whatever its size."""
        ids: dict[str, set[int]] = {kind: set() for kind in ChangeKind.values}
        for change in changes:
            ids[change.kind].add(change.object_id)
        found: dict[tuple[str, int], dict] = {}
        if ids[ChangeKind.SCHOOL]:
            visible = School.objects.visible_to(self.client).filter(pk__in=ids[ChangeKind.SCHOOL])
            serializer = SchoolSerializer()
            for row in school_rows(ids=sorted(visible.values_list("pk", flat=True))):
                found[(ChangeKind.SCHOOL, row["pk"])] = serializer.to_representation(row)
        if ids[ChangeKind.POSTING]:
            postings = Posting.objects.visible_to(self.client).filter(pk__in=ids[ChangeKind.POSTING])
            serializer = PostingSerializer()
            for row in postings.values(*POSTING_LIST_FIELDS):
                found[(ChangeKind.POSTING, row["id"])] = serializer.to_representation(row)
        if ids[ChangeKind.DSL_CONTACT]:
            contacts = DSLContact.objects.visible_to(self.client).filter(pk__in=ids[ChangeKind.DSL_CONTACT])
            for contact in contacts.select_related("school"):
                found[(ChangeKind.DSL_CONTACT, contact.pk)] = DSLContactSerializer(contact).data
        if ids[ChangeKind.TRAINING_COMPLIANCE]:
            officers = Officer.objects.visible_to(self.client).filter(pk__in=ids[ChangeKind.TRAINING_COMPLIANCE])
            serializer = OfficerComplianceSerializer()
            for row in officer_compliance_rows(officers=officers, on=timezone.localdate()):
                found[(ChangeKind.TRAINING_COMPLIANCE, row["pk"])] = serializer.to_representation(row)
        return found
