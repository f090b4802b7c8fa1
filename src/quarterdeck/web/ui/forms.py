"""Reading form posts: the fields a page submits, as plain values for the services."""

from __future__ import annotations

from fastapi import Request

__all__ = ["form_fields"]


async def form_fields(request: Request) -> dict[str, str]:
    """Every text field of the posted form (files and the CSRF token left out)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
