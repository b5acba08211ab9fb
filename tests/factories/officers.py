import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from officers.models import BCU, Officer, OfficerRole, OfficerStatus, Posting, PostingRole, Rank
from ssoportal.migration_helpers import BCU_MANAGER_GROUP

from .schools import SchoolFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("correct-horse-battery")


class BCUManagerFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def in_manager_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=BCU_MANAGER_GROUP))


class BCUFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BCU
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"BCU{n}")
    name = factory.Sequence(lambda n: f"BCU number {n}")
    force = "Test Constabulary"


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    collar_number = factory.Sequence(lambda n: f"T{n:05d}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    rank = Rank.CONSTABLE
    role = OfficerRole.SSO
    bcu = factory.SubFactory(BCUFactory)
    status = OfficerStatus.ACTIVE
    probation_end_date = datetime.date(2020, 1, 1)
    enhanced_vetting_date = datetime.date(2025, 6, 1)


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Posting

    officer = factory.SubFactory(OfficerFactory)
    school = factory.SubFactory(SchoolFactory)
    role = PostingRole.PRIMARY
    start_date = datetime.date(2026, 9, 1)
    end_date = None
