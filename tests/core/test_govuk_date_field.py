"""The GOV.UK date input every portal form uses: three boxes that read what people type."""

import datetime

import pytest
from django import forms

from core.forms import GovukDateField, GovukFormMixin


class DateForm(GovukFormMixin, forms.Form):
    taken_on = GovukDateField(label="Date of action")
    optional_on = GovukDateField(label="Follow-up date", required=False)


def _form(**data):
    return DateForm(data)


def _taken_on(day="", month="", year=""):
    return {"taken_on_day": day, "taken_on_month": month, "taken_on_year": year}


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [
        ("27", "3", "2026"),
        ("27", "03", "2026"),
        (" 27 ", "March", "2026"),
        ("27", "mar", "2026"),
        ("27", "Sept.", "2026"),
    ],
)
def test_what_people_type_is_read(day, month, year):
    form = _form(**_taken_on(day, month, year))
    expected = datetime.date(2026, 9 if month.startswith("Sept") else 3, 27)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["taken_on"] == expected


@pytest.mark.parametrize("typed", ["27/3/2026", "27 March 2026", "2026-03-27", "27-03-2026"])
def test_a_whole_date_typed_in_the_day_box_is_read(typed):
    form = _form(**_taken_on(typed))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["taken_on"] == datetime.date(2026, 3, 27)


def test_an_iso_date_under_the_fields_own_name_is_read_for_old_links():
    form = _form(taken_on="2026-03-27")
    assert form.is_valid() and form.cleaned_data["taken_on"] == datetime.date(2026, 3, 27)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "", ""), "Enter the date of action"),
        (("27", "", "2026"), "Date of action must include a month"),
        (("27", "", ""), "Date of action must include a month and a year"),
        (("30", "2", "2026"), "Date of action must be a real date"),
        (("27", "13", "2026"), "Date of action must be a real date"),
        (("27", "3", "26"), "Year must include 4 numbers"),
        (("x", "3", "2026"), "Date of action must be a real date"),
    ],
)
def test_a_wrong_date_gets_govuk_wording(parts, message):
    form = _form(**_taken_on(*parts))
    assert form.errors["taken_on"] == [message]


def test_an_optional_date_left_empty_is_none():
    form = _form(**_taken_on("27", "3", "2026"))
    assert form.is_valid() and form.cleaned_data["optional_on"] is None


def test_the_boxes_are_labelled_and_the_hint_matches():
    html = str(DateForm()["taken_on"])
    assert all(f'id="id_taken_on_{part}"' in html for part in ("day", "month", "year"))
    assert 'name="taken_on_day"' in html and 'inputmode="numeric"' in html and "govuk-date-input__input" in html
    assert DateForm()["taken_on"].help_text == "For example, 27 3 2026"


def test_an_initial_date_fills_the_three_boxes():
    html = str(DateForm(initial={"taken_on": datetime.date(2026, 12, 6)})["taken_on"])
    assert 'value="6"' in html and 'value="12"' in html and 'value="2026"' in html


def test_a_typed_wrong_date_is_shown_again_as_typed_and_marked():
    form = _form(**_taken_on("30", "2", "2026"))
    form.is_valid()
    html = str(form["taken_on"])
    assert 'value="30"' in html and "govuk-input--error" in html


class TextForm(GovukFormMixin, forms.Form):
    description = forms.CharField(widget=forms.Textarea)
    reference = forms.CharField(max_length=30, label="Pupil reference")


def test_a_text_area_without_a_limit_gets_10000_characters_stated_in_its_hint():
    form = TextForm()
    assert form.fields["description"].max_length == 10_000
    assert "10,000 characters or fewer" in form["description"].help_text


def test_too_long_text_gets_plain_words():
    form = TextForm({"description": "x" * 200_000, "reference": "y" * 31})
    assert form.errors["description"] == ["Description must be 10,000 characters or fewer"]
    assert form.errors["reference"] == ["Pupil reference must be 30 characters or fewer"]
