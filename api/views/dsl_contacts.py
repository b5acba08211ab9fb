from django_filters import rest_framework as filters
from rest_framework import serializers

from schools.models import DSLContact, DSLRole, Phase

from ..models import Scope
from ..selectors import dsl_contacts_for_client
from .base import CouncilReadOnlyViewSet, UpdatedSinceFilterSet


class DSLContactFilterSet(UpdatedSinceFilterSet):
    local_authority = filters.CharFilter(field_name="school__local_authority__gss_code", help_text="LA GSS code.")
    ward = filters.CharFilter(field_name="school__ward__code", help_text="Ward GSS code.")
    phase = filters.ChoiceFilter(field_name="school__phase", choices=Phase.choices)
    school = filters.CharFilter(field_name="school__urn", help_text="School URN.")
    role = filters.ChoiceFilter(choices=DSLRole.choices)

    class Meta:
        model = DSLContact
        fields = ["local_authority", "ward", "phase", "school", "role", "is_current", "updated_since"]


class DSLContactSerializer(serializers.ModelSerializer):
    school = serializers.CharField(source="school.urn")

    class Meta:
        model = DSLContact
        fields = ["id", "school", "name", "role", "email", "phone", "last_confirmed_on", "is_current", "updated_at"]


class DSLContactViewSet(CouncilReadOnlyViewSet):
    """DSL contacts of schools in the client's local authorities (personal data: scope dsl:read)."""

    required_scope = Scope.DSL_READ
    serializer_class = DSLContactSerializer
    filterset_class = DSLContactFilterSet
    ordering_fields = ["name", "last_confirmed_on", "updated_at"]
    ordering = ["school__urn", "role", "name"]

    def get_queryset(self):
        if self.is_schema_generation:
            return DSLContact.objects.none()
        return dsl_contacts_for_client(client=self.client)
