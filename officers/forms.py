"""Forms for the BCU manager's admin screens: postings checked for eligibility, report filters."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateformat import format as format_date

from .models import BCU, Posting
from .services import (
    MIN_OVERRIDE_JUSTIFICATION_LENGTH,
    POSTING_EDITABLE_FIELDS,
    posting_override_fields,
    posting_warning_fields,
    posting_warnings,
)


class PostingForm(forms.ModelForm):
    """A posting form that names every requirement blocking the officer, and takes an override.

    ``user`` (the person submitting) is set on a subclass by the admin. The same checks run
    again inside ``create_posting``/``update_posting`` when the admin saves.
    """

    user = None

    justification = forms.CharField(
        label="Override justification",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=(
            "BCU managers only: to post an officer who does not meet every requirement, explain why "
            f"(at least {MIN_OVERRIDE_JUSTIFICATION_LENGTH} characters). It is kept in the posting's history."
        ),
    )

    confirm_warnings = forms.BooleanField(
        label="I have read the warnings and still want to save this posting",
        required=False,
        help_text=(
            "Needed only when the form shows a warning: an officer posted outside their own BCU, or "
            "given a second primary posting at the same time. Your confirmation is kept on the posting."
        ),
    )

    class Meta:
        model = Posting
        fields = list(POSTING_EDITABLE_FIELDS)

    def _officer(self):
        # In the officer page's inline the officer is the parent, not a form field.
        return self.cleaned_data.get("officer") or getattr(self.instance, "officer", None)

    def _needs_check(self) -> bool:
        if self.instance.pk is None or self.cleaned_data.get("justification", "").strip():
            return True
        return bool({"officer", "start_date"} & set(self.changed_data))

    def clean(self):
        cleaned = super().clean()
        officer = self._officer()
        start_date = cleaned.get("start_date")
        self._check_warnings(officer, cleaned)
        if officer is None or start_date is None or not self._needs_check():
            return cleaned
        try:
            posting_override_fields(
                officer=officer,
                start_date=start_date,
                user=self.user,
                override_justification=cleaned.get("justification", ""),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                self.add_error("justification", error.error_dict["override_justification"])
            else:
                heading = f"{officer.full_name} cannot be posted from {format_date(start_date, 'j M Y')}:"
                self.add_error(None, [heading, *error.messages])
        return cleaned

    def _check_warnings(self, officer, cleaned) -> None:
        school, role, start_date = cleaned.get("school"), cleaned.get("role"), cleaned.get("start_date")
        if officer is None or school is None or not role or start_date is None:
            return
        warnings = posting_warnings(
            officer=officer,
            school=school,
            role=role,
            start_date=start_date,
            end_date=cleaned.get("end_date"),
            posting_id=self.instance.pk,
        )
        try:
            posting_warning_fields(
                warnings=warnings,
                already_confirmed=self.instance.confirmed_warnings,
                user=self.user,
                confirm=cleaned.get("confirm_warnings", False),
            )
        except ValidationError as error:
            self.add_error("confirm_warnings", error.error_dict["confirm_warnings"])


class BCUFilterForm(forms.Form):
    """The BCU and date filters of the compliance matrix and vacancies views."""

    bcu = forms.ModelChoiceField(queryset=BCU.objects.all(), required=False, empty_label="All BCUs", label="BCU")
    on = forms.DateField(required=False, label="On date", help_text="Day to assess; today if blank.")

    def on_date(self) -> datetime.date:
        return self.cleaned_data.get("on") or timezone.localdate()


class EvaluationFilterForm(forms.Form):
    bcu = forms.ModelChoiceField(queryset=BCU.objects.all(), required=False, empty_label="All BCUs", label="BCU")
    completed_from = forms.DateField(required=False, label="Completed from")
    completed_to = forms.DateField(required=False, label="Completed to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("completed_from"), cleaned.get("completed_to")
        if start and end and start > end:
            raise ValidationError("\u201cCompleted from\u201d must be on or before \u201cCompleted to\u201d.")
        return cleaned
