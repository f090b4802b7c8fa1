"""Architecture Decision Records in and out: the ADR formats engineers keep in their
repositories (Nygard/adr-tools, MADR 2, 3 and 4, log4brains) read into records ready to
become decisions, and decisions written back as MADR or Nygard files.

Pure file work: no database, no services. The import service turns `AdrImport.records`
into decisions (all or nothing, refusing when `AdrImport.failures` is not empty); the
export service builds `AdrExportRecord`s from stored decisions.
"""

from __future__ import annotations

from quarterdeck.ingest.adr_read import read_adr_directory
from quarterdeck.ingest.adr_records import (
    DEFAULT_AREAS,
    AdrExportRecord,
    AdrImport,
    FileReport,
    ImportedAdr,
    Outcome,
)
from quarterdeck.ingest.adr_write import AdrFormat, adr_file_name, render_adr, write_adr_directory

__all__ = [
    "DEFAULT_AREAS",
    "AdrExportRecord",
    "AdrFormat",
    "AdrImport",
    "FileReport",
    "ImportedAdr",
    "Outcome",
    "adr_file_name",
    "read_adr_directory",
    "render_adr",
    "write_adr_directory",
]
