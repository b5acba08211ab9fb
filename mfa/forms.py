"""The one field of the MFA pages: a code, as GOV.UK Frontend asks for a security code."""

from django import forms

from core.forms import GovukFormMixin

CODE_INPUT = {"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}


class SetupCodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Code from your app",
        help_text="The 6-digit code your authenticator app shows for SSO Portal, for example 123456",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(attrs={**CODE_INPUT, "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["class"] += " govuk-input--width-10"


class VerifyCodeForm(SetupCodeForm):
    code = forms.CharField(
        label="Code",
        help_text="The 6-digit code your authenticator app shows for SSO Portal. "
        "If you do not have your phone, enter one of your recovery codes instead.",
        max_length=20,
        error_messages={"required": "Enter the code from your authenticator app, or a recovery code"},
        widget=forms.TextInput(attrs=CODE_INPUT),
    )
