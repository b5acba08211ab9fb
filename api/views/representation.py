"""Values as DRF's fields write them, for the lists that build their rows from ``.values()``
dicts instead of model instances (tests hold each such row equal to the generic one)."""

from __future__ import annotations

import datetime
import decimal

from officers.models import Officer

_RANK_LABELS = dict(Officer._meta.get_field("rank").flatchoices)


def iso_datetime(value: datetime.datetime, zone: datetime.tzinfo) -> str:
    """As DRF's DateTimeField gives it: ISO 8601 in the current time zone, UTC written as Z."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def iso_date(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def decimal_text(value: decimal.Decimal | None) -> str | None:
    """As DRF's DecimalField gives it (COERCE_DECIMAL_TO_STRING): fixed point, never exponent."""
    return None if value is None else f"{value:f}"


def rank_label(rank: str) -> str:
    """As ``get_rank_display()``: the label, or the stored value if it is not a choice."""
    return str(_RANK_LABELS.get(rank, rank))
