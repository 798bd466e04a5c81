"""The universal export importer: analytics exports people already have, read as records.

``open_export`` recognises the file from its header (canonical winsbot CSV, LinkedIn page posts,
X account analytics new and legacy, Meta Business Suite, Sprout Social) and streams
``SnapshotRecord``/``FollowerRecord`` items, with a ``RowProblem`` for each row it cannot read.
"""

from .errors import EmptyExportError, ExportError, MissingAccountError, UnknownFormatError
from .formats import FORMATS, ExportFormat
from .reader import ExportReader, open_export

__all__ = [
    "FORMATS",
    "EmptyExportError",
    "ExportError",
    "ExportFormat",
    "ExportReader",
    "MissingAccountError",
    "UnknownFormatError",
    "open_export",
]
