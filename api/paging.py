"""What every endpoint shares: the slug pattern of paths and filters, error bodies, the next page's address."""

from ninja import Path

# Slugs are ASCII (core.text.ascii_slug); anything else is refused before it reaches a query.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
SLUG = Path(..., max_length=220, pattern=SLUG_PATTERN)


def error(detail: str, errors=None) -> dict:
    """An error body: a sentence, and the messages of each query parameter (a form's `errors`)."""
    return {"detail": detail, "errors": {field: list(messages) for field, messages in (errors or {}).items()}}


def next_url(request, cursor: str | None) -> str | None:
    """The address of the page after this one (the same filters, the new cursor), or None."""
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
