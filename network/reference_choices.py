"""The choices of the reference-data facets (regions, municipalities, focus areas), read once
and shared.

Every list page offers a municipality select of some 450 options and a region select; building
them meant reading and instantiating every row on every request. The rows change only when an
admin edits reference data, so the (value, label) pairs are kept in the cache per language and
forgotten when a region or municipality is saved or deleted. Validation still asks the database.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.forms.models import ModelChoiceIterator
from django.utils.translation import get_language

TIMEOUT = 60 * 60
VERSION_KEY = "reference-choices:version"


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return version


def forget_reference_choices(**_kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet: nothing cached under a version either
        cache.add(VERSION_KEY, 1, None)


class CachedReferenceChoices(ModelChoiceIterator):
    """A ModelChoiceIterator whose rows come from the cache for the field's whole queryset."""

    def _choices(self) -> list[tuple[str, str]]:
        model = self.queryset.model._meta.label_lower
        key = f"reference-choices:{_version()}:{model}:{self.field.to_field_name}:{get_language()}"
        choices = cache.get(key)
        if choices is None:
            choices = [
                (str(self.field.prepare_value(row)), str(self.field.label_from_instance(row)))
                for row in self.queryset
            ]
            cache.set(key, choices, TIMEOUT)
        return choices

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self._choices()

    def __len__(self):
        return len(self._choices()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self._choices())


def connect_signals() -> None:
    from network.models import FocusArea, Municipality, Region

    for model in (FocusArea, Municipality, Region):
        post_save.connect(forget_reference_choices, sender=model, dispatch_uid=f"rc-save-{model}")
        post_delete.connect(
            forget_reference_choices, sender=model, dispatch_uid=f"rc-delete-{model}"
        )
