"""Indexes created by hand in migrations (the ORM cannot declare them on every database)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="INCLUDE indexes exist on PostgreSQL only"),
]


def test_schools_have_a_urn_index_covering_their_local_authority_and_id():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["schools_school_urn_paging"])
        (definition,) = cursor.fetchone()
    assert "(urn) INCLUDE (local_authority_id, id)" in definition
