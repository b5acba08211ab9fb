import datetime
from decimal import Decimal

import factory

from priorities.defaults import DEFAULT_CRIME_TYPE_WEIGHTS
from priorities.models import (
    AdviceOrganisation,
    Band,
    CoverageLevel,
    CrimeAggregate,
    CrimeType,
    CrimeTypeWeight,
    PartnerAdvice,
    PriorityRun,
    PriorityScore,
    ScoringModel,
)

from .officers import UserFactory
from .schools import SchoolFactory


class ScoringModelFactory(factory.django.DjangoModelFactory):
    """A scoring model with every crime type weighted 1 unless ``crime_weights`` says otherwise."""

    class Meta:
        model = ScoringModel
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Model {n}")
    is_active = False

    @factory.post_generation
    def crime_weights(model, create, extracted, **kwargs):
        if not create:
            return
        weights = {crime_type: Decimal(1) for crime_type in DEFAULT_CRIME_TYPE_WEIGHTS} | (extracted or {})
        CrimeTypeWeight.objects.bulk_create(
            CrimeTypeWeight(scoring_model=model, crime_type=crime_type, weight=weight)
            for crime_type, weight in weights.items()
        )


class CrimeAggregateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrimeAggregate

    month = datetime.date(2026, 8, 1)
    force = "test-force"
    lsoa_code = factory.Sequence(lambda n: f"E01{n:06d}")
    crime_type = CrimeType.VIOLENCE_AND_SEXUAL_OFFENCES
    count = 10
    located_count = 10
    # About E 531000, N 181000 on the British National Grid (central London).
    longitude = -0.1187
    latitude = 51.5108


class PartnerAdviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerAdvice

    school = factory.SubFactory(SchoolFactory)
    author = factory.SubFactory(UserFactory)
    organisation = AdviceOrganisation.POLICE
    adjustment = 1
    reason = "Reports of older youths waiting outside the gates at home time."
    advised_on = datetime.date(2026, 10, 1)


class PriorityRunFactory(factory.django.DjangoModelFactory):
    """A run of the active scoring model (seeded by migration 0002), with no scores yet."""

    class Meta:
        model = PriorityRun

    scoring_model = factory.LazyFunction(lambda: ScoringModel.objects.get(is_active=True))
    scoring_model_version = factory.SelfAttribute("scoring_model.version")
    parameters = factory.LazyFunction(dict)


class PriorityScoreFactory(factory.django.DjangoModelFactory):
    """A school's score in a run, with the rank and band given (components zero)."""

    class Meta:
        model = PriorityScore

    run = factory.SubFactory(PriorityRunFactory)
    school = factory.SubFactory(SchoolFactory)
    bcu = factory.SelfAttribute("school.bcu")
    total = Decimal("50")
    rank_in_bcu = 1
    band = Band.HIGH
    crime = fsm = pupils = advice = coverage = Decimal("0")
    crime_input = Decimal("0")
    coverage_input = CoverageLevel.NONE
