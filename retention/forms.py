"""Forms of the subject access exports and the data protection officer's hold."""

from __future__ import annotations

from django import forms

from access.roles import PortalRoles
from core.forms import GovukFormMixin
from officers.models import Officer
from safeguarding.models import Concern, pupil_reference_validator
from schools.models import School


class PupilExportForm(GovukFormMixin, forms.Form):
    """A DSL's request for a pupil's data: one of their schools and the school's pupil reference."""

    school = forms.ModelChoiceField(queryset=School.objects.none(), empty_label="Choose a school")
    pupil_reference = forms.CharField(
        max_length=30,
        validators=[pupil_reference_validator],
        help_text="Your school's reference for the pupil, as on their concerns, for example RB-2026-014.",
        error_messages={"required": "Enter the pupil reference"},
    )

    def __init__(self, *args, roles: PortalRoles, schools, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.roles = roles
        self.fields["school"].queryset = schools
        self.fields["school"].error_messages["required"] = "Choose the school"
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk

    def clean_pupil_reference(self) -> str:
        return self.cleaned_data["pupil_reference"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        school, reference = cleaned.get("school"), cleaned.get("pupil_reference")
        if school is not None and reference:
            # Only the chosen school, of the DSL's own, is searched: no answer about any other.
            found = Concern.objects.visible_to(self.roles).filter(school=school, pupil_reference=reference).exists()
            if not found:
                self.add_error(
                    "pupil_reference",
                    f"No concern at {school.name} has the pupil reference {reference}. "
                    "Check the reference and the school",
                )
        return cleaned


class OfficerExportForm(forms.Form):
    """The admin's request for an officer's data, by collar number."""

    collar_number = forms.CharField(
        label="Collar or warrant number",
        max_length=20,
        error_messages={"required": "Enter the officer's collar or warrant number."},
    )

    def clean_collar_number(self) -> str:
        number = self.cleaned_data["collar_number"].strip()
        self.officer = Officer.objects.filter(collar_number__iexact=number).first()
        if self.officer is None:
            raise forms.ValidationError(f"No officer has the collar or warrant number {number}.")
        return number


class HoldForm(forms.Form):
    """Why the chosen records are kept past their retention period."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "aria-describedby": "id_reason_helptext"}),
        max_length=2000,
        help_text="For example: legal hold for a civil claim; an ongoing case; an inquiry's request. "
        "No pupil's or officer's name.",
        error_messages={"required": "Give the reason for holding these records."},
    )
