"""Query parameter formats shared by the council endpoints: declared in the OpenAPI schema
(``api.schema``) and enforced by the filters, so a value outside them is a 400, not an empty list."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters

# Whole-value patterns, valid both as JSON Schema (ECMA-262) and Python regular expressions.
PATTERNS = {
    "gss_code": (r"^[A-Z][0-9]{8}$", "Enter a GSS code: a capital letter and eight digits, e.g. E09000901."),
    "urn": (r"^[0-9]{1,8}$", "Enter a school URN: digits only, e.g. 100000."),
    "cursor": (r"^c1\.(0|[1-9][0-9]{0,17})$", "Not a cursor this feed gave: pass back a cursor as it came."),
    "bcu_code": (r"^[A-Za-z0-9-]{1,20}$", "Enter a BCU code: letters, digits and hyphens, e.g. RB-BCU."),
}


class PatternValidator:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        pattern, self.message = PATTERNS[kind]
        self.regex = re.compile(pattern.removeprefix("^").removesuffix("$"))

    def __call__(self, value: str) -> None:
        if not self.regex.fullmatch(value):
            raise ValidationError(self.message, code="invalid")


def code_filter(kind: str, *, field_name: str, help_text: str) -> filters.CharFilter:
    """A filter on an exact public code; ``kind`` names its format in ``PATTERNS``."""
    code = filters.CharFilter(field_name=field_name, help_text=help_text, validators=[PatternValidator(kind)])
    code.pattern_kind = kind
    return code


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` only: Django's null-boolean field reads any other text as "not given"."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value not in ("true", "false"):
            raise ValidationError("Enter true or false.", code="invalid")
        return value == "true"


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        # A plain text widget: django-filter's boolean widget turns unknown text into "not given".
        kwargs["widget"] = forms.TextInput
        super().__init__(*args, **kwargs)
