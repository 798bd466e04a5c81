"""The universal export importer: analytics exports people already have, read as records.

``open_export`` recognises the file from its header (canonical winsbot CSV, LinkedIn page posts,
X account analytics new and legacy, Meta Business Suite, Sprout Social) and streams
``SnapshotRecord``/``FollowerRecord`` items, with a ``RowProblem`` for each row it cannot read.
"""

from .background import BACKGROUND_FROM_BYTES, BackgroundExport, ParserStoppedError
from .errors import EmptyExportError, ExportError, MissingAccountError, UnknownFormatError
from .formats import FORMATS, ExportFormat
from .reader import ExportReader, open_export

__all__ = [
    "BACKGROUND_FROM_BYTES",
    "FORMATS",
    "BackgroundExport",
    "EmptyExportError",
    "ExportError",
    "ExportFormat",
    "ExportReader",
    "MissingAccountError",
    "ParserStoppedError",
    "UnknownFormatError",
    "open_export",
]
