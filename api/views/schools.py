from django.db.models import Exists, OuterRef
from django_filters import rest_framework as filters
from rest_framework import serializers

from officers.models import Posting
from priorities.models import Band, PriorityScore
from priorities.selectors import latest_scores
from schools.models import Phase, School

from ..models import Scope
from ..selectors import schools_for_client
from .base import CouncilReadOnlyViewSet, UpdatedSinceFilterSet


class SchoolFilterSet(UpdatedSinceFilterSet):
    local_authority = filters.CharFilter(field_name="local_authority__gss_code", help_text="LA GSS code.")
    ward = filters.CharFilter(field_name="ward__code", help_text="Ward GSS code.")
    phase = filters.ChoiceFilter(choices=Phase.choices)
    priority_band = filters.ChoiceFilter(
        choices=Band.choices, method="filter_priority_band", help_text="Band of the latest priority run."
    )

    class Meta:
        model = School
        fields = ["local_authority", "ward", "phase", "priority_band", "updated_since"]

    def filter_priority_band(self, queryset, name, value):
        return queryset.filter(Exists(latest_scores().filter(school=OuterRef("pk"), band=value)))


class CurrentPostingSerializer(serializers.ModelSerializer):
    officer_collar_number = serializers.CharField(source="officer.collar_number")
    officer_name = serializers.CharField(source="officer.full_name")
    officer_rank = serializers.CharField(source="officer.get_rank_display")

    class Meta:
        model = Posting
        fields = ["id", "role", "officer_collar_number", "officer_name", "officer_rank", "start_date", "end_date"]


class PrioritySerializer(serializers.ModelSerializer):
    """The school's score in the latest priority run: total, rank and band in its BCU, components."""

    run_computed_at = serializers.DateTimeField(source="run.computed_at")

    class Meta:
        model = PriorityScore
        fields = ["total", "rank_in_bcu", "band", "crime", "fsm", "pupils", "advice", "coverage", "run_computed_at"]


class LatestPrioritySerializer(PrioritySerializer):
    def get_attribute(self, school: School) -> PriorityScore | None:
        scores = school.latest_priority_scores
        return scores[0] if scores else None


class SchoolSerializer(serializers.ModelSerializer):
    local_authority = serializers.CharField(source="local_authority.gss_code")
    local_authority_name = serializers.CharField(source="local_authority.name")
    ward = serializers.CharField(source="ward.code", allow_null=True, default=None)
    ward_name = serializers.CharField(source="ward.name", allow_null=True, default=None)
    bcu = serializers.CharField(source="bcu.code", allow_null=True, default=None)
    # Both read what the selector prefetched: no query per school.
    current_postings = CurrentPostingSerializer(many=True, read_only=True)
    priority = LatestPrioritySerializer(read_only=True, allow_null=True)

    class Meta:
        model = School
        fields = [
            "urn",
            "name",
            "local_authority",
            "local_authority_name",
            "ward",
            "ward_name",
            "phase",
            "status",
            "establishment_type",
            "statutory_low_age",
            "statutory_high_age",
            "pupil_count",
            "fsm_percentage",
            "postcode",
            "bcu",
            "current_postings",
            "priority",
            "updated_at",
        ]

    def to_representation(self, school: School) -> dict:
        """The same dict as the declared fields give (a test holds them equal), built directly:
        DRF's generic field walk is most of the time a 100-school page takes."""
        ward, bcu, scores = school.ward, school.bcu, school.latest_priority_scores
        return {
            "urn": school.urn,
            "name": school.name,
            "local_authority": school.local_authority.gss_code,
            "local_authority_name": school.local_authority.name,
            "ward": ward.code if ward else None,
            "ward_name": ward.name if ward else None,
            "phase": school.phase,
            "status": school.status,
            "establishment_type": school.establishment_type,
            "statutory_low_age": school.statutory_low_age,
            "statutory_high_age": school.statutory_high_age,
            "pupil_count": school.pupil_count,
            "fsm_percentage": _decimal(school.fsm_percentage),
            "postcode": school.postcode,
            "bcu": bcu.code if bcu else None,
            "current_postings": [_posting(posting) for posting in school.current_postings],
            "priority": _priority(scores[0]) if scores else None,
            "updated_at": _DATETIME.to_representation(school.updated_at),
        }


_DATETIME = serializers.DateTimeField()


def _decimal(value) -> str | None:
    return None if value is None else f"{value:f}"


def _posting(posting: Posting) -> dict:
    return {
        "id": posting.pk,
        "role": posting.role,
        "officer_collar_number": posting.officer.collar_number,
        "officer_name": posting.officer.full_name,
        "officer_rank": posting.officer.get_rank_display(),
        "start_date": posting.start_date.isoformat(),
        "end_date": posting.end_date.isoformat() if posting.end_date else None,
    }


def _priority(score: PriorityScore) -> dict:
    components = ("total", "crime", "fsm", "pupils", "advice", "coverage")
    return {
        **{name: _decimal(getattr(score, name)) for name in components},
        "rank_in_bcu": score.rank_in_bcu,
        "band": score.band,
        "run_computed_at": _DATETIME.to_representation(score.run.computed_at),
    }


class SchoolViewSet(CouncilReadOnlyViewSet):
    """Schools of the client's local authorities, with their current SSO postings and latest priority score."""

    required_scope = Scope.SCHOOLS_READ
    serializer_class = SchoolSerializer
    filterset_class = SchoolFilterSet
    lookup_field = "urn"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["name", "urn", "updated_at", "pupil_count", "fsm_percentage"]
    # URN order by default: unique and indexed, so deep pages of a national sync stay fast.
    ordering = ["urn"]

    def get_queryset(self):
        if self.is_schema_generation:
            return School.objects.none()
        return schools_for_client(client=self.client)
