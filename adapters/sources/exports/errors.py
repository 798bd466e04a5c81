"""Why an export cannot be imported at all (as opposed to one bad row, which is a RowProblem).

All of them are ``ValueError``s whose message is written for the person running the import: it
says what was wrong and what to pass instead, so the CLI can print it as it is.
"""

from __future__ import annotations


class ExportError(ValueError):
    """The file as a whole cannot be imported."""


class UnknownFormatError(ExportError):
    """No known export's columns were found (or not the forced format's)."""


class EmptyExportError(UnknownFormatError):
    """The file has no header row at all, so there is nothing to recognise."""


class MissingAccountError(ExportError):
    """The export does not say whose posts these are and no account was passed."""
