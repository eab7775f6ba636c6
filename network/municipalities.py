"""Finding a municipality by what a person types: its official number or any of its official
names (Norwegian, Sami, Kven), in any case. Used by the forms and filters that choose one."""

import unicodedata

from django import forms
from django_filters.fields import ModelChoiceField as FilterModelChoiceField

# Words people add after the name ("Tana kommune", "Deatnu gielda"), dropped before comparing.
SUFFIXES = (" kommune", " kommun", " municipality", " suohkan", " gielda", " tjïelte")


def name_key(text: str) -> str:
    """Case, width, hyphens and spacing made alike, å as aa (Aalborg, Ålesund), and 'kommune'
    dropped: 'KAUTOKEINO Kommune' and 'kautokeino' compare equal, while other letters keep their
    accents (Kárášjohka is not Karasjok)."""
    text = unicodedata.normalize("NFKC", text or "").casefold().replace("å", "aa")
    text = " ".join(text.replace("-", " ").split())
    for suffix in SUFFIXES:
        text = text.removesuffix(suffix)
    return text


def code_key(text: str) -> str | None:
    """A municipality number as stored ('0301'), or None when the text is no number. Spreadsheets
    drop the leading zero (301), so up to four digits count."""
    text = (text or "").strip()
    return text.zfill(4) if text.isdigit() and len(text) <= 4 else None


def find_municipality(queryset, value: str, *, country: str | None = None):
    """The one municipality in `queryset` whose number or official name is `value`, or None
    when there is none or more than one (Våler and Herøy need their county)."""
    code = code_key(value)
    if country:
        queryset = queryset.filter(country=country)
    if code:
        found = list(queryset.filter(code=code)[:2])
        return found[0] if len(found) == 1 else None
    key = name_key(value)
    if not key:
        return None
    # Compared in Python: SQLite folds the case of ASCII letters only (not Á, Š or Ø).
    ids = {
        pk
        for pk, name, others in queryset.values_list("pk", "name", "alternative_names")
        if key in {name_key(n) for n in [name, *(others or [])]}
    }
    return queryset.get(pk=ids.pop()) if len(ids) == 1 else None


class MunicipalityLookupMixin:
    """A choice of municipality that shows the other official names beside the Norwegian one and
    also takes a number or a name, when what was sent is not one of the choices' own values."""

    def label_from_instance(self, obj):
        return obj.label

    def to_python(self, value):
        if value in self.empty_values or isinstance(value, self.queryset.model):
            return super().to_python(value)
        text = str(value).strip()
        # An id never starts with 0, so '0301' is Oslo's number, not the row with id 301.
        if self.to_field_name or not text.startswith("0"):
            try:
                return super().to_python(value)
            except forms.ValidationError:
                pass
        found = find_municipality(self.queryset, text)
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return found


class MunicipalityChoiceField(MunicipalityLookupMixin, forms.ModelChoiceField):
    """For forms: the select sends the municipality's id, which wins; '5612', 'Guovdageaidnu' or
    'kautokeino' are found by number or name."""


class MunicipalityFilterField(MunicipalityLookupMixin, FilterModelChoiceField):
    """For filters: the URL carries the slug; a number or name in its place is found too."""
