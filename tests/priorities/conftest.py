from pathlib import Path

import pytest

from priorities.models import ScoringModel

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def standard_model(db) -> ScoringModel:
    """The active model created by migration 0002."""
    return ScoringModel.objects.get(is_active=True)
