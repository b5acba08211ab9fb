"""Forms of the SSO's workspace (GOV.UK Frontend markup through ``core.forms.GovukFormMixin``)."""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.utils import timezone

from core.forms import GovukDateField, GovukFormMixin, dress_fields
from safeguarding.forms import ConcernForm

from .models import Activity, ActivityCategory, TouchdownPoint, YouthService
from .services import DETAIL_FIELDS


class ActivityForm(GovukFormMixin, forms.Form):
    """One activity of one category: school, date, the category's details, notes. Required
    details are checked by ``workspace.services`` (the form only shapes the input)."""

    def __init__(self, *args, category: ActivityCategory, schools, youth_services, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.category = category
        names = ["school", "occurred_on", *DETAIL_FIELDS[category.details], "notes"]
        model_fields = fields_for_model(Activity, fields=names)
        for name in names:
            field = model_fields[name]
            field.required = name in ("school", "occurred_on")
            self.fields[name] = field
        self.fields["school"].queryset = schools
        self.fields["school"].empty_label = None
        self.fields["occurred_on"] = GovukDateField(
            label="Date", initial=timezone.localdate(), error_messages={"required": "Enter the date"}
        )
        if "youth_service" in self.fields:
            self.fields["youth_service"].queryset = youth_services
        if "pupils_reached" in self.fields:
            self.fields["pupils_reached"].widget = forms.NumberInput(attrs={"inputmode": "numeric"})
        for name in ("notes", "young_people_said"):
            if name in self.fields:
                self.fields[name].widget = forms.Textarea(attrs={"rows": 3})
        self.fields["school"].error_messages["required"] = "Choose the school."
        # The mixin has dressed the form's declared fields only: dress these too.
        dress_fields(self)


class ReferralOutcomeForm(GovukFormMixin, forms.Form):
    referral_outcome = forms.CharField(
        label="Outcome of the referral",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the service did, and what happened for the pupil. Never a pupil's name.",
    )


class TouchdownPointForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = TouchdownPoint
        fields = ["room", "access_notes"]
        widgets = {"access_notes": forms.Textarea(attrs={"rows": 3})}


class YouthServiceForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = YouthService
        fields = [
            "ward",
            "name",
            "operator",
            "what_it_offers",
            "contact_name",
            "contact_email",
            "contact_phone",
            "relationship",
        ]

    def __init__(self, *args, wards, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = wards


class PassConcernForm(ConcernForm):
    """Information or a concern about a pupil, for the DSLs of one of the SSO's schools: the DSL's
    own form without the attachment and the sharing, which are the DSL's to decide."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["attachment"]
        del self.fields["share_with_police"]
        self.fields[
            "pupil_reference"
        ].help_text = "The school's reference for the pupil (ask the DSL). Never their name."
        self.fields["description"].label = "What you want the DSL to know"
