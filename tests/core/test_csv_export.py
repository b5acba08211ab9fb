import io

import pytest

from core.csv_export import csv_download, csv_lines, csv_safe, write_csv


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx"])
def test_text_starting_like_a_formula_is_prefixed_with_an_apostrophe(text):
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["St Mary's School", "", 5, None])
def test_other_values_are_unchanged(value):
    assert csv_safe(value) == value


def test_every_cell_of_every_line_is_guarded_header_included():
    lines = list(csv_lines(["=header"], [["=SUM(A1)", 3], ["plain", -1]]))
    assert lines == ["'=header\n", "'=SUM(A1),3\n", "plain,-1\n"]


def test_write_csv_counts_the_rows_written_without_the_header():
    output = io.StringIO()
    assert write_csv(output, ["a", "b"], [[1, 2], [3, 4]]) == 2
    assert output.getvalue() == "a,b\n1,2\n3,4\n"


def test_a_download_is_streamed_as_an_attachment_row_by_row():
    def rows():
        yield ["first"]
        raise AssertionError("read only as the client downloads it")

    response = csv_download("report.csv", ["heading"], rows())
    assert response["Content-Disposition"] == 'attachment; filename="report.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    stream = iter(response.streaming_content)
    assert next(stream) == b"heading\n"
    assert next(stream) == b"first\n"
