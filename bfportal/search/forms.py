from django import forms
from django.conf import settings


class SearchForm(forms.Form):
    """?query= and ?page= as the search view may use them. A CharField refuses NUL characters,
    which PostgreSQL cannot hold in a text value."""

    query = forms.CharField(required=False)
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["query"] = forms.CharField(
            required=False, max_length=settings.SEARCH_QUERY_MAX_LENGTH
        )
