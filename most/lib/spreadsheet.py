"""Writing rows to CSV and XLSX safely."""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# A cell starting with one of these is a formula to Excel and LibreOffice ("CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


# Without a byte-order mark at the start, Excel reads a CSV file in the computer's legacy code
# page and garbles every Cyrillic, Arabic and Slovene letter; other programs skip the mark.
BYTE_ORDER_MARK = "\ufeff"


def csv_lines(header, rows):
    """Yield CSV text line by line (for a streaming response, encoded as UTF-8), formulas
    neutralised; the text starts with a byte-order mark."""
    yield BYTE_ORDER_MARK
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _chain(header, rows):
        writer.writerow([safe_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _chain(header, rows):
    yield header
    yield from rows


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_xlsx(path, header, rows, on_row=None, sheet_title="Export"):
    """Write the rows to an XLSX workbook at path, streaming (constant memory).

    Every text is stored as text, never as a formula (openpyxl would take "=..." as one);
    dates and numbers keep their types. on_row(count) is told how many rows are written.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)

    def cells(values, bold=False):
        row = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if bold:
                cell.font = Font(bold=True)
            row.append(cell)
        return row

    sheet.append(cells(header, bold=True))
    for count, values in enumerate(rows, start=1):
        sheet.append(cells(values))
        if on_row is not None:
            on_row(count)
    workbook.save(path)


def xlsx_bytes(header, rows, sheet_title="Export") -> bytes:
    """A small workbook (a page's figures) in memory."""
    buffer = io.BytesIO()
    write_xlsx(buffer, header, rows, sheet_title=sheet_title)
    return buffer.getvalue()
