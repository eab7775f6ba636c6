"""Business register clients against recorded answers served by a local HTTP server.

No test reaches the internet: the settings point both registers at a server on 127.0.0.1 that
answers from the files in register_responses/ (invented companies in the registers' shapes).
"""

import base64
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from network.models import Municipality
from network.registers import RegisterResult, lookup, municipality_for

RESPONSES = Path(__file__).parent / "register_responses"

OSLO_ORGNR = "918273646"
KONKURS_ORGNR = "927364581"
DELETED_ORGNR = "817263542"
UNKNOWN_ORGNR = "922222223"
ODENSE_CVR = "39182742"
CEASED_CVR = "41726350"
UNKNOWN_CVR = "38274619"
CVR_SEARCH = "/cvr-permanent/virksomhed/_search"


@dataclass
class Answer:
    status: int = 200
    file: str = ""
    body: bytes = b""
    delay: float = 0.0

    def content(self) -> bytes:
        return (RESPONSES / self.file).read_bytes() if self.file else self.body


@dataclass
class Seen:
    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class RegisterServer:
    url: str
    answers: dict = field(default_factory=dict)  # path -> Answer; anything else is a 404
    seen: list = field(default_factory=list)


@pytest.fixture
def server():
    state = RegisterServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            state.seen.append(
                Seen(self.command, self.path, dict(self.headers), self.rfile.read(length))
            )
            answer = state.answers.get(self.path, Answer(404, body=b'{"status": 404}'))
            time.sleep(answer.delay)
            content = answer.content()
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            except OSError:
                pass  # the client gave up waiting (the time-out tests)

        do_GET = do_POST = _answer  # noqa: N815 (the names http.server calls)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def brreg(server, settings):
    settings.PORTAL_BRREG_URL = f"{server.url}/enhetsregisteret/api"
    settings.PORTAL_REGISTER_TIMEOUT = 2
    return server


@pytest.fixture
def cvr(server, settings):
    settings.PORTAL_CVR_URL = server.url
    settings.PORTAL_CVR_USER = "portal-cvr"
    settings.PORTAL_CVR_PASSWORD = "s3cret-from-erst"
    settings.PORTAL_REGISTER_TIMEOUT = 2
    return server


def brreg_path(orgnr: str) -> str:
    return f"/enhetsregisteret/api/enheter/{orgnr}"


def assert_unavailable(result: RegisterResult, country: str):
    assert result.status == "unavailable"
    assert result.country == country
    assert result.name == ""
    assert result.raw == {}


# --- Norway: Enhetsregisteret -----------------------------------------------------------------


@pytest.mark.django_db
def test_brreg_found_fills_every_field_and_finds_the_municipality(brreg):
    brreg.answers[brreg_path(OSLO_ORGNR)] = Answer(file="brreg_enhet_oslo.json")

    result = lookup("NO", "918 273 646")

    assert [(seen.method, seen.path) for seen in brreg.seen] == [("GET", brreg_path(OSLO_ORGNR))]
    assert result.status == "found"
    assert result.found
    assert result.source == "Brønnøysundregistrene (Enhetsregisteret)"
    assert (result.country, result.number) == ("NO", OSLO_ORGNR)
    assert result.name == "FJORDPULS HELSEDATA AS"
    # The business address, not the post box.
    assert result.street == "Kirkegata 17, 3. etasje"
    assert (result.postcode, result.town) == ("0150", "OSLO")
    assert result.municipality_code == "0301"
    assert (result.industry_code, result.industry_text) == ("62.010", "Programmeringstjenester")
    assert result.legal_form == "Aksjeselskap"
    assert result.is_active is True
    assert result.fetched_at is not None
    assert result.raw["navn"] == "FJORDPULS HELSEDATA AS"
    assert result.raw["naeringskode1"]["kode"] == "62.010"
    assert "_links" not in result.raw
    assert "_links" not in result.raw["organisasjonsform"]
    json.dumps(result.raw)  # staff see it as JSON beside the application

    assert municipality_for(result) == Municipality.objects.get(country="NO", code="0301")


@pytest.mark.django_db
@pytest.mark.parametrize("status", [404, 410])
def test_brreg_unknown_or_deleted_number_is_not_found(brreg, status):
    brreg.answers[brreg_path(UNKNOWN_ORGNR)] = Answer(status, file="brreg_not_found.json")

    result = lookup("NO", UNKNOWN_ORGNR)

    assert result.status == "not_found"
    assert not result.found
    assert result.name == ""
    assert municipality_for(result) is None
    assert len(brreg.seen) == 1


@pytest.mark.django_db
def test_brreg_bankrupt_company_is_found_but_not_active(brreg):
    brreg.answers[brreg_path(KONKURS_ORGNR)] = Answer(file="brreg_enhet_trondheim_konkurs.json")

    result = lookup("NO", KONKURS_ORGNR)

    assert result.status == "found"
    assert result.name == "NIDAROS VELFERDSTEKNOLOGI AS"
    assert result.is_active is False
    assert municipality_for(result) == Municipality.objects.get(country="NO", code="5001")


@pytest.mark.django_db
def test_brreg_deleted_unit_answered_with_its_deletion_date_is_not_active(brreg):
    brreg.answers[brreg_path(DELETED_ORGNR)] = Answer(file="brreg_enhet_slettet.json")

    result = lookup("NO", DELETED_ORGNR)

    assert result.status == "found"
    assert result.name == "BERGEN PASIENTLOGISTIKK AS"
    assert result.is_active is False
    assert (result.street, result.municipality_code) == ("", "")
    assert municipality_for(result) is None


@pytest.mark.django_db
def test_brreg_slower_than_the_timeout_is_unavailable(brreg, settings):
    settings.PORTAL_REGISTER_TIMEOUT = 0.2
    brreg.answers[brreg_path(OSLO_ORGNR)] = Answer(file="brreg_enhet_oslo.json", delay=1.0)

    # Had the client waited, the register's answer would have made it "found".
    assert_unavailable(lookup("NO", OSLO_ORGNR), "NO")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "answer",
    [
        Answer(500, body=b"<html><body>Internal Server Error</body></html>"),
        Answer(503, file="cvr_server_error.json"),
        Answer(file="brreg_truncated.json"),
        Answer(body=b"Enhetsregisteret er midlertidig utilgjengelig"),
        Answer(file="brreg_wrong_shape.json"),
        Answer(body=b"[]"),
        Answer(body=b'{"organisasjonsnummer": "918273646", "navn": {"tekst": "X"}}'),
        Answer(403, body=b'{"status": 403}'),
    ],
    ids=["500", "503", "truncated", "not-json", "search-page", "list", "name-object", "403"],
)
def test_brreg_error_or_malformed_answer_is_unavailable(brreg, answer, caplog):
    brreg.answers[brreg_path(OSLO_ORGNR)] = answer

    result = lookup("NO", OSLO_ORGNR)

    assert_unavailable(result, "NO")
    assert "register unavailable" in caplog.text


@pytest.mark.django_db
def test_brreg_refused_connection_is_unavailable(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.PORTAL_BRREG_URL = f"http://127.0.0.1:{port}/enhetsregisteret/api"

    assert_unavailable(lookup("NO", OSLO_ORGNR), "NO")


@pytest.mark.django_db
def test_a_number_failing_its_check_digit_is_not_looked_up(brreg):
    assert lookup("NO", "918273647").status == "not_found"
    assert lookup("NO", "39182742").status == "not_found"  # a CVR number for a Norwegian unit
    assert brreg.seen == []


def test_an_unknown_country_is_a_programming_error():
    with pytest.raises(ValueError, match="SE"):
        lookup("SE", "5560360793")


@pytest.mark.django_db
def test_brreg_turned_off_is_disabled(brreg, settings):
    settings.PORTAL_BRREG_URL = ""

    assert lookup("NO", OSLO_ORGNR).status == "disabled"
    assert brreg.seen == []


# --- Denmark: CVR -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_cvr_found_fills_every_field_and_finds_the_municipality(cvr):
    cvr.answers[CVR_SEARCH] = Answer(file="cvr_virksomhed_odense.json")

    result = lookup("DK", "DK-39 18 27 42")

    assert result.status == "found"
    assert result.source == "Erhvervsstyrelsen (CVR)"
    assert (result.country, result.number) == ("DK", ODENSE_CVR)
    assert result.name == "Sundkurs Sensorik ApS"
    assert result.street == "Vestergade 12B, 2. th"
    assert (result.postcode, result.town) == ("5000", "Odense C")
    assert result.municipality_code == "461"  # as CVR gives it
    assert result.industry_code == "266000"
    assert result.industry_text.startswith("Fremstilling af bestrålingsudstyr")
    assert result.legal_form == "Anpartsselskab"
    assert result.is_active is True
    assert result.fetched_at is not None
    assert result.raw["cvrNummer"] == 39182742
    assert result.raw["virksomhedMetadata"]["sammensatStatus"] == "NORMAL"

    # The reference data writes Danish codes with four digits.
    assert municipality_for(result) == Municipality.objects.get(country="DK", code="0461")


@pytest.mark.django_db
def test_cvr_request_is_a_term_query_with_basic_auth(cvr):
    cvr.answers[CVR_SEARCH] = Answer(file="cvr_virksomhed_odense.json")

    lookup("DK", ODENSE_CVR)

    [seen] = cvr.seen
    assert (seen.method, seen.path) == ("POST", CVR_SEARCH)
    expected = base64.b64encode(b"portal-cvr:s3cret-from-erst").decode()
    assert seen.headers["Authorization"] == f"Basic {expected}"
    query = json.loads(seen.body)
    assert query["query"] == {"term": {"Vrvirksomhed.cvrNummer": 39182742}}
    # Only the newest name, address, industry and status, not the company's whole history.
    assert "Vrvirksomhed.virksomhedMetadata.nyesteBeliggenhedsadresse" in query["_source"]
    assert query["size"] == 1


@pytest.mark.django_db
def test_cvr_no_hits_is_not_found(cvr):
    cvr.answers[CVR_SEARCH] = Answer(file="cvr_no_hits.json")

    result = lookup("DK", UNKNOWN_CVR)

    assert result.status == "not_found"
    assert municipality_for(result) is None


@pytest.mark.django_db
def test_cvr_ceased_company_is_found_but_not_active(cvr):
    cvr.answers[CVR_SEARCH] = Answer(file="cvr_virksomhed_ophoert.json")

    result = lookup("DK", CEASED_CVR)

    assert result.status == "found"
    assert result.name == "Aarhus Telemedicin A/S"
    assert result.street == "Åboulevarden 3-5"
    assert result.is_active is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status_text",
    ["UNDER KONKURS", "Under frivillig likvidation", "Tvangsopløst", "Opløst efter fusion"],
)
def test_cvr_statuses_of_winding_up_are_not_active(cvr, status_text):
    recorded = json.loads((RESPONSES / "cvr_virksomhed_odense.json").read_text())
    company = recorded["hits"]["hits"][0]["_source"]["Vrvirksomhed"]
    company["virksomhedMetadata"]["sammensatStatus"] = status_text
    cvr.answers[CVR_SEARCH] = Answer(body=json.dumps(recorded).encode())

    assert lookup("DK", ODENSE_CVR).is_active is False


@pytest.mark.django_db
def test_cvr_slower_than_the_timeout_is_unavailable(cvr, settings):
    settings.PORTAL_REGISTER_TIMEOUT = 0.2
    cvr.answers[CVR_SEARCH] = Answer(file="cvr_virksomhed_odense.json", delay=1.0)

    assert_unavailable(lookup("DK", ODENSE_CVR), "DK")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "answer",
    [
        Answer(500, file="cvr_server_error.json"),
        Answer(401, body=b'{"error": "Unauthorized"}'),
        Answer(body=b'{"took": 2, "hits": {"total": 1, "hits": [{"_source": {"Vrvirk'),
        Answer(file="cvr_wrong_shape.json"),
        Answer(body=b'{"hits": {"total": 1, "hits": {"_source": {}}}}'),
        Answer(body=b'{"hits": {"total": 0}}'),
    ],
    ids=["500", "401", "truncated", "no-company", "hits-object", "no-hits-list"],
)
def test_cvr_error_or_malformed_answer_is_unavailable(cvr, answer):
    cvr.answers[CVR_SEARCH] = answer

    assert_unavailable(lookup("DK", ODENSE_CVR), "DK")


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["PORTAL_CVR_URL", "PORTAL_CVR_USER", "PORTAL_CVR_PASSWORD"])
def test_cvr_without_url_or_credentials_is_disabled_and_asks_nobody(cvr, settings, missing):
    setattr(settings, missing, "")

    result = lookup("DK", ODENSE_CVR)

    assert result.status == "disabled"
    assert result.source == "Erhvervsstyrelsen (CVR)"
    assert cvr.seen == []


def test_cvr_is_off_by_default():
    from network import settings as defaults

    assert defaults.PORTAL_CVR_URL == ""


# --- Cache ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_found_and_not_found_answers_are_cached_for_a_day(brreg, time_machine):
    brreg.answers[brreg_path(OSLO_ORGNR)] = Answer(file="brreg_enhet_oslo.json")
    brreg.answers[brreg_path(UNKNOWN_ORGNR)] = Answer(404, file="brreg_not_found.json")
    time_machine.move_to("2026-12-06 08:00Z", tick=False)

    first = lookup("NO", OSLO_ORGNR)
    assert lookup("NO", UNKNOWN_ORGNR).status == "not_found"
    brreg.answers.clear()  # from now on the register knows neither number
    time_machine.move_to("2026-12-07 07:59Z", tick=False)
    again = lookup("NO", OSLO_ORGNR)

    assert again == first  # fetched_at included: the time the register said it
    assert lookup("NO", UNKNOWN_ORGNR).status == "not_found"
    assert len(brreg.seen) == 2

    time_machine.move_to("2026-12-07 08:01Z", tick=False)
    assert lookup("NO", OSLO_ORGNR).status == "not_found"
    assert len(brreg.seen) == 3


@pytest.mark.django_db
def test_an_unavailable_answer_is_not_cached(cvr):
    cvr.answers[CVR_SEARCH] = Answer(500, file="cvr_server_error.json")
    assert lookup("DK", ODENSE_CVR).status == "unavailable"

    cvr.answers[CVR_SEARCH] = Answer(file="cvr_virksomhed_odense.json")
    assert lookup("DK", ODENSE_CVR).status == "found"
    assert len(cvr.seen) == 2


@pytest.mark.django_db
def test_each_country_and_number_has_its_own_cache_entry(brreg, cvr):
    brreg.answers[brreg_path(OSLO_ORGNR)] = Answer(file="brreg_enhet_oslo.json")
    cvr.answers[CVR_SEARCH] = Answer(file="cvr_no_hits.json")

    assert lookup("NO", OSLO_ORGNR).name == "FJORDPULS HELSEDATA AS"
    assert lookup("DK", UNKNOWN_CVR).status == "not_found"
    assert lookup("DK", ODENSE_CVR).status == "not_found"
    assert len(brreg.seen) == 3
