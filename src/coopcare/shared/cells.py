"""Values written into the cells of a spreadsheet people open (CSV or XLSX).

A text cell beginning with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before
one) is run as a formula by Excel, LibreOffice and Google Sheets when the file is opened, so a
name someone typed, such as ``=HYPERLINK("https://...")``, would run on the reader's machine.
Source: OWASP, "CSV Injection".
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def inert(value):
    """``value`` as a cell that runs nothing: text that a spreadsheet would read as a formula
    gets a leading apostrophe, which spreadsheets read as "this is text". Numbers, and text
    that is a plain number (``-3.50``), stay as they are."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value
