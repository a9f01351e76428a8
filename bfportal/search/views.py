from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page

RESULTS_PER_PAGE = 10


def search(request):
    """Full-text search over live pages without a login or password restriction, with
    Wagtail's database backend."""
    search_query = request.GET.get("query", "").strip()
    pages = Page.objects.live().public().specific()
    results = pages.search(search_query) if search_query else []
    paginator = Paginator(results, RESULTS_PER_PAGE)
    # get_page() turns a missing, malformed or out-of-range ?page= into a valid page.
    search_results = paginator.get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": search_query, "search_results": search_results},
    )
