import datetime
from zoneinfo import ZoneInfo

import factory

from searches.models import (
    BodyWornVideo,
    EthnicGroup,
    Gender,
    LegalPower,
    Outcome,
    PupilPopulation,
    SearchRecord,
    SearchType,
    Section60Authorisation,
    SelfDefinedEthnicity,
)

from .officers import OfficerFactory, UserFactory
from .schools import LocalAuthorityFactory, SchoolFactory

LONDON = ZoneInfo("Europe/London")
WEEK = datetime.timedelta(days=7)


class SearchRecordFactory(factory.django.DjangoModelFactory):
    """An outer-clothing search of a 15-year-old at school: no special rules apply."""

    class Meta:
        model = SearchRecord

    reference = factory.Sequence(lambda n: f"SR-TEST-{n:05d}")
    officer = factory.SubFactory(OfficerFactory)
    bcu = factory.SelfAttribute("officer.bcu")
    school = factory.SubFactory(SchoolFactory)
    searched_at = datetime.datetime(2026, 10, 14, 11, 30, tzinfo=LONDON)
    legal_power = LegalPower.MISUSE_OF_DRUGS_S23
    search_type = SearchType.OUTER_CLOTHING
    child_age = 15
    self_defined_ethnicity = SelfDefinedEthnicity.WHITE_BRITISH
    officer_observed_ethnicity = EthnicGroup.WHITE
    gender = Gender.MALE
    reason = "Smell of cannabis reported by a member of staff."
    outcome = Outcome.NO_FURTHER_ACTION
    body_worn_video = BodyWornVideo.RECORDED
    recorded_by = factory.SubFactory(UserFactory)


class IntimateSearchFactory(SearchRecordFactory):
    """A search exposing intimate parts that satisfies every rule, with no referral yet."""

    search_type = SearchType.INTIMATE_PARTS
    legal_power = LegalPower.PACE_S54
    authorising_officer_name = "Insp. Rowan Pike"
    authorising_officer_number = "IN4401"
    authorising_officer_rank = "insp"
    appropriate_adult_present = True
    appropriate_adult_name = "Dana Whitlock"
    appropriate_adult_role = "parent"
    follow_up_by = "PC Ellis (the SSO) with the school's DSL"
    follow_up_due_on = factory.LazyAttribute(lambda search: search.searched_at.astimezone(LONDON).date() + WEEK)


class Section60AuthorisationFactory(factory.django.DjangoModelFactory):
    """Eight hours in October 2026, authorised by an Inspector, the community told the day before."""

    class Meta:
        model = Section60Authorisation

    bcu = factory.SubFactory("tests.factories.officers.BCUFactory")
    area = "The streets around Riverside Park and the bus station"
    starts_at = datetime.datetime(2026, 10, 14, 10, 0, tzinfo=LONDON)
    ends_at = datetime.datetime(2026, 10, 14, 18, 0, tzinfo=LONDON)
    authorising_officer_name = "Insp. Rowan Pike"
    authorising_officer_rank = "insp"
    community_notified_at = datetime.datetime(2026, 10, 13, 17, 0, tzinfo=LONDON)
    community_notified_to = "Riverside safer neighbourhood panel; the council's community safety team"
    recorded_by = factory.SubFactory(UserFactory)


class PupilPopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PupilPopulation

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    year = 2026
    ethnicity = SelfDefinedEthnicity.WHITE_BRITISH
    pupil_count = 1000
