"""The ``__any_of`` lookup: the rows of ``__in``, with the ids sent as one array on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.lookups import id_set
from schools.models import School
from tests.factories.officers import PostingFactory
from tests.factories.schools import LocalAuthorityFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def test_any_of_finds_the_same_rows_as_in():
    schools = SchoolFactory.create_batch(4)
    wanted = [schools[0].pk, schools[2].pk, schools[3].pk]
    assert set(School.objects.filter(pk__any_of=id_set(wanted))) == set(School.objects.filter(pk__in=wanted))


def test_any_of_on_a_foreign_key_column():
    authority, other = LocalAuthorityFactory(), LocalAuthorityFactory()
    mine = SchoolFactory(local_authority=authority)
    SchoolFactory(local_authority=other)
    assert list(School.objects.filter(local_authority_id__any_of=id_set([authority.pk]))) == [mine]


def test_any_of_follows_a_join():
    authority = LocalAuthorityFactory()
    posting = PostingFactory(school__local_authority=authority)
    PostingFactory()
    found = type(posting).objects.filter(school__local_authority_id__any_of=id_set([authority.pk]))
    assert list(found) == [posting]


def test_any_of_an_empty_set_finds_nothing_without_asking_the_database():
    SchoolFactory()
    with CaptureQueriesContext(connection) as ctx:
        assert list(School.objects.filter(pk__any_of=id_set([]))) == []
    assert len(ctx.captured_queries) == 0


def test_any_of_excluded_keeps_the_other_rows():
    kept, dropped = SchoolFactory(), SchoolFactory()
    assert list(School.objects.exclude(pk__any_of=id_set([dropped.pk]))) == [kept]


def test_any_of_refuses_a_value_that_is_not_an_id():
    with pytest.raises(ValueError):
        School.objects.filter(pk__any_of=id_set(["not-an-id"]))


def test_any_of_sends_hundreds_of_ids_as_one_parameter_on_postgresql():
    schools = SchoolFactory.create_batch(3)
    many_ids = id_set([school.pk for school in schools] + list(range(10**6, 10**6 + 300)))
    queryset = School.objects.filter(pk__any_of=many_ids)
    sql, params = queryset.query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and len(params) == 1
    else:
        assert " IN (" in sql and len(params) == 303
    assert queryset.count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the array parameter is PostgreSQL's")
def test_any_of_sends_the_ids_as_the_text_of_one_array_on_postgresql():
    # Text, not a list: psycopg would quote a list's every element in Python, on every query.
    _, (array,) = School.objects.filter(pk__any_of=id_set([3, 1, 2])).query.sql_with_params()
    assert array.startswith("{") and array.endswith("}")
    assert set(array[1:-1].split(",")) == {"1", "2", "3"}
