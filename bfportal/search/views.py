from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page

from search.forms import SearchForm

RESULTS_PER_PAGE = 10


def search(request):
    """Full-text search over live pages without a login or password restriction, with
    Wagtail's database backend. A query it cannot run gets the form back, its error and 400."""
    form = SearchForm(request.GET)
    form.is_valid()
    search_query = form.cleaned_data.get("query", "")
    pages = Page.objects.live().public().specific()
    results = pages.search(search_query) if search_query else []
    paginator = Paginator(results, RESULTS_PER_PAGE)
    # A page number that is missing or invalid gives the first page; one past the end, the last.
    search_results = paginator.get_page(form.cleaned_data.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {"form": form, "search_query": search_query, "search_results": search_results},
        status=400 if "query" in form.errors else 200,
    )
