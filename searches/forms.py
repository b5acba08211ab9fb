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


class SearchSummaryForm(forms.Form):
    """The period and BCU of a report; the whole force when no BCU is chosen."""

    # GOV.UK Frontend classes for the portal page; the admin page ignores them.
    date_from = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"class": "govuk-input govuk-input--width-10"})
    )
    date_to = forms.DateField(
        label="To (inclusive)", widget=forms.DateInput(attrs={"class": "govuk-input govuk-input--width-10"})
    )
    bcu = forms.ModelChoiceField(
        BCU.objects.all(), required=False, label="BCU", widget=forms.Select(attrs={"class": "govuk-select"})
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
