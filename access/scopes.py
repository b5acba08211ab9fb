"""The schools a viewer works with, as a query condition any model's ``visible_to`` can apply.

Field paths are passed in (``"pk"``/``"local_authority_id"`` for a school, ``"school_id"``/
``"school__local_authority_id"`` for a row about a school), so this module needs no model.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q

from core.lookups import id_set

from .roles import Viewer

NOTHING = Q(pk__in=[])


def school_condition(viewer: Viewer, *, school: str, local_authority: str, with_readable: bool = False) -> Q:
    """Rows whose school the viewer works with: every school for a BCU manager (an empty
    condition); otherwise the schools of an API client's granted local authorities, and a
    DSL's or an SSO's own schools. ``with_readable`` adds a council reader's local authorities,
    for reads that only ever feed aggregate figures. Always false for anyone else.
    """
    if viewer.is_bcu_manager:
        return Q()
    local_authorities = viewer.granted_local_authority_ids
    if with_readable:
        local_authorities = local_authorities | viewer.readable_local_authority_ids
    parts = []
    if local_authorities:
        # __any_of: an API client's grant runs to hundreds of ids (core/lookups.py).
        parts.append(Q(**{f"{local_authority}__any_of": id_set(local_authorities)}))
    schools = viewer.dsl_school_ids | viewer.sso_school_ids
    if schools:
        parts.append(Q(**{f"{school}__in": schools}))
    return reduce(or_, parts) if parts else NOTHING
