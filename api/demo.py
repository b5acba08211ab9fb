"""Demo council API clients: one per demo borough. No token is created here: issue one with
``manage.py create_api_token --client "<name>"`` so no secret is ever hard-coded or printed."""

from __future__ import annotations

import random

from schools.models import LocalAuthority

from .models import ApiClient, Scope
from .services import create_api_client


def load_demo_api(rng: random.Random) -> dict[str, int]:
    created = 0
    for authority in LocalAuthority.objects.filter(gss_code__in=["E09000901", "E09000902"]).order_by("name"):
        name = f"{authority.name} Council"
        if ApiClient.objects.filter(name=name).exists():
            continue
        create_api_client(
            name=name,
            local_authorities=[authority],
            scopes=Scope.values,
            contact_email=f"data.team@{authority.name.lower()}.council.invalid",
        )
        created += 1
    return {"API clients": created}
