"""Both sides act on matches: "not relevant" with a reason (hidden from that side, also after a
full re-run, until undone), the reasons feeding the next run, the target side's shortlist and
invitation, who may do which, and bad input."""

import pytest
from django.urls import reverse

from matchmaking import actions, services
from matchmaking.actions import ActionError
from matchmaking.introductions import services as introductions
from matchmaking.models import Match, MatchCriteria
from matchmaking.models_introductions import Feedback, Introduction, ShortlistEntry
from network.models import Notification
from tests.conftest import person_with_login
from tests.factories import OrganisationFactory, TestSiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def matched(small_network):
    """The small network after a full run; logins for the falls company, the municipality
    that posted the falls need, and an unrelated company."""
    run = services.match_run_full_now()
    assert run.status == "succeeded", run.error
    need = small_network["falls_need"]
    return {
        **small_network,
        "match": Match.objects.get(source=small_network["falls_sme"], need=need),
        "sme_user": person_with_login(small_network["falls_sme"], "member", "m@faldvagt.example"),
        "kommune_user": person_with_login(need.owner, "member", "m@odense.example"),
        "outsider": person_with_login(
            OrganisationFactory(name="Andet Firma ApS"), "admin", "a@andet.example"
        ),
    }


def veto_url(match, side):
    return reverse("matchmaking:match_not_relevant", args=[match.pk, side])


def need_url(need):
    return reverse("matchmaking:need_matches", args=[need.pk])


def company_targets(client):
    page = client.get(reverse("matchmaking:my_matches")).context["page"]
    return [(m.target_type, m.target_id) for m in page]


def need_companies(client, need):
    return [m.source_id for m in client.get(need_url(need)).context["page"]]


def current_match(matched):
    """The pair's match row as the last run wrote it (a full run writes rows anew)."""
    return Match.objects.get(source=matched["falls_sme"], need=matched["falls_need"])


# -- veto from each side --------------------------------------------------------------------
def test_company_veto_hides_the_pair_survives_a_full_run_and_undo_brings_it_back(
    client, matched, django_capture_on_commit_callbacks
):
    need, sme = matched["falls_need"], matched["falls_sme"]
    client.force_login(matched["sme_user"])
    assert ("need", need.pk) in company_targets(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            veto_url(matched["match"], "company"),
            {"reason_code": "wrong_place", "reason": "Too far for us."},
        )
    assert response.status_code == 302
    veto = Feedback.objects.get(source=sme, organisation=sme, kind="not_relevant")
    assert (veto.reason_code, veto.reason) == ("wrong_place", "Too far for us.")
    assert ("need", need.pk) not in company_targets(client)
    # The other side is not affected: the municipality still sees the company.
    client.force_login(matched["kommune_user"])
    assert sme.pk in need_companies(client, need)

    services.match_run_full_now()
    assert Match.objects.filter(source=sme, need=need).exists()  # scored, but not shown
    client.force_login(matched["sme_user"])
    assert ("need", need.pk) not in company_targets(client)

    listed = client.get(reverse("matchmaking:my_vetoed"))
    assert listed.status_code == 200
    body = listed.content.decode()
    assert need.title in body
    assert "Too far away or the wrong place" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matchmaking:veto_undo", args=[veto.pk]))
    assert response.status_code == 302
    assert not Feedback.objects.filter(pk=veto.pk).exists()
    assert ("need", need.pk) in company_targets(client)


def test_target_side_veto_hides_the_company_survives_a_full_run_and_undo_brings_it_back(
    client, matched, django_capture_on_commit_callbacks
):
    need, sme = matched["falls_need"], matched["falls_sme"]
    client.force_login(matched["kommune_user"])
    assert sme.pk in need_companies(client, need)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            veto_url(matched["match"], "target"),
            {"reason_code": "already_known", "reason": "", "next": need_url(need)},
        )
    assert response.status_code == 302
    assert response.url == need_url(need)
    veto = Feedback.objects.get(source=sme, organisation=need.owner, kind="not_relevant")
    assert sme.pk not in need_companies(client, need)
    # The company still sees the need: the veto is the municipality's.
    client.force_login(matched["sme_user"])
    assert ("need", need.pk) in company_targets(client)

    services.match_run_full_now()
    client.force_login(matched["kommune_user"])
    assert sme.pk not in need_companies(client, need)
    listed = client.get(reverse("matchmaking:need_vetoed", args=[need.pk]))
    assert sme.name in listed.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matchmaking:veto_undo", args=[veto.pk]))
    assert sme.pk in need_companies(client, need)


def test_the_rating_form_s_not_relevant_is_a_veto_too(client, matched):
    client.force_login(matched["sme_user"])
    url = reverse("matchmaking:match_feedback", args=[matched["match"].pk])
    client.post(url, {"kind": "not_relevant", "reason": "Not for us."})
    assert ("need", matched["falls_need"].pk) not in company_targets(client)


def test_vetoing_again_replaces_the_reason(matched):
    match, user = matched["match"], matched["sme_user"]
    actions.match_veto(match=match, user=user, side="company", reason_code="wrong_stage")
    actions.match_veto(match=match, user=user, side="company", reason="Other words")
    veto = Feedback.objects.get(organisation=matched["falls_sme"], kind="not_relevant")
    assert (veto.reason_code, veto.reason) == ("", "Other words")


# -- reasons feed the next run ------------------------------------------------------------
@pytest.fixture
def look_alikes(db):
    """A company that does falls and diabetes alike; two falls test sites much like each other
    and a diabetes one, ranked just behind the second falls site."""
    criteria = MatchCriteria.current()
    criteria.weight_feedback = 0.3
    criteria.save()
    sme = OrganisationFactory(
        name="Dobbelt ApS",
        description="Faldsensorer til natten og en diabetesapp til insulindosering.",
        readiness_level=6,
    )
    owner = OrganisationFactory(name="Aarhus Kommune", kind="municipality", cvr="")

    def site(name, text):
        return TestSiteFactory(owner=owner, name=name, description=text, trl_min=4, trl_max=8)

    falls = site("Plejecenter Nord", "Faldsensorer til natten på plejecentret.")
    falls_too = site("Plejecenter Syd", "Faldsensorer til natten på plejecentret i eget hjem.")
    diabetes = site(
        "Diabetesklinik",
        "Diabetesapp til insulindosering på klinikken for patienter med diabetes og deres "
        "pårørende.",
    )
    return {
        "sme": sme,
        "owner": owner,
        "falls": falls,
        "falls_too": falls_too,
        "diabetes": diabetes,
    }


def _scores(sme):
    return {(m.target_type, m.target_id): m.score for m in Match.objects.filter(source=sme)}


@pytest.mark.parametrize(
    ("reason_code", "sinks"), [("not_our_field", True), ("already_known", False)]
)
def test_a_subject_veto_sinks_similar_targets_for_that_company(look_alikes, reason_code, sinks):
    sme = look_alikes["sme"]
    user = person_with_login(sme, "admin", "a@dobbelt.example")
    services.match_run_full_now()
    before = _scores(sme)
    falls_too = ("test_site", look_alikes["falls_too"].pk)
    diabetes = ("test_site", look_alikes["diabetes"].pk)
    match = Match.objects.get(source=sme, test_site=look_alikes["falls"])
    actions.match_veto(match=match, user=user, side="company", reason_code=reason_code)
    services.match_run_full_now()
    after = _scores(sme)
    assert after[diabetes] == pytest.approx(before[diabetes])
    if sinks:
        # Like the vetoed site, so it sinks below the unlike one that was behind it.
        assert after[falls_too] < before[falls_too]
        assert before[falls_too] > before[diabetes] > after[falls_too]
        reasons = Match.objects.get(source=sme, test_site=look_alikes["falls_too"]).reasons
        assert reasons["feedback"]["code"] == "negative"
    else:
        assert after[falls_too] == pytest.approx(before[falls_too])
        assert after[falls_too] > after[diabetes]


def test_a_subject_veto_by_the_target_side_sinks_similar_companies_for_that_target():
    """The provider alone: the target's owner vetoed company 1 as "not our field"; company 2
    (the same words) sinks for that target only, company 3 (other words) does not."""
    import numpy as np

    from matchmaking import feedback
    from matchmaking.scoring.components import FEEDBACK_NEUTRAL
    from matchmaking.scoring.corpus import Corpus, Document

    sources = [
        Document("sme", 1, text="faldsensor natten hjemmepleje"),
        Document("sme", 2, text="faldsensor natten hjemmepleje alarm"),
        Document("sme", 3, text="diabetes insulin app"),
    ]
    targets = [
        Document("test_site", 10, text="faldsensor natten"),
        Document("test_site", 11, text="faldsensor plejecenter"),
    ]
    corpus = Corpus.build(sources, targets)
    provider = feedback.PastFeedback.build(
        corpus,
        ratings=[(1, "test_site", 10, feedback.NOT_RELEVANT)],
        meetings=[],
        topic_vetoes=[(1, "test_site", 10, True)],
    )
    s, t = corpus.sources.index(), corpus.targets.index()
    rows = np.array([s[("sme", 1)], s[("sme", 2)], s[("sme", 3)]])
    columns = np.array([t[("test_site", 10)], t[("test_site", 11)]])
    block = provider.block(rows, columns)
    assert block[0, 0] == feedback.NOT_RELEVANT  # the vetoed pair itself
    assert block[1, 0] < FEEDBACK_NEUTRAL  # like the vetoed company: sinks for that target
    assert block[2, 0] == FEEDBACK_NEUTRAL  # unlike: unchanged
    assert block[1, 1] == FEEDBACK_NEUTRAL  # another target: unchanged
    si, ti = np.repeat(rows, columns.size), np.tile(columns, rows.size)
    assert np.allclose(provider.pairs(si, ti), block.ravel())


# -- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason_code": "", "reason": ""}, "reason_code"),
        ({"reason_code": "other", "reason": "   "}, "reason"),
        ({"reason_code": "because", "reason": "x"}, "reason_code"),
    ],
)
def test_a_veto_without_a_usable_reason_is_refused_and_changes_nothing(
    client, matched, data, field
):
    client.force_login(matched["sme_user"])
    response = client.post(veto_url(matched["match"], "company"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'class="form-error-message"' in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_services_refuse_an_empty_reason(matched):
    with pytest.raises(ActionError):
        actions.match_veto(match=matched["match"], user=None, side="company")
    with pytest.raises(ActionError):
        actions.match_veto(
            match=matched["match"], user=None, side="company", reason_code="other", reason=" "
        )
    assert not Feedback.objects.exists()


def test_the_veto_form_page_shows_the_reasons(client, matched):
    client.force_login(matched["kommune_user"])
    response = client.get(veto_url(matched["match"], "target"))
    assert response.status_code == 200
    body = response.content.decode()
    assert matched["falls_sme"].name in body
    assert "Not our field" in body
    assert 'name="reason"' in body


# -- who may do what ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "side", "status"),
    [
        ("outsider", "company", 404),
        ("outsider", "target", 404),
        ("sme_user", "target", 403),  # the company may not veto for the municipality
        ("kommune_user", "company", 403),
        ("sme_user", "nonsense", 404),
    ],
)
def test_acting_for_a_side_that_is_not_yours_is_refused(client, matched, who, side, status):
    client.force_login(matched[who])
    match = matched["match"]
    assert client.post(veto_url(match, side), {"reason_code": "wrong_stage"}).status_code == status
    url = reverse("matchmaking:match_shortlist", args=[match.pk, side])
    assert client.post(url).status_code == status
    assert not Feedback.objects.exists()
    assert not ShortlistEntry.objects.exists()


def test_another_organisations_match_id_is_not_found(client, matched):
    """An id of a match between two other organisations: 404 on every action, nothing made."""
    client.force_login(matched["sme_user"])
    others = Match.objects.get(source=matched["diabetes_sme"], test_site=matched["diabetes_site"])
    for url in (
        veto_url(others, "company"),
        veto_url(others, "target"),
        reverse("matchmaking:match_shortlist", args=[others.pk, "target"]),
        reverse("matchmaking:introduction_invite", args=[others.pk]),
    ):
        assert client.post(url, {"reason_code": "wrong_stage", "message": "Hi"}).status_code == 404
    missing = reverse("matchmaking:match_not_relevant", args=[999999, "company"])
    assert client.post(missing).status_code == 404
    assert not Feedback.objects.exists()
    assert not ShortlistEntry.objects.exists()
    assert not Introduction.objects.exists()


def test_network_admins_follow_but_do_not_act(client, matched, network_admin):
    client.force_login(network_admin)
    response = client.post(veto_url(matched["match"], "company"), {"reason_code": "wrong_stage"})
    assert response.status_code == 403
    response = client.get(reverse("matchmaking:my_matches"), {"organisation": "faldvagt-aps"})
    assert response.status_code in (200, 404)


def test_only_the_vetoing_organisation_undoes(client, matched):
    veto = actions.match_veto(
        match=matched["match"], user=matched["sme_user"], side="company", reason_code="wrong_stage"
    )
    url = reverse("matchmaking:veto_undo", args=[veto.pk])
    for who in ("outsider", "kommune_user"):
        client.force_login(matched[who])
        assert client.post(url).status_code == 404
    assert Feedback.objects.filter(pk=veto.pk).exists()
    client.force_login(matched["sme_user"])
    assert client.get(url).status_code == 405


# -- shortlist and invitation (target side) -------------------------------------------------
def test_the_target_side_shortlists_and_filters_on_it(client, matched):
    need, match = matched["falls_need"], matched["match"]
    client.force_login(matched["kommune_user"])
    url = reverse("matchmaking:match_shortlist", args=[match.pk, "target"])
    assert client.post(url, {"next": need_url(need)}).status_code == 302
    assert client.post(url).status_code == 302  # twice: still one entry
    entry = ShortlistEntry.objects.get()
    assert (entry.organisation, entry.source) == (need.owner, matched["falls_sme"])
    response = client.get(need_url(need))
    assert 'data-testid="shortlisted"' in response.content.decode()
    assert need_companies(client, need) != []
    shortlist = client.get(need_url(need), {"shortlisted": "on"}).context["page"]
    assert [m.source_id for m in shortlist] == [matched["falls_sme"].pk]
    client.post(url, {"remove": "1"})
    assert not ShortlistEntry.objects.exists()
    assert list(client.get(need_url(need), {"shortlisted": "on"}).context["page"]) == []


def test_the_target_side_invites_and_double_opt_in_holds(client, matched, mailoutbox):
    match, sme = matched["match"], matched["falls_sme"]
    kommune_user, sme_user = matched["kommune_user"], matched["sme_user"]
    kommune_user.person.email = "mette.private@odense.example"
    kommune_user.person.save()
    sme_user.person.email = "bo.private@faldvagt.example"
    sme_user.person.save()
    url = reverse("matchmaking:introduction_invite", args=[match.pk])

    client.force_login(sme_user)  # the company does not invite itself
    assert client.post(url, {"message": "Hi"}).status_code == 403
    client.force_login(kommune_user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"message": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["message"]
    assert not Introduction.objects.exists()
    response = client.post(url, {"message": "Would you test your sensors with us?"})
    introduction = Introduction.objects.get()
    assert response.status_code == 302
    assert response.url == introduction.get_absolute_url()
    assert introduction.invited_by_target
    assert (introduction.asking_id, introduction.answering_id) == (need_owner(matched), sme.pk)
    assert Notification.objects.filter(user=sme_user, kind="introduction_requested").exists()
    # A second invitation for the same match goes to the open one.
    assert client.get(url).status_code == 302

    # The inviting side cannot answer its own invitation; nobody's details are shared yet.
    page = client.get(introduction.get_absolute_url()).content.decode()
    assert "bo.private@faldvagt.example" not in page
    accept = reverse("matchmaking:introduction_accept", args=[introduction.pk])
    assert client.post(accept).status_code == 403
    client.force_login(sme_user)
    page = client.get(introduction.get_absolute_url()).content.decode()
    assert "mette.private@odense.example" not in page
    assert client.post(accept).status_code == 302
    page = client.get(introduction.get_absolute_url()).content.decode()
    assert "mette.private@odense.example" in page
    client.force_login(kommune_user)
    assert (
        "bo.private@faldvagt.example"
        in client.get(introduction.get_absolute_url()).content.decode()
    )
    # The invitation shows on the company's list as one to answer.
    client.force_login(sme_user)
    incoming = client.get(reverse("matchmaking:introduction_list")).context["incoming"]
    assert [i.pk for i in incoming] == [introduction.pk]


def need_owner(matched):
    return matched["falls_need"].owner_id


def test_the_answer_page_shows_the_other_party_s_profile_and_why_they_matched(client, matched):
    introduction = introductions.introduction_request(
        match=matched["match"], user=matched["sme_user"], message="May we show our sensor?"
    )
    client.force_login(matched["kommune_user"])
    body = client.get(introduction.get_absolute_url()).content.decode()
    assert matched["falls_sme"].get_absolute_url() in body
    assert 'data-testid="party-profile"' in body
    assert "Why this match was suggested" in body
    assert "Both work on prevention and predictive health" in body
    assert matched["falls_need"].get_absolute_url() in body
    client.force_login(matched["sme_user"])
    body = client.get(introduction.get_absolute_url()).content.decode()
    assert matched["falls_need"].owner.get_absolute_url() in body


# -- query counts of the pages changed --------------------------------------------------------
@pytest.mark.parametrize("count", [5, 50])
def test_target_page_with_actions_query_count_constant(
    client, count, django_assert_max_num_queries
):
    from tests.matchmaking.factories import MatchFactory, NeedFactory

    need = NeedFactory()
    user = person_with_login(need.owner, "admin", "a@kommune.example")
    for n in range(count):
        match = MatchFactory(source=OrganisationFactory(), need=need, score=0.2 + n / 100)
        if n % 3 == 0:
            actions.match_shortlist(match=match, user=user, side="target")
        if n % 7 == 0:
            actions.match_veto(match=match, user=user, side="target", reason_code="wrong_stage")
    client.force_login(user)
    with django_assert_max_num_queries(13):
        response = client.get(need_url(need))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="match"') == min(
        count - (count + 6) // 7, 20
    )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("matchmaking:need_vetoed", args=[need.pk]))
    assert response.content.decode().count('data-testid="vetoed"') == (count + 6) // 7


@pytest.mark.parametrize("count", [5, 50])
def test_company_pages_with_vetoes_query_count_constant(
    client, organisation, owner, count, django_assert_max_num_queries
):
    from tests.matchmaking.factories import MatchFactory, NeedFactory

    for n in range(count):
        match = MatchFactory(source=organisation, need=NeedFactory(), score=0.2 + n / 100)
        if n % 5 == 0:
            actions.match_veto(match=match, user=owner, side="company", reason="Not for us")
    client.force_login(owner)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("matchmaking:my_matches"))
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get(reverse("matchmaking:my_vetoed"))
    assert response.content.decode().count('data-testid="vetoed"') == min((count + 4) // 5, 20)


def test_introduction_page_query_count(client, matched, django_assert_max_num_queries):
    introduction = introductions.introduction_request(
        match=matched["match"], user=matched["sme_user"], message="May we?"
    )
    client.force_login(matched["kommune_user"])
    with django_assert_max_num_queries(16):
        assert client.get(introduction.get_absolute_url()).status_code == 200


# -- a target's list is right as soon as its run has finished --------------------------------
def test_while_a_run_for_the_need_is_queued_the_page_says_so_and_polls(client, matched):
    from tests.matchmaking.factories import MatchRunFactory

    need = matched["falls_need"]
    client.force_login(matched["kommune_user"])
    body = client.get(need_url(need)).content.decode()
    assert 'data-testid="matching-progress"' not in body
    run = MatchRunFactory(
        kind="incremental", status="running", phase="scoring", progress=40,
        changes=[["need", need.pk]],
    )  # fmt: skip
    body = client.get(need_url(need)).content.decode()
    assert 'data-testid="matching-progress"' in body
    assert "40 % done" in body
    assert 'hx-trigger="every 3s"' in body  # htmx polls the list...
    assert '<meta http-equiv="refresh"' in body  # ...and without JavaScript the page reloads
    # An htmx poll gets the list alone; once the run is done, the list stops polling.
    partial = client.get(need_url(need), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert 'data-testid="matching-progress"' in partial
    run.status, run.phase, run.progress = "succeeded", "done", 100
    run.save()
    body = client.get(need_url(need)).content.decode()
    assert 'data-testid="matching-progress"' not in body
    assert "every 3s" not in body
    # A run for another target does not concern this list; a full run does.
    MatchRunFactory(kind="incremental", status="queued", changes=[["need", need.pk + 1000]])
    assert "matching-progress" not in client.get(need_url(need)).content.decode()
    MatchRunFactory(kind="full", status="queued", phase="waiting", progress=0)
    assert "matching-progress" in client.get(need_url(need)).content.decode()
    client.force_login(matched["sme_user"])
    assert "matching-progress" in client.get(reverse("matchmaking:my_matches")).content.decode()


def test_no_cached_zero_once_the_run_for_a_new_need_has_finished(
    client, matched, django_capture_on_commit_callbacks
):
    from matchmaking.models import Need

    owner = matched["falls_need"].owner
    need = Need(
        owner=owner,
        title="Faldsensorer om natten i plejeboliger",
        description="Vi søger sensorer, der opdager fald om natten i eget hjem.",
        status="open",
        visibility="public",
        language="da",
        is_published=True,
        review_status="published",
    )
    # Saved, its incremental run queued but not yet done: the page says so, and counts 0.
    services.need_save(need=need, focus_areas=[], tags=[matched["tags"]["fall"]])
    client.force_login(matched["kommune_user"])
    response = client.get(need_url(need))
    assert response.context["page"].paginator.count == 0
    assert 'data-testid="matching-progress"' in response.content.decode()
    # The run finishes: the very next view counts afresh (no total cached from before).
    from matchmaking.models import MatchRun

    run = MatchRun.objects.get(kind="incremental", status="queued")
    services.match_run_execute(run_id=run.pk)
    response = client.get(need_url(need))
    assert response.context["page"].paginator.count > 0
    assert 'data-testid="matching-progress"' not in response.content.decode()


def test_a_veto_is_not_hidden_by_a_cached_total(
    client, matched, django_capture_on_commit_callbacks
):
    client.force_login(matched["sme_user"])
    before = client.get(reverse("matchmaking:my_matches")).context["page"].paginator.count
    with django_capture_on_commit_callbacks(execute=True):
        client.post(veto_url(matched["match"], "company"), {"reason_code": "wrong_stage"})
    after = client.get(reverse("matchmaking:my_matches")).context["page"].paginator.count
    assert after == before - 1


def test_the_actions_read_in_danish_and_norwegian(client, matched, settings):
    from django.utils import translation

    from tests.language import danish

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    client.force_login(matched["kommune_user"])
    body = client.get(need_url(matched["falls_need"])).content.decode()
    for msgid in ("Mark as not relevant", "Not our field", "Add to shortlist"):
        assert danish(msgid) in body
    with translation.override("nb"):
        for msgid in ("Invite to an introduction", "Matches are being brought up to date"):
            assert translation.gettext(msgid) != msgid


def test_a_vetoed_need_shows_no_fit_on_its_page_nor_in_the_digest(client, matched):
    from datetime import timedelta

    from django.utils import timezone

    from matchmaking.introductions.digest import digest_figures

    need, user = matched["falls_need"], matched["sme_user"]
    since = timezone.now() - timedelta(days=7)
    client.force_login(user)
    assert 'data-testid="fit"' in client.get(need.get_absolute_url()).content.decode()
    before = digest_figures(user, since=since)["new_matches"]
    assert before >= 1
    actions.match_veto(match=matched["match"], user=user, side="company", reason="Not for us")
    assert 'data-testid="fit"' not in client.get(need.get_absolute_url()).content.decode()
    assert digest_figures(user, since=since)["new_matches"] == before - 1
    # The municipality's digest still counts the pair: the veto is the company's.
    kommune = matched["kommune_user"]
    assert digest_figures(kommune, since=since)["new_matches"] >= 1


def test_a_need_just_approved_shows_its_companies_at_once(
    client, matched, network_admin, django_capture_on_commit_callbacks
):
    """The reported case: approved, and the list said "0 companies fit" for a minute (a total
    counted before the run and kept). Now the total is counted afresh once its run is done."""
    from network import moderation
    from tests.matchmaking.factories import NeedFactory

    need = NeedFactory(
        owner=matched["falls_need"].owner,
        title="Faldsensorer om natten i plejeboliger",
        description="Vi søger sensorer, der opdager fald om natten i eget hjem.",
        is_published=False,
        review_status="pending",
        tags=[matched["tags"]["fall"], matched["tags"]["sensors"]],
    )
    client.force_login(matched["kommune_user"])
    assert client.get(need_url(need)).context["page"].paginator.count == 0  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(need, actor=network_admin)  # its run is eager here
    response = client.get(need_url(need))
    assert response.context["page"].paginator.count > 0
    assert 'data-testid="matching-progress"' not in response.content.decode()


def test_merging_two_companies_keeps_a_shortlisted_pair_once(db):
    from network.merge import organisation_merge
    from tests.matchmaking.factories import NeedFactory

    kept = OrganisationFactory(name="Faldvagt ApS")
    removed = OrganisationFactory(name="Faldvagt A/S")
    need = NeedFactory()
    for company in (kept, removed):
        ShortlistEntry.objects.create(
            source=company, target_type="need", target_id=need.pk, organisation=need.owner
        )
    organisation_merge(kept=kept, removed=removed, user=None)
    entry = ShortlistEntry.objects.get()
    assert (entry.source, entry.organisation) == (kept, need.owner)


def test_a_person_s_shortlist_is_in_their_export_and_unlinked_on_erasure(matched):
    from matchmaking.introductions import gdpr

    user = matched["kommune_user"]
    actions.match_shortlist(match=matched["match"], user=user, side="target")
    exported = gdpr.export(user)["shortlisted"]
    assert [row["company"] for row in exported] == [matched["falls_sme"].name]
    gdpr.erase(user)
    entry = ShortlistEntry.objects.get()
    assert entry.added_by is None  # the organisation's shortlist stays
