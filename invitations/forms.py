"""Invitation forms: a DSL inviting staff and accepting a link (portal, GOV.UK Frontend markup), and
inviting in the admin. Each checks what the service checks again when it saves."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from core.forms import GovukFormMixin

from .models import Invitation, InvitationKind
from .services import check_invitation, new_login_errors


class StaffInvitationForm(GovukFormMixin, forms.Form):
    school = forms.ModelChoiceField(queryset=None, empty_label="Choose a school")
    name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter the person's full name"}
    )
    email = forms.EmailField(
        label="E-mail address",
        help_text="Their own work address. The link to set a password is sent here, and works once.",
        error_messages={
            "required": "Enter their e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
        },
    )

    def __init__(self, *args, schools, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school"].error_messages["required"] = "Choose the school"
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs |= {"autocomplete": "off", "spellcheck": "false"}


class NewLoginForm(GovukFormMixin, forms.Form):
    """The person's new login: a username (their e-mail address unless they choose another) and a
    password typed twice, checked by ``AUTH_PASSWORD_VALIDATORS``."""

    username = forms.CharField(
        max_length=150,
        help_text="You sign in with this. Letters, digits and @ . + - _ only.",
        error_messages={"required": "Enter a username"},
    )
    password = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. Not a common password, nor one like your username or e-mail address.",
        error_messages={"required": "Enter a password"},
    )
    password_again = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter your password again"},
    )

    def __init__(self, *args, invitation: Invitation, **kwargs) -> None:
        self.invitation = invitation
        kwargs.setdefault("initial", {"username": invitation.email})
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs |= {"autocomplete": "username", "spellcheck": "false"}

    def clean(self):
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", "The passwords do not match")
            return cleaned
        if "username" in cleaned and password:
            errors = new_login_errors(invitation=self.invitation, username=cleaned["username"], password=password)
            for field, messages in errors.items():
                self.add_error(field, messages)
        return cleaned


class InvitationAdminForm(forms.ModelForm):
    """The admin's invitation form. ``roles`` (the submitting user's ``PortalRoles``) is set on a
    subclass by the admin; fields the user may not use are removed there."""

    roles = None

    class Meta:
        model = Invitation
        fields = ["kind", "dsl_contact", "officer", "school", "email", "name"]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not kind or "email" not in cleaned:
            return cleaned
        try:
            check_invitation(
                roles=self.roles,
                kind=kind,
                dsl_contact=cleaned.get("dsl_contact"),
                officer=cleaned.get("officer"),
                school=cleaned.get("school"),
            )
        except PermissionDenied:
            self.add_error("kind", f"You may not invite a {InvitationKind(kind).label.lower()} here.")
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
            else:
                self.add_error(None, error.messages)
        return cleaned

    def _post_clean(self):
        # The invitation is made by the service when the admin saves (invitations.services.invite),
        # which fills in what the model needs beyond the form.
        pass
