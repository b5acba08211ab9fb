"""Casework forms, in GOV.UK Frontend markup (templates/includes/field.html; dates in GOV.UK's day,
month and year boxes, ``core.forms.GovukDateField``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from casework.models import AttendancePurpose, ChallengedAgency, TransferMethod
from core.forms import GovukDateField, GovukFormMixin
from officers.models import Officer
from safeguarding.models import pupil_reference_validator
from schools.models import School

LONG_TEXT = 5000
PUPIL_REFERENCE_HINT = "Your school's reference for the pupil, for example RB-2026-014. Never their name."


def _blank_first(choices) -> list[tuple[str, str]]:
    return [("", "Choose")] + list(choices)


def _long_text(label: str, *, required_message: str, hint: str = "", required: bool = True) -> forms.CharField:
    limit = f"{LONG_TEXT:,} characters or fewer"
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=LONG_TEXT,
        help_text=f"{hint} {limit[0].upper()}{limit[1:]}.".strip(),
        error_messages={"required": required_message, "max_length": f"{label} must be {limit}"},
    )


def _pupil_reference() -> forms.CharField:
    return forms.CharField(
        label="Pupil reference",
        max_length=30,
        validators=[pupil_reference_validator],
        help_text=PUPIL_REFERENCE_HINT,
        error_messages={"required": "Enter the pupil reference"},
    )


class _SchoolChoiceForm(GovukFormMixin, forms.Form):
    school = forms.ModelChoiceField(
        queryset=School.objects.none(),
        empty_label="Choose a school",
        error_messages={"required": "Choose your school", "invalid_choice": "Choose one of your schools"},
    )

    def __init__(self, *args, schools, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        first_two = list(schools[:2])
        if len(first_two) == 1:
            self.fields["school"].initial = first_two[0]


class TransferForm(_SchoolChoiceForm):
    pupil_reference = _pupil_reference()
    to_school_urn = forms.CharField(
        label="New school's URN",
        max_length=8,
        help_text="The new school's unique reference number (URN), 6 to 8 digits: see Get Information about Schools.",
        error_messages={"required": "Enter the new school's URN"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].label = "Sending school (yours)"

    def clean_to_school_urn(self) -> str:
        urn = self.cleaned_data["to_school_urn"].strip()
        if not urn.isdigit() or not 6 <= len(urn) <= 8:
            raise ValidationError("The URN must be 6 to 8 digits")
        return urn


class OutsideTransferForm(_SchoolChoiceForm):
    pupil_reference = _pupil_reference()
    outside_school_name = forms.CharField(
        label="New school's name and town",
        max_length=200,
        help_text="A school outside this portal. 200 characters or fewer.",
        error_messages={
            "required": "Enter the new school's name and town",
            "max_length": "The school's name and town must be 200 characters or fewer",
        },
    )
    method = forms.ChoiceField(
        label="How the file was sent",
        choices=_blank_first(TransferMethod.choices),
        error_messages={"required": "Choose how the file was sent"},
    )
    sent_on = GovukDateField(label="Date sent", error_messages={"required": "Enter the date the file was sent"})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].label = "Sending school (yours)"


class AcknowledgeForm(GovukFormMixin, forms.Form):
    new_pupil_reference = forms.CharField(
        label="Your school's reference for the pupil",
        max_length=30,
        validators=[pupil_reference_validator],
        help_text="Your own school's reference, for example HW-2026-031. Never their name.",
        error_messages={"required": "Enter your school's reference for the pupil"},
    )


class OutsideReceiptForm(GovukFormMixin, forms.Form):
    confirmed_by = forms.CharField(
        label="Who confirmed receipt",
        max_length=200,
        help_text="Their name and role at the new school. 200 characters or fewer.",
        error_messages={
            "required": "Enter who confirmed receipt",
            "max_length": "Who confirmed receipt must be 200 characters or fewer",
        },
    )
    confirmed_on = GovukDateField(
        label="Date of the receipt", error_messages={"required": "Enter the date receipt was confirmed"}
    )


class PoliceAttendanceForm(_SchoolChoiceForm):
    pupil_reference = _pupil_reference()
    attended_on = GovukDateField(
        label="Date of the attendance", error_messages={"required": "Enter the date of the attendance"}
    )
    attended_time = forms.TimeField(
        label="Time of arrival",
        input_formats=["%H:%M", "%H.%M"],
        help_text="24-hour clock, for example 14:30",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the time of arrival",
            "invalid": "Enter the time as hours and minutes, like 14:30",
        },
    )
    posted_officer = forms.ModelChoiceField(
        label="Was it the school's Safer Schools Officer?",
        queryset=Officer.objects.none(),
        required=False,
        empty_label="No, another officer",
        help_text="Only when the visit was not part of their routine.",
        error_messages={"invalid_choice": "Choose the school's own officer or another officer"},
    )
    officer_name = forms.CharField(
        label="Officer's name",
        max_length=100,
        required=False,
        help_text="If another officer. 100 characters or fewer.",
        error_messages={"max_length": "The officer's name must be 100 characters or fewer"},
    )
    collar_number = forms.CharField(
        label="Collar number",
        max_length=20,
        required=False,
        help_text="If another officer. 20 characters or fewer.",
        error_messages={"max_length": "The collar number must be 20 characters or fewer"},
    )
    purpose = forms.ChoiceField(
        label="Purpose of the visit",
        choices=_blank_first(AttendancePurpose.choices),
        error_messages={"required": "Choose the purpose of the visit"},
    )
    purpose_detail = _long_text(
        "What happened", required_message="Describe what happened", hint="Use the pupil reference, not names."
    )
    parent_contacted = forms.BooleanField(label="A parent or carer was contacted", required=False)
    appropriate_adult_present = forms.BooleanField(label="An appropriate adult was present", required=False)
    school_challenged = forms.BooleanField(
        label="The school challenged something the police did or asked", required=False
    )
    challenge_detail = _long_text(
        "What the school challenged",
        required_message="Say what the school challenged",
        hint="If the school challenged something: what, and the answer.",
        required=False,
    )

    def __init__(self, *args, officers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["posted_officer"].queryset = officers
        self.fields["school"].label = "School"

    def clean(self):
        data = super().clean()
        if data.get("school_challenged") and not (data.get("challenge_detail") or "").strip():
            self.add_error("challenge_detail", "Say what the school challenged")
        named = (data.get("officer_name") or "").strip() or (data.get("collar_number") or "").strip()
        if data.get("posted_officer") is None and not named and "officer_name" not in self.errors:
            self.add_error("officer_name", "Enter the officer's name or collar number, or choose the school's officer")
        return data


class ChallengeForm(_SchoolChoiceForm):
    pupil_reference = _pupil_reference()
    agency = forms.ChoiceField(
        label="Agency whose decision is challenged",
        choices=_blank_first(ChallengedAgency.choices),
        error_messages={"required": "Choose the agency"},
    )
    decision = _long_text("Decision challenged", required_message="Describe the decision you disagree with")
    reason = _long_text(
        "Why you disagree",
        required_message="Say why you disagree",
        hint="What the child needs that the decision does not give.",
    )
    opened_on = GovukDateField(
        label="Date raised", error_messages={"required": "Enter the date the challenge was raised"}
    )


class ChallengeResponseForm(GovukFormMixin, forms.Form):
    on = GovukDateField(label="Date of the response", error_messages={"required": "Enter the date of the response"})
    responder = forms.CharField(
        label="Who responded",
        max_length=200,
        help_text="Their name, role and agency. 200 characters or fewer.",
        error_messages={
            "required": "Enter who responded",
            "max_length": "Who responded must be 200 characters or fewer",
        },
    )
    summary = _long_text("Their response", required_message="Summarise the response")


class ChallengeEscalationForm(GovukFormMixin, forms.Form):
    on = GovukDateField(
        label="Date escalated", error_messages={"required": "Enter the date the challenge was escalated"}
    )
    summary = _long_text("Why it is escalated", required_message="Say why the challenge is escalated")


class ChallengeResolutionForm(GovukFormMixin, forms.Form):
    resolved_on = GovukDateField(
        label="Date resolved", error_messages={"required": "Enter the date the challenge was resolved"}
    )
    resolution = _long_text("How it was resolved", required_message="Describe how the challenge was resolved")
