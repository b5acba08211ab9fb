import datetime

from django import forms
from django.utils import timezone

from officers.models import BCU, Officer
from schools.models import School

from .selectors import GROUPINGS

# A report spans at most this long: longer periods belong to the annual open-data files.
LONGEST_PERIOD = datetime.timedelta(days=3 * 366)
BREAKDOWNS = [
    (key, GROUPINGS[key].label) for key in ("bcu", "school", "officer", "ethnicity", "observed_ethnic_group")
]


class BcuScopeForm(forms.Form):
    # GOV.UK Frontend classes for the portal page; the admin page ignores them.
    bcu = forms.ModelChoiceField(
        BCU.objects.all(), required=False, label="BCU", widget=forms.Select(attrs={"class": "govuk-select"})
    )


class SearchSummaryForm(BcuScopeForm):
    """The period and BCU of a report; the whole force when no BCU is chosen."""

    field_order = ["date_from", "date_to", "bcu"]
    date_from = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"class": "govuk-input govuk-input--width-10"})
    )
    date_to = forms.DateField(
        label="To (inclusive)", widget=forms.DateInput(attrs={"class": "govuk-input govuk-input--width-10"})
    )

    @classmethod
    def from_query(cls, data):
        """Bound to the query string, with the last twelve months when no dates are given."""
        today = timezone.localdate()
        defaults = {
            "date_from": (today - datetime.timedelta(days=364)).isoformat(),
            "date_to": today.isoformat(),
        }
        return cls({**defaults, **{key: value for key, value in data.items() if value}})

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to:
            if date_from > date_to:
                self.add_error("date_to", "The end of the period must not be before its start.")
            elif date_to - date_from > LONGEST_PERIOD:
                self.add_error("date_to", "A report can cover at most three years.")
        return cleaned


MONTHS_OFFERED = 36


def _month_choices(today: datetime.date) -> list[tuple[str, str]]:
    first = today.replace(day=1)
    months = []
    for _ in range(MONTHS_OFFERED):
        months.append((first.strftime("%Y-%m"), first.strftime("%B %Y")))
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return months


class SearchMonthSummaryForm(BcuScopeForm):
    """The summary outside the police: one calendar month (the periods of the monthly open
    data), for the whole force or one BCU.

    Fixed months, never free dates: two overlapping periods subtracted from each other would
    show the searches of a single day (a child's ethnicity and age band), however well each
    table is suppressed. ``cleaned_data`` carries the month's ``date_from`` and ``date_to``.
    """

    field_order = ["month", "bcu"]
    month = forms.ChoiceField(label="Month", widget=forms.Select(attrs={"class": "govuk-select"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = _month_choices(timezone.localdate())

    @classmethod
    def from_query(cls, data):
        """Bound to the query string, with the last complete month when none is given."""
        last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        return cls({"month": last_month.strftime("%Y-%m"), **{key: value for key, value in data.items() if value}})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("month"):
            first = datetime.date.fromisoformat(cleaned["month"] + "-01")
            cleaned["date_from"] = first
            cleaned["date_to"] = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        return cleaned


class SearchReportForm(SearchSummaryForm):
    """The BCU managers' report: also one school or officer, and a breakdown table."""

    school = forms.ModelChoiceField(
        # Only schools and officers with searches: the lists stay short as the portal grows.
        School.objects.filter(searches__isnull=False).distinct(),
        required=False,
    )
    officer = forms.ModelChoiceField(Officer.objects.filter(searches__isnull=False).distinct(), required=False)
    breakdown = forms.ChoiceField(choices=BREAKDOWNS, initial="bcu", required=False)

    def clean(self):
        cleaned = super().clean()
        cleaned["breakdown"] = cleaned.get("breakdown") or "bcu"
        return cleaned
