"""Portal forms, rendered with GOV.UK Frontend markup by templates/includes/field.html."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from core.forms import GovukDateField, GovukFormMixin
from safeguarding.bodymap import OUTLINE, region_at, region_named
from safeguarding.models import (
    STATUS_TRANSITIONS,
    BodyView,
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


# The school's safeguarding record: staff reports and their triage, pupils, tasks, body-map marks.

NO_NAMES = "Use the pupil reference. Do not write anyone's name: not the pupil's, and not other children's or adults'."


class StaffReportForm(GovukFormMixin, forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), empty_label="Choose a school")
    pupil_reference = forms.CharField(
        max_length=30,
        validators=[pupil_reference_validator],
        help_text="The school's reference for the pupil, for example RB-2026-014. Never their name.",
        error_messages={
            "required": "Enter the pupil reference",
            "max_length": "Pupil reference must be 30 characters or fewer",
        },
    )
    what_happened = forms.CharField(
        label="What did you see or hear?",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=f"Write down what happened and what was said, in the pupil's words where you can. {NO_NAMES} "
        "5,000 characters or fewer.",
        error_messages={
            "required": "Describe what you saw or heard",
            "max_length": "What you saw or heard must be 5,000 characters or fewer",
        },
    )
    happened_on = GovukDateField(
        label="When did it happen?", error_messages={"required": "Enter the date it happened"}
    )
    location = forms.CharField(
        label="Where did it happen?",
        max_length=200,
        help_text="For example, the playground or Room 12.",
        error_messages={
            "required": "Enter where it happened",
            "max_length": "Where it happened must be 200 characters or fewer",
        },
    )

    def __init__(self, *args, schools, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school"].error_messages["required"] = "Choose the school"
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
            self.fields["school"].widget = forms.HiddenInput()

    def clean_happened_on(self):
        happened_on = self.cleaned_data["happened_on"]
        if happened_on > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future")
        return happened_on


class AcceptReportForm(GovukFormMixin, forms.Form):
    prefix = "accept"
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
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text="Taken from the staff report: edit it as the concern's description. 10,000 characters or fewer.",
        error_messages={
            "required": "Describe the concern",
            "max_length": "Description must be 10,000 characters or fewer",
        },
    )


class LinkReportForm(GovukFormMixin, forms.Form):
    prefix = "link"
    concern = forms.ModelChoiceField(
        label="Concern to add it to",
        queryset=None,
        empty_label="Choose a concern",
        error_messages={"required": "Choose the concern", "invalid_choice": "Choose one of this pupil's concerns"},
    )

    def __init__(self, *args, concerns, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concern"].queryset = concerns
        self.fields["concern"].label_from_instance = lambda concern: (
            f"Concern {concern.pk}: {concern.get_category_display()}, {concern.get_status_display().lower()}, "
            f"logged {concern.created_at:%d %b %Y}"
        )


class CloseReportForm(GovukFormMixin, forms.Form):
    prefix = "close"
    reason = forms.CharField(
        label="Why is no further action needed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="The staff member sees that the report was closed, not this reason. 2,000 characters or fewer.",
        error_messages={
            "required": "Give the reason for no further action",
            "max_length": "Reason must be 2,000 characters or fewer",
        },
    )


class PupilSearchForm(GovukFormMixin, forms.Form):
    reference = forms.CharField(
        label="Pupil reference",
        required=False,
        max_length=30,
        help_text="All or part of it, for example 014.",
        error_messages={"max_length": "Pupil reference must be 30 characters or fewer"},
    )


class TaskForm(GovukFormMixin, forms.Form):
    description = forms.CharField(
        label="What needs doing?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text=f"{NO_NAMES} 500 characters or fewer.",
        error_messages={
            "required": "Say what needs doing",
            "max_length": "What needs doing must be 500 characters or fewer",
        },
    )
    assigned_to = forms.ModelChoiceField(
        label="Who is it for?",
        queryset=None,
        empty_label="Choose a person",
        error_messages={"required": "Choose who the task is for", "invalid_choice": "Choose someone of this school"},
    )
    due_on = GovukDateField(label="Due by", error_messages={"required": "Enter the due date"})

    def __init__(self, *args, assignees, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = assignees
        self.fields["assigned_to"].label_from_instance = lambda user: user.get_full_name() or user.get_username()

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError("The due date must be today or in the future")
        return due_on


class BodyMarkForm(GovukFormMixin, forms.Form):
    """A mark is a place chosen from the list (marked at the middle of that part of the body), or,
    with JavaScript, the point clicked on the outline (``view``, ``x`` and ``y``, filled in by the page)."""

    prefix = "mark"
    place = forms.ChoiceField(
        label="Part of the body",
        required=False,
        help_text="Or click the place on the outline.",
        error_messages={"invalid_choice": "Choose a part of the body from the list"},
    )
    view = forms.ChoiceField(choices=BodyView.choices, required=False, widget=forms.HiddenInput)
    x = forms.IntegerField(min_value=0, max_value=1000, required=False, widget=forms.HiddenInput)
    y = forms.IntegerField(min_value=0, max_value=1000, required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label="What you saw",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, a bruise about 3 cm across, yellow. 500 characters or fewer.",
        error_messages={
            "required": "Describe what you saw",
            "max_length": "What you saw must be 500 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", "Choose a part of the body")] + [
            (view_label, [(f"{view}:{region.key}", region.label) for region in OUTLINE[view]])
            for view, view_label in BodyView.choices
        ]

    def clean(self):
        cleaned = super().clean()
        view, x, y = cleaned.get("view"), cleaned.get("x"), cleaned.get("y")
        if view and x is not None and y is not None:
            if region_at(view, x, y) is None:
                self.add_error("place", "Mark a place on the body outline, not beside it")
            return cleaned
        place = cleaned.get("place")
        if not place:
            if "place" not in self.errors:
                self.add_error("place", "Choose the part of the body, or click it on the outline")
            return cleaned
        view, _, key = place.partition(":")
        region = region_named(view, key)
        cleaned["view"], (cleaned["x"], cleaned["y"]) = view, region.centre
        return cleaned

    def mark(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("view", "x", "y", "note")}
