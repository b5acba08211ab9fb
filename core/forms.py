"""Form pieces shared by the portal's pages (GOV.UK Frontend markup, templates/includes/field.html).

- ``GovukFormMixin`` dresses every field in GOV.UK Frontend classes, states each text field's
  length limit in its hint and words its errors plainly ("Description must be 10,000 characters
  or fewer"). A text area without a limit gets ``DEFAULT_TEXT_MAX_LENGTH``.
- ``GovukDateField`` is the GOV.UK date input: day, month and year boxes, which read what people
  type ("27", "3" or "March", "2026").
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.validators import MaxLengthValidator

# Free text nobody needs more of: a description, notes, a reason.
DEFAULT_TEXT_MAX_LENGTH = 10_000
DATE_HINT = "For example, 27 3 2026"

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
DATE_PARTS = ("day", "month", "year")


def split_whole_date(text: str) -> list[str]:
    """[day, month, year] of a whole date typed in one box: "27/3/2026", "27 March 2026",
    "2026-03-27"; anything else stays in the day, to be reported as incomplete."""
    parts = [part for part in re.split(r"[\s/.,\-]+", text.strip()) if part]
    if len(parts) != 3:
        return [text.strip(), "", ""]
    if len(parts[0]) == 4 and parts[0].isdigit():
        parts.reverse()
    return parts


class GovukDateInput(forms.MultiWidget):
    """Three text boxes, day, month and year (``<name>_day`` ...), in GOV.UK's date input markup.

    Also reads a whole ISO date under the field's own name (``?date_from=2026-03-27``), so links
    built before the boxes still work."""

    template_name = "core/widgets/govuk_date_input.html"

    def __init__(self, attrs=None) -> None:
        boxes = {
            part: forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"})
            for part in DATE_PARTS
        }
        super().__init__(boxes, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value.strip():
            return split_whole_date(value)
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if not any(f"{name}_{part}" in data for part in DATE_PARTS) and data.get(name):
            return self.decompress(data.get(name))
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        has_error = "--error" in context["widget"]["attrs"].get("class", "")
        for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            width = 4 if part == "year" else 2
            css = f"govuk-input govuk-date-input__input govuk-input--width-{width}"
            subwidget["attrs"]["class"] = css + (" govuk-input--error" if has_error else "")
            subwidget["attrs"].pop("aria-describedby", None)
            if "id" in subwidget["attrs"]:
                subwidget["attrs"]["id"] = f"{context['widget']['attrs']['id']}_{part}"
            subwidget["part"] = part
            subwidget["label"] = part.capitalize()
        return context

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else id_


class GovukDateField(forms.MultiValueField):
    """A date typed into GOV.UK's day, month and year boxes, with GOV.UK's error messages."""

    widget = GovukDateInput

    def __init__(self, *, label: str | None = None, help_text: str = DATE_HINT, **kwargs) -> None:
        self.subject = label or "The date"
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields, require_all_fields=False, label=label, help_text=help_text, **kwargs)
        if "required" not in (kwargs.get("error_messages") or {}):
            subject = self.subject[0].lower() + self.subject[1:]
            self.error_messages["required"] = (
                f"Enter {subject}" if subject.startswith("the ") else f"Enter the {subject}"
            )

    def clean(self, value):
        parts = [str(part or "").strip() for part in (value or [None, None, None])]
        if not any(parts):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        if parts[0] and not parts[1] and not parts[2]:
            # A whole date typed into the day box.
            parts = split_whole_date(parts[0])
        missing = [name for name, part in zip(DATE_PARTS, parts, strict=True) if not part]
        if missing:
            raise forms.ValidationError(f"{self.subject} must include a {' and a '.join(missing)}", code="incomplete")
        day, month, year = parts
        day_number = int(day) if day.isdigit() else None
        month_number = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
        if not (year.isdigit() and len(year) == 4):
            raise forms.ValidationError("Year must include 4 numbers", code="invalid")
        try:
            if day_number is None or month_number is None:
                raise ValueError
            date = datetime.date(int(year), month_number, day_number)
        except ValueError:
            raise forms.ValidationError(f"{self.subject} must be a real date", code="invalid") from None
        self.run_validators(date)
        return date

    def compress(self, data_list):  # clean() above builds the date itself
        return data_list

    def has_changed(self, initial, data) -> bool:
        return self.widget.decompress(initial) != [str(part or "") or None for part in (data or [])]


def _label_of(name: str, field: forms.Field) -> str:
    label = str(field.label or name.replace("_", " ").capitalize())
    return label[0].upper() + label[1:]


def plain_length_limits(form: forms.BaseForm) -> None:
    """State each text field's length limit in its hint and in a plain-words error; a text area
    without a limit gets ``DEFAULT_TEXT_MAX_LENGTH``. Call before the form's fields are bound."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.HiddenInput):
            continue
        if field.max_length is None and isinstance(field.widget, forms.Textarea):
            field.max_length = DEFAULT_TEXT_MAX_LENGTH
            field.validators.append(MaxLengthValidator(DEFAULT_TEXT_MAX_LENGTH))
        if field.max_length is None:
            continue
        limit = f"{field.max_length:,} characters or fewer"
        # A form that words its own message (a question as the label reads badly before "must be") keeps it.
        field.error_messages.setdefault("max_length", f"{_label_of(name, field)} must be {limit}")
        if isinstance(field.widget, forms.Textarea) and limit not in str(field.help_text or ""):
            field.help_text = f"{field.help_text} {limit[0].upper()}{limit[1:]}.".strip()


WIDGET_CLASSES = {
    forms.TextInput: "govuk-input",
    forms.EmailInput: "govuk-input",
    forms.PasswordInput: "govuk-input",
    forms.DateInput: "govuk-input govuk-input--width-10",
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.CheckboxInput: "govuk-checkboxes__input",
    GovukDateInput: "govuk-date-input",
}


class GovukFormMixin:
    """Adds GOV.UK Frontend classes and ties hints and errors to their inputs (aria-describedby);
    states length limits in hints and errors (``plain_length_limits``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        dress_fields(self)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            css = attrs.get("class", "")
            if css and "checkboxes" not in css:
                attrs["class"] = f"{css} {css.split()[0]}--error"
            attrs["aria-describedby"] = " ".join(
                filter(None, [attrs.get("aria-describedby"), f"{self[name].auto_id}-error"])
            )


def dress_fields(form: forms.BaseForm) -> None:
    """GOV.UK classes, hints tied to inputs and plain length limits on every field of ``form``:
    again after a form adds fields of its own in ``__init__``."""
    plain_length_limits(form)
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.NumberInput):
            widget.attrs["class"] = widget.attrs.get("class") or "govuk-input govuk-input--width-5"
        elif "class" not in widget.attrs or not widget.attrs["class"].startswith("govuk-"):
            widget.attrs["class"] = next((c for kind, c in WIDGET_CLASSES.items() if isinstance(widget, kind)), "")
        if field.help_text:
            widget.attrs["aria-describedby"] = f"{form[name].auto_id}-hint"
