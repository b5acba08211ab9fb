"""Portal forms, rendered with GOV.UK Frontend markup by templates/includes/field.html."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from core.forms import GovukDateField, GovukFormMixin
from safeguarding.models import (
    STATUS_TRANSITIONS,
    Category,
    ConcernStatus,
    Outcome,
    Severity,
    YearGroup,
    pupil_reference_validator,
)
from safeguarding.validators import ALLOWED_DESCRIPTION, validate_attachment
from schools.models import School


def _choices_with_blank(choices) -> list[tuple[str, str]]:
    return [("", "Choose")] + list(choices)


class ConcernForm(GovukFormMixin, forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), empty_label="Choose a school")
    pupil_reference = forms.CharField(
        max_length=30,
        validators=[pupil_reference_validator],
        help_text="Your school's reference for the pupil, for example RB-2026-014. Never their name.",
        error_messages={"required": "Enter the pupil reference"},
    )
    year_group = forms.ChoiceField(
        choices=_choices_with_blank(YearGroup.choices), error_messages={"required": "Choose the year group"}
    )
    category = forms.ChoiceField(
        choices=_choices_with_blank(Category.choices), error_messages={"required": "Choose a category"}
    )
    severity = forms.ChoiceField(
        choices=_choices_with_blank(Severity.choices), error_messages={"required": "Choose the severity"}
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        help_text="What happened, who said what, and when. Use the pupil reference, not names.",
        error_messages={"required": "Describe the concern"},
    )
    attachment = forms.FileField(
        required=False,
        help_text=f"Optional. A {ALLOWED_DESCRIPTION} file, smaller than 5 MB.",
    )
    share_with_police = forms.BooleanField(
        required=False,
        label="Share this concern with the school's Safer Schools Officer now",
        help_text="The officer is e-mailed a link. Sharing cannot be undone.",
    )

    def __init__(self, *args, schools, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school"].error_messages["required"] = "Choose the school"
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_attachment(upload)
        return upload


class ConcernActionForm(GovukFormMixin, forms.Form):
    prefix = "action"
    taken_on = GovukDateField(label="Date of action", error_messages={"required": "Enter the date of the action"})
    summary = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Describe what was done"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["taken_on"].initial = timezone.localdate()

    def clean_taken_on(self):
        taken_on = self.cleaned_data["taken_on"]
        if taken_on > timezone.localdate():
            raise forms.ValidationError("The date of the action cannot be in the future")
        return taken_on


class ConcernStatusForm(GovukFormMixin, forms.Form):
    prefix = "status"
    status = forms.ChoiceField(label="New status", choices=ConcernStatus.choices)
    outcome = forms.ChoiceField(
        required=False,
        choices=[("", "Not closing")] + list(Outcome.choices),
        help_text="Needed only when closing the concern.",
    )

    def __init__(self, *args, current_status: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = STATUS_TRANSITIONS.get(current_status, ())
        self.fields["status"].choices = [(s, ConcernStatus(s).label) for s in allowed]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ConcernStatus.CLOSED and not cleaned.get("outcome"):
            self.add_error("outcome", "Choose the outcome when closing a concern")
        return cleaned


class ContactDetailsForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Full name", max_length=150, error_messages={"required": "Enter your full name"})
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    phone = forms.CharField(
        label="Telephone number", max_length=30, required=False, help_text="A direct line, for urgent contact."
    )


class StatisticsFilterForm(GovukFormMixin, forms.Form):
    date_from = GovukDateField(label="Logged from", required=False)
    date_to = GovukDateField(label="Logged to", required=False)

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned


class AccessLogFilterForm(GovukFormMixin, forms.Form):
    concern = forms.IntegerField(
        label="Concern number",
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"invalid": "Enter a concern number, like 12", "min_value": "Enter a concern number, like 12"},
    )
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concern"].widget.attrs["class"] += " govuk-input--width-5"

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned

    def filters(self) -> dict | None:
        """The filters for ``selectors.access_log``: none when unbound, None while the form has errors."""
        if not self.is_bound:
            return {}
        if not self.is_valid():
            return None
        return {
            "concern_id": self.cleaned_data["concern"],
            "date_from": self.cleaned_data["date_from"],
            "date_to": self.cleaned_data["date_to"],
        }


class AttachmentForm(GovukFormMixin, forms.Form):
    prefix = "attachment"
    file = forms.FileField(
        label="Add a file",
        help_text=f"A {ALLOWED_DESCRIPTION} file, smaller than 5 MB.",
        error_messages={"required": "Select a file"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_attachment(upload)
        return upload
