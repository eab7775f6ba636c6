"""The search form: every choice lives in the URL (a result can be bookmarked and shared)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from network.models import FocusArea, Region, SavedSearchFrequency
from network.search.sources import sources

ORDER_CHOICES = [("relevance", _("Relevance")), ("name", _("Name"))]


class SearchForm(forms.Form):
    # No length limit to refuse: a long paste is cut to its first words (network.search.query).
    q = forms.CharField(label=_("Search"), required=False, strip=True)
    kind = forms.ChoiceField(label=_("Show"), required=False)
    order = forms.ChoiceField(label=_("Order"), choices=ORDER_CHOICES, required=False)
    focus_area = forms.ModelChoiceField(
        label=_("Focus area"),
        queryset=FocusArea.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All focus areas"),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All regions"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything"))] + [
            (kind, source.label) for kind, source in sources().items()
        ]

    def value(self, name: str, default=""):
        """A field's clean value, or the default when it was missing or not valid."""
        if not self.is_bound:
            return default
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {}).get(name)
        return cleaned if cleaned not in (None, "") else default


class SavedSearchForm(forms.Form):
    """Save the search on the page: its choices travel as hidden fields, the email is chosen."""

    q = forms.CharField(required=True, max_length=5000, widget=forms.HiddenInput)
    kind = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)
    focus_area = forms.SlugField(required=False, max_length=100, widget=forms.HiddenInput)
    region = forms.SlugField(required=False, max_length=100, widget=forms.HiddenInput)
    frequency = forms.ChoiceField(
        label=_("Email me new needs, test sites and offers it finds"),
        choices=SavedSearchFrequency.choices,
        initial=SavedSearchFrequency.DAILY,
    )
