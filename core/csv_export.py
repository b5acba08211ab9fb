"""The one CSV writer every export uses: streamed row by row, each text cell guarded so a
spreadsheet never runs it as a formula (CSV injection)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO

from django.http import StreamingHttpResponse

# A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """Text starting like a formula is prefixed with an apostrophe; anything else is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose ``write`` hands the line back, so rows are formatted one at a time."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[object], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The header then each row as one CSV line ("\\n"-terminated), every cell through ``csv_safe``."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow([csv_safe(cell) for cell in header])
    for row in rows:
        yield writer.writerow([csv_safe(cell) for cell in row])


def write_csv(output: TextIO, header: Sequence[object], rows: Iterable[Sequence[object]]) -> int:
    """Write the header and rows to ``output``; return the number of rows (header excluded)."""
    lines = csv_lines(header, rows)
    output.write(next(lines))
    written = 0
    for line in lines:
        output.write(line)
        written += 1
    return written


def csv_download(filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]) -> StreamingHttpResponse:
    """A streamed CSV attachment: rows are read and written as the client downloads them."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
