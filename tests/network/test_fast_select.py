"""The Python-written selects give the same markup as Django's template-rendered ones."""

import pytest
from django import forms
from django.test.html import parse_html

from network.widgets import FastSelect, FastSelectMultiple

CHOICES = [
    ("", "Alle kommuner"),
    ("aeroe", "Ærø"),
    ("a&b", 'Kommune "A" & <B>'),
    ("Norge", [("oslo", "Oslo"), ("guovdageaidnu", "Guovdageaidnu – Kautokeino")]),
    (7, "Tal"),
]


@pytest.mark.parametrize(
    ("django_widget", "fast_widget", "value"),
    [
        (forms.Select, FastSelect, "a&b"),
        (forms.Select, FastSelect, "oslo"),
        (forms.Select, FastSelect, None),
        (forms.SelectMultiple, FastSelectMultiple, ["aeroe", "7"]),
    ],
)
def test_same_markup_as_django(django_widget, fast_widget, value):
    attrs = {"id": "id_municipality", "class": "form-select", "aria-describedby": "x_hint"}
    expected = django_widget(choices=CHOICES).render("municipality", value, attrs=attrs)
    actual = fast_widget(choices=CHOICES).render("municipality", value, attrs=attrs)
    assert parse_html(actual) == parse_html(expected)
    assert "<B>" not in actual
    assert "&lt;B&gt;" in actual


def test_a_disabled_and_required_select_keeps_its_flags():
    html = FastSelect(choices=CHOICES, attrs={"disabled": True, "required": False}).render(
        "m", "aeroe"
    )
    assert " disabled" in html
    assert "required" not in html
    assert '<option value="aeroe" selected>Ærø</option>' in html


@pytest.mark.django_db
def test_a_model_choice_select_matches_django(django_assert_num_queries):
    from network.models import Municipality

    chosen = Municipality.objects.order_by("name")[3]

    def render(widget):
        field = forms.ModelChoiceField(
            Municipality.objects.all(), to_field_name="slug", widget=widget, empty_label="Alle"
        )
        return field.widget.render("municipality", chosen.slug, attrs={"id": "id_m"})

    expected = render(forms.Select)
    with django_assert_num_queries(1):
        actual = render(FastSelect)
    assert parse_html(actual) == parse_html(expected)
    assert actual.count("<option") == Municipality.objects.count() + 1
    assert f'<option value="{chosen.slug}" selected>' in actual
