"""Cutting long lists into pages, with a clear 404 for a page that does not exist."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404


def paginate(request, queryset, per_page: int):
    """The page of `queryset` the query string asks for (?page=N)."""
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("page") or 1
    try:
        return paginator.page(number)
    except InvalidPage as error:
        pages = paginator.num_pages
        raise Http404(
            f"There is no page “{str(number)[:20]}” of this list: it has {pages} page{'s' if pages != 1 else ''}."
        ) from error
