import datetime
from decimal import Decimal

import factory

from schools.models import (
    DSLContact,
    DSLRole,
    LocalAuthority,
    Phase,
    School,
    SchoolStaff,
    SchoolStatus,
    StaffRole,
    Ward,
)


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ["gss_code"]

    gss_code = factory.Sequence(lambda n: f"E09{n:06d}")
    dfe_code = factory.Sequence(lambda n: f"{(n % 900) + 100}")
    name = factory.Sequence(lambda n: f"Borough {n}")


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    code = factory.Sequence(lambda n: f"E05{n:06d}")
    name = factory.Sequence(lambda n: f"Ward {n}")
    local_authority = factory.SubFactory(LocalAuthorityFactory)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: str(100000 + n))
    name = factory.Sequence(lambda n: f"Test School {n}")
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    ward = factory.SubFactory(WardFactory, local_authority=factory.SelfAttribute("..local_authority"))
    lsoa_code = factory.Sequence(lambda n: f"E01{n:06d}")
    phase = Phase.SECONDARY
    establishment_type = "Academy converter"
    status = SchoolStatus.OPEN
    statutory_low_age = 11
    statutory_high_age = 16
    pupil_count = 900
    fsm_count = 180
    fsm_percentage = Decimal("20.0")
    postcode = "RB1 1AA"
    easting = 531000
    northing = 181000


class DSLContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DSLContact

    school = factory.SubFactory(SchoolFactory)
    name = factory.Faker("name", locale="en_GB")
    role = DSLRole.LEAD
    email = factory.Sequence(lambda n: f"dsl{n}@school.invalid")
    phone = "020 7946 0000"
    last_confirmed_on = factory.LazyFunction(lambda: datetime.date(2026, 9, 1))
    is_current = True


class SchoolStaffFactory(factory.django.DjangoModelFactory):
    """A staff membership saved directly (in the portal only an accepted invitation makes one)."""

    class Meta:
        model = SchoolStaff

    school = factory.SubFactory(SchoolFactory)
    user = factory.SubFactory("tests.factories.officers.UserFactory")
    role = StaffRole.STAFF
    is_current = True
