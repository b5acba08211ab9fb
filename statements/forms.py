"""Forms of the statement pages (GOV.UK Frontend markup through ``core.forms.GovukFormMixin``)."""

from __future__ import annotations

from django import forms

from core.forms import GovukFormMixin

from .models import SECTION_MAX_LENGTH, SECTIONS, SafeguardingStatement


class DraftForm(GovukFormMixin, forms.ModelForm):
    """The four parts of the statement; any may stay empty while drafting (signing needs all)."""

    class Meta:
        model = SafeguardingStatement
        fields = list(SECTIONS)
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in SECTIONS}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in SECTIONS:
            self.fields[name].max_length = SECTION_MAX_LENGTH


class SignForm(GovukFormMixin, forms.Form):
    prefix = "sign"
    signatory_name = forms.CharField(
        label="Your full name",
        max_length=150,
        help_text="As you sign the statement on behalf of the school.",
        error_messages={"required": "Enter your name as you sign"},
    )
    confirm = forms.BooleanField(
        label="I have read this statement and sign it off on behalf of the school",
        error_messages={"required": "Confirm that you have read the statement and sign it off"},
    )
    publish = forms.BooleanField(
        required=False,
        label="Publish it on the school's public page",
        help_text="Anyone can read the published statement, without signing in.",
    )
    show_signatory_name = forms.BooleanField(
        required=False,
        label="Show my name as the signatory on the public page",
        help_text="Otherwise the page says only that the head teacher signed it.",
    )


class PublicationForm(GovukFormMixin, forms.Form):
    prefix = "publication"
    publish = forms.BooleanField(required=False, label="Publish the statement on the school's public page")
    show_signatory_name = forms.BooleanField(
        required=False, label="Show the head teacher's name as the signatory on the public page"
    )
