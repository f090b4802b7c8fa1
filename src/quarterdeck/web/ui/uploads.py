"""Files uploaded through a page's form (multipart/form-data, the CSRF token a field of the
same form). The import size limit is enforced before the form is read: a request must state
its length, and one longer than the limit (plus room for the form's other fields) is refused
unread; the file itself may then be at most the limit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import UploadFile

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.limits import too_large
from quarterdeck.web.policies import get_settings

__all__ = ["FORM_ALLOWANCE", "Upload", "UploadDep", "uploaded_file"]

FORM_ALLOWANCE = 64 * 1024  # the form's other fields, part headers and boundaries
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Upload:
    """The file of the form's `file` field: its name (as messages and the audit log say it)
    and content, empty when no file was chosen; and the import limit it was held to, for
    the service reading it."""

    name: str
    data: bytes
    max_bytes: int


def _file_name(raw: str | None) -> str:
    """The file's own name: no folders (some browsers send a path), no control characters."""
    base = re.split(r"[\\/]", raw or "")[-1]
    return _UNPRINTABLE.sub("", base).strip()[:200]


async def uploaded_file(request: Request) -> Upload:
    """The uploaded file, read within the import size limit. Declared before the route's
    policy, so the form is read here (with one file at most) and the CSRF check reuses it."""
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise InvalidInput("send the file with the page's upload form")
    limit = get_settings(request).import_max_bytes
    declared = request.headers.get("content-length", "")
    if not declared.isdigit():
        raise InvalidInput("an upload must state its length (Content-Length)")
    if int(declared) > limit + FORM_ALLOWANCE:
        raise InvalidInput(too_large("the file", size=None, max_bytes=limit))
    form = await request.form(max_files=1, max_fields=50)
    sent = form.get("file")
    if not isinstance(sent, UploadFile):
        return Upload("", b"", limit)
    name = _file_name(sent.filename)
    try:
        data = await sent.read(limit + 1)
    finally:
        await sent.close()
    if len(data) > limit:
        raise InvalidInput(too_large(name or "the file", size=None, max_bytes=limit))
    return Upload(name, data, limit)


# Declared first in a route, so that the form is read before the policy's CSRF check.
UploadDep = Annotated[Upload, Depends(uploaded_file)]
