import datetime

from django import forms
from django.utils import timezone

from core.forms import GovukDateField, GovukFormMixin
from officers.models import BCU, Officer
from schools.models import School

from .models import INTIMATE_SEARCH_TYPES, SearchRecord, SearchType
from .selectors import GROUPINGS
from .services import search_rule_errors

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
    """The months that are over, newest first: a month still going on would be published anew each
    day, and two days' figures subtracted would show one day's searches."""
    first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
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


# The SSO's portal form: the fields that apply to each search type, in order. The rules are the
# service's (``search_rule_errors``), shown against these fields before anything is saved.
COMMON_FIELDS = [
    "reference",
    "search_date",
    "search_time",
    "school",
    "location",
    "legal_power",
    "section_60",
    "child_age",
    "gender",
    "self_defined_ethnicity",
    "officer_observed_ethnicity",
    "reason",
    "outcome",
    "items_found",
    "body_worn_video",
    "body_worn_video_reason",
]
APPROPRIATE_ADULT_FIELDS = [
    "appropriate_adult_present",
    "appropriate_adult_name",
    "appropriate_adult_role",
    "statutory_exception",
    "statutory_exception_reason",
]
AUTHORISATION_FIELDS = ["authorising_officer_name", "authorising_officer_number", "authorising_officer_rank"]
AFTERWARDS_FIELDS = ["parent_or_carer_informed", "school_dsl_informed"]
FOLLOW_UP_FIELDS = ["follow_up_by", "follow_up_due_on"]


def portal_fields(search_type: str) -> list[str]:
    """The fields the SSO's form shows for a search type: only what applies to it."""
    fields = list(COMMON_FIELDS)
    if search_type != SearchType.OUTER_CLOTHING:
        fields += APPROPRIATE_ADULT_FIELDS
    if search_type in INTIMATE_SEARCH_TYPES:
        fields += AUTHORISATION_FIELDS
    fields += AFTERWARDS_FIELDS
    if search_type != SearchType.OUTER_CLOTHING:
        fields += FOLLOW_UP_FIELDS
    if search_type in INTIMATE_SEARCH_TYPES:
        fields += ["referral_reference"]
    return [*fields, "status"]


class RulesShownOnFieldsMixin:
    """Runs the search rules on the unsaved record and shows each broken one against its field
    (or above the form, for a field the form does not show)."""

    rule_errors = staticmethod(search_rule_errors)
    # A rule about a record field the form asks for under another name.
    field_for_rule = {"searched_at": "search_date"}

    def _post_clean(self) -> None:
        super()._post_clean()
        for field, messages in self.rule_errors(self.instance).items():
            field = self.field_for_rule.get(field, field)
            self.add_error(field if field in self.fields else None, messages)


class PortalSearchForm(RulesShownOnFieldsMixin, GovukFormMixin, forms.ModelForm):
    """A search recorded by the officer who made it, on their phone."""

    class Meta:
        model = SearchRecord
        fields = sorted(
            {name for kind in SearchType.values for name in portal_fields(kind)} - {"search_date", "search_time"}
        )
        # Help texts here, not in __init__: the form's bound fields keep the help text they start with.
        help_texts = {
            "reference": "The search record number from the force's own system.",
            "location": "Only when the search was not at one of your schools: no addresses.",
            "section_60": "Only for a search under section 60: the authorisation in force.",
            "body_worn_video": "If it was not, say why below.",
            "child_age": "Under 18: a child.",
            "authorising_officer_name": "Required for a child: an Inspector or above authorises the search.",
            "authorising_officer_rank": "Inspector or above.",
            "follow_up_by": "Required for a child: who will offer the trauma-informed follow-up (name and role).",
            "referral_reference": "Required to close the search of a child. You can add it later.",
        }
        widgets = {
            "child_age": forms.NumberInput(
                attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-3"}
            ),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "items_found": forms.Textarea(attrs={"rows": 2}),
            "body_worn_video_reason": forms.Textarea(attrs={"rows": 2}),
            "statutory_exception_reason": forms.Textarea(attrs={"rows": 2}),
        }

    # The date and time of the search, as two labelled inputs (``searched_at`` on the record).
    search_date = GovukDateField(label="Date of the search")
    follow_up_due_on = GovukDateField(
        label="Follow-up due by",
        required=False,
        help_text="Required for a child: a week after the search is usual. For example, 27 3 2026",
    )
    search_time = forms.TimeField(
        label="Time of the search",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args, officer, search_type: str, schools, authorisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        shown = portal_fields(search_type)
        for name in list(self.fields):
            if name not in shown:
                del self.fields[name]
        self.order_fields(shown)
        self.fields["search_time"].widget.attrs["class"] = "govuk-input govuk-input--width-5"
        self.fields["child_age"].widget.attrs["class"] = "govuk-input govuk-input--width-3"
        for field in self.fields.values():
            # GOV.UK style: say what to do, not "This field is required".
            verb = "Choose" if isinstance(field.widget, forms.Select) else "Enter"
            field.error_messages["required"] = f"{verb} the {field.label[0].lower()}{field.label[1:]}."
        self.instance.officer = officer
        self.instance.bcu_id = officer.bcu_id
        self.instance.search_type = search_type
        self.fields["school"].queryset = schools
        self.fields["school"].empty_label = "None of my schools: I give the location"
        self.fields["school"].initial = next(iter(schools), None)
        self.fields["section_60"].queryset = authorisations
        if "follow_up_by" in self.fields:
            self.fields["follow_up_by"].initial = f"{officer.full_name} (the SSO)"
            self.fields["follow_up_due_on"].initial = timezone.localdate() + datetime.timedelta(days=7)

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.pop("search_date", None), cleaned.pop("search_time", None)
        if day and time:
            moment = datetime.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())
            cleaned["searched_at"] = self.instance.searched_at = moment
        return cleaned


class FollowUpDoneForm(GovukFormMixin, forms.Form):
    offered = forms.CharField(label="What was offered", widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(
        label="Outcome", widget=forms.Textarea(attrs={"rows": 3}), help_text="Never the child's name."
    )
    completed_on = GovukDateField(label="Done on", error_messages={"required": "Enter the date it was done"})


class ReferralForm(GovukFormMixin, forms.Form):
    referral_reference = forms.CharField(label="Safeguarding referral reference", max_length=50)
