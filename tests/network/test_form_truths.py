"""Small truths a user notices (issue 20): labels do not call a needed field optional, forms
show only what applies to the organisation's kind, a need waiting for review says so, and
English dates are day first or ISO."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation

from matchmaking.introductions.forms import MatchFeedbackForm, MeetingForm
from network.forms import OrganisationForm
from tests.conftest import person_with_login
from tests.factories import OrganisationFactory
from tests.matchmaking.factories import NeedFactory

pytestmark = pytest.mark.django_db

COMPANY_ONLY = ("readiness_level", "employees", "founded")


def test_the_reason_needed_for_not_relevant_is_not_labelled_optional():
    with translation.override("da"):
        reason = render_to_string("includes/field.html", {"field": MatchFeedbackForm()["reason"]})
        comment = render_to_string("includes/field.html", {"field": MeetingForm()["comment"]})
    assert "Hvorfor?" in reason
    assert "valgfrit" not in reason
    assert "valgfrit" in comment  # a truly optional field still says so


def test_a_municipality_profile_has_no_company_fields():
    municipality = OrganisationFactory(kind="municipality", cvr="")
    fields = OrganisationForm(instance=municipality).fields
    assert not set(COMPANY_ONLY) & set(fields)
    assert set(COMPANY_ONLY) <= set(OrganisationForm(instance=OrganisationFactory()).fields)


def test_the_municipality_edit_page_does_not_ask_for_a_readiness_level(client):
    municipality = OrganisationFactory(kind="municipality", cvr="")
    client.force_login(person_with_login(municipality, "admin", "it@odense.example"))
    body = client.get(reverse("organisation_edit", args=[municipality.slug])).content.decode()
    assert 'name="readiness_level"' not in body
    assert 'name="employees"' not in body
    assert 'name="description"' in body


def test_a_need_waiting_for_review_shows_its_review_state_not_open(client):
    need = NeedFactory(status="open", is_published=False, review_status="pending")
    client.force_login(person_with_login(need.owner, "admin", "sundhed@odense.example"))
    with translation.override("da"):
        body = client.get(need.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    status = body.split('data-testid="need-status"', 1)[1].split("</p>", 1)[0]
    assert "Til gennemgang" in status, status
    assert "Åben" not in status


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [
        ("en", "31 Dec 2026", "31 Dec 2026"),
        ("da", "31.12.2026", "31. december 2026"),
        ("nb", "31.12.2026", "31. desember 2026"),
    ],
)
def test_dates_follow_the_language(language, short, long):
    day = datetime.date(2026, 12, 31)
    with translation.override(language):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == short
        assert formats.date_format(day) == long


def test_english_forms_read_iso_and_day_first_dates_never_us_month_first():
    with translation.override("en"):
        accepted = formats.get_format("DATE_INPUT_FORMATS")
    assert accepted[0] == "%Y-%m-%d"
    assert "%m/%d/%Y" not in accepted
