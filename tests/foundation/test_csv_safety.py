import pytest

from ssoportal.csv_safety import csv_safe


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx"])
def test_text_starting_like_a_formula_is_prefixed_with_an_apostrophe(text):
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["St Mary's School", "", 5, None])
def test_other_values_are_unchanged(value):
    assert csv_safe(value) == value
