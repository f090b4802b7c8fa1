"""The one size limit of an imported file: the operator's `import_max_bytes` setting
(QUARTERDECK_IMPORT_MAX_BYTES).

The faces hold it to a file before reading it whole; the readers hold it again before
decoding, with the value the caller passes. A reader's default is the setting's default,
not a number of its own, so raising the setting raises every reader's limit with it and a
reader called without the configured value refuses only what the default would. Every
refusal is worded by `too_large`: the file, its size, the limit and the setting.
"""

from __future__ import annotations

from quarterdeck.settings import Settings

__all__ = ["DEFAULT_MAX_BYTES", "LIMIT_SETTING", "too_large"]

_FIELD = "import_max_bytes"
DEFAULT_MAX_BYTES: int = Settings.model_fields[_FIELD].default
LIMIT_SETTING = f"{Settings.model_config.get('env_prefix', '')}{_FIELD}".upper()


def too_large(what: str, *, size: int | None, max_bytes: int) -> str:
    """Why `what` is refused: "deploys.csv is 1,310,720 bytes, more than the import limit
    of 1,048,576 bytes (QUARTERDECK_IMPORT_MAX_BYTES)". `size` is None when only its
    being larger is known (a body sent in chunks, read up to the limit)."""
    told = "" if size is None else f" {size:,} bytes,"
    return f"{what} is{told} more than the import limit of {max_bytes:,} bytes ({LIMIT_SETTING})"
