import random

import pytest

from api.demo import load_demo_api
from api.models import ApiClient, ApiToken
from schools.demo import load_demo_schools

pytestmark = pytest.mark.django_db


def test_demo_creates_one_client_per_demo_borough_without_tokens_and_is_idempotent():
    load_demo_schools(random.Random(2026))
    assert load_demo_api(random.Random(2026)) == {"API clients": 2}
    assert load_demo_api(random.Random(2026)) == {"API clients": 0}
    clients = ApiClient.objects.prefetch_related("local_authorities").order_by("name")
    assert [(c.name, [la.name for la in c.local_authorities.all()]) for c in clients] == [
        ("Hartwell Council", ["Hartwell"]),
        ("Riverbank Council", ["Riverbank"]),
    ]
    assert not ApiToken.objects.exists()
