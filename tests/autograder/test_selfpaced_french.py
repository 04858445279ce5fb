"""The self-paced pages and the certificate in French: each page of the course's web service, with real
grading data, speaks the language a request asks for (``?lang=fr``, the cookie it leaves, or the
browser's ``Accept-Language``), with French dates and numbers and a link to the same page in the other
language; and a certificate asked for in French is printed in French and still verifies. Whether every
text of the autograder has its French in ``autograder/locale/fr.po`` is checked, for every catalogue of
the course, by ``tests/common/test_catalogues.py``."""

from __future__ import annotations

import asyncio
import datetime
import json
import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import matplotlib.axes
import pytest
import yaml
from bs4 import BeautifulSoup
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

from autograder.certificates import generate_key, verify_file
from autograder.certificates.credential import normalize_code
from autograder.course import Course
from autograder.messages import long_date, number, speaking
from autograder.selfpaced.assessment import WrittenScore
from autograder.selfpaced.certify import issue_requested
from autograder.selfpaced.progress import CourseProgress
from autograder.selfpaced.service import handlers, views
from autograder.selfpaced.service.language import accepted, request_language
from autograder.selfpaced.service.web import ServiceContext, application
from autograder.selfpaced.throttle import wait_text
from tests.autograder.test_selfpaced_grader import ASSIGNMENT, COURSE_ID, hand, loop_of, template  # noqa: F401
from tests.conftest import COURSE_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

PREFIX = "/services/local-governance-progress/"
FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre")
FRENCH_DATE = re.compile(rf"\b\d{{1,2}} (?:{'|'.join(FRENCH_MONTHS)}) \d{{4}}, \d\d:\d\d(?::\d\d)? UTC")
#: The title of Module 1 as the French edition gives it: "Module 1 : Le budget communal…".
FRENCH_MODULE_1 = next(part["caption"] for part in yaml.safe_load((COURSE_ROOT / "book" / "fr" / "_toc.yml").read_text(
    encoding="utf-8"))["parts"] if str(part.get("caption", "")).startswith("Module 1 :"))
#: The three ways a request asks for French.
ASKING = {
    "query": {"query": {"lang": "fr"}},
    "cookie": {"headers": {"Cookie": "course_language=fr"}},
    "browser": {"headers": {"Accept-Language": "fr-FR,fr;q=0.9"}},
}


@pytest.fixture(scope="module")
def graded(template, tmp_path_factory):  # noqa: F811
    """A copy of the course with five learners' budgeting_01 graded, fractional settings (so that numbers
    have decimals), and a signing key; learner1's answers are right and self-assessed."""
    copy = tmp_path_factory.mktemp("french") / "copy"
    shutil.copytree(template.parent, copy)
    root = copy / "course"
    private, public = generate_key(copy.parent / "keys")
    config = root / "nbgrader_config.py"
    config.write_text(config.read_text().replace(str(template.parent), str(copy))
                      + "c.SelfPaced.written_minimum = 2.5\nc.SelfPaced.refill_minutes = 7.5\n"
                      + f"c.SelfPaced.certificate_key = {str(private)!r}\n")
    course = Course.open(root)
    loop = loop_of(course)
    for number_ in range(5):
        hand(course, f"learner{number_}", "right" if number_ % 2 else "unanswered")
    loop.admit_new()
    loop.grade_waiting()
    context = ServiceContext(course, PREFIX)
    context.outline = context.outline[:1]  # a course whose only published module is Module 1
    rubric = context.progress().rubric(ASSIGNMENT)
    context.store.assess(COURSE_ID, ASSIGNMENT, "learner1", "learner1", "self", [1] * len(rubric.criteria))
    return {"course": course, "context": context, "public": public}


def fetch(context, requests: list[dict], monkeypatch) -> list:
    """Answer ``requests`` (path, query, headers, method, body, user) with the service's own handlers; the hub's
    sign-in is replaced by a user with the course's learner and instructor groups."""
    def signed_in(handler):
        name = handler.request.headers.get("X-Test-User", "learner1")
        return {"name": name, "groups": [f"nbgrader-{COURSE_ID}", f"formgrade-{COURSE_ID}"]}

    monkeypatch.setattr(handlers.Page, "get_current_user", signed_in)
    monkeypatch.delenv("JUPYTERHUB_API_URL", raising=False)

    async def run():
        socket, port = bind_unused_port()
        server = HTTPServer(application(context))
        server.add_sockets([socket])
        client, answers = AsyncHTTPClient(), []
        try:
            for request in requests:
                query = urllib.parse.urlencode(request.get("query", {}))
                url = f"http://127.0.0.1:{port}{PREFIX}{request.get('path', '')}{'?' + query if query else ''}"
                headers = {"Authorization": "token test", **request.get("headers", {})}
                answers.append(await client.fetch(url, method=request.get("method", "GET"), headers=headers,
                                                  body=request.get("body"), raise_error=False, follow_redirects=False))
        finally:
            server.stop()
        return answers

    return asyncio.run(run())


def text_of(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


PAGES = {  # path: the French heading (h1) it must show
    "": "Votre progression dans local-governance",
    f"feedback/{ASSIGNMENT}": f"Retour sur {ASSIGNMENT}",
    f"assess/{ASSIGNMENT}": f"Évaluer votre réponse rédigée de {ASSIGNMENT}",
    f"review/{ASSIGNMENT}": f"Évaluer la réponse d’un camarade à {ASSIGNMENT}",
    "cohort": "La promotion de local-governance",
    "feedback/no_such_exercise": "Cette page ne peut pas être affichée (404)",
    "verify": "Vérifier un certificat de local-governance",
}


@pytest.mark.parametrize("way", list(ASKING))
def test_every_page_speaks_french_when_the_request_asks_for_it(graded, monkeypatch, way):
    requests = [{"path": path, "query": dict(ASKING[way].get("query", {})), "headers": ASKING[way].get("headers", {})}
                for path in PAGES]
    answers = fetch(graded["context"], requests, monkeypatch)
    for (path, heading), answer in zip(PAGES.items(), answers):
        html = answer.body.decode()
        page = BeautifulSoup(html, "html.parser")
        assert answer.code == (404 if "no_such" in path else 200), (path, html[:500])
        assert page.html["lang"] == "fr", path
        assert page.h1.get_text(" ", strip=True) == heading, path
        switch = page.find("nav", class_="languages")
        assert switch is not None and switch["aria-label"] == "Langue de la page", path
        english = switch.find("a", hreflang="en")
        assert english.get_text() == "English" and english["lang"] == "en", path
        link = urllib.parse.urlsplit(english["href"])
        assert link.path == PREFIX + ("" if "no_such" in path else path) or "no_such" in path, (path, english["href"])
        assert urllib.parse.parse_qs(link.query)["lang"] == ["en"], path
        assert switch.find(attrs={"aria-current": "true"}).get_text() == "Français", path
        if way == "query":
            assert "course_language=fr" in answer.headers.get("Set-Cookie", ""), "?lang= is kept for later pages"
    texts = {path: text_of(answer.body.decode()) for path, answer in zip(PAGES, answers)}
    progress = texts[""]
    assert FRENCH_DATE.search(progress), progress  # the latest submission's date
    assert FRENCH_MODULE_1 in progress, "the French edition's module title"
    assert "au moins 2,5 points" in progress and "toutes les 7,5 minutes" in progress  # decimal commas
    assert "Connecté en tant que learner1" in progress and "Demander mon certificat" in progress
    assert FRENCH_DATE.search(texts[f"feedback/{ASSIGNMENT}"]) and "Chaque test de l’exercice" in texts[f"feedback/{ASSIGNMENT}"]
    assert "corrigé" in texts[f"feedback/{ASSIGNMENT}"], "the submission's state in French"
    assert "Enregistrer mon évaluation" in texts[f"assess/{ASSIGNMENT}"]
    assert "Avancement et notes" in texts["cohort"] and "Tous les apprenants" in texts["cohort"]
    assert "Ce cours n’a pas d’exercice no_such_exercise." in texts["feedback/no_such_exercise"]
    assert "Code de vérification" in texts["verify"]


def test_without_any_choice_the_pages_stay_english_and_a_choice_outranks_the_browser(graded, monkeypatch):
    plain, chosen, kept = fetch(graded["context"], [
        {"path": ""},
        {"path": "", "query": {"lang": "en"}, "headers": {"Accept-Language": "fr-FR,fr;q=0.9"}},
        {"path": "", "headers": {"Cookie": "course_language=en", "Accept-Language": "fr"}},
    ], monkeypatch)
    for answer in (plain, chosen, kept):
        page = BeautifulSoup(answer.body.decode(), "html.parser")
        assert page.html["lang"] == "en" and page.h1.get_text() == "Your progress in local-governance"
        assert page.find("nav", class_="languages").find("a", hreflang="fr").get_text() == "Français"
    assert "Signed in as learner1" in plain.body.decode()
    assert request_language("", "", "de-DE,fr;q=0.8,en;q=0.5") == "fr"
    assert request_language("", "", "de, en-GB;q=0.9, fr;q=0.8") == "en"
    assert request_language("es", "", "it") == "en" and accepted("fr;q=0, en") == "en"


def test_the_cohort_plots_have_french_titles_and_labels(graded):
    seen = []
    original = {name: getattr(matplotlib.axes.Axes, name) for name in ("set_title", "set_xlabel", "set_ylabel")}

    def recording(name):
        def record(axis, text, *args, **kwargs):
            seen.append(text)
            return original[name](axis, text, *args, **kwargs)
        return record

    progress = graded["context"].progress()
    with pytest.MonkeyPatch.context() as patch:
        for name in original:
            patch.setattr(matplotlib.axes.Axes, name, recording(name))
        with speaking("fr"):
            plots = views.cohort_plots(progress, views.cohort_rows(progress, [], names=False))
    assert plots["hidden"] == ""
    assert "Avancement par module (5 apprenants)" in seen and "apprenants" in seen
    assert f"{ASSIGNMENT} : note par partie (5 apprenants)" in seen and "note moyenne, en % des points de la partie" in seen


def test_views_words_in_english_are_the_autograders_own():
    """The web pages translate what other parts of the loop say in English: the same English."""
    for seconds in (1, 125, 3600, 3660 + 61, 7200 + 600):
        assert views.wait_words(seconds) == wait_text(seconds)
    for written in (WrittenScore(None, None), WrittenScore(3, "self"), WrittenScore(4, "peers", (4, 4)),
                    WrittenScore(5, "instructor")):
        assert views.written_words(written) == written.describe()
    with pytest.raises(ValueError) as refused:
        normalize_code("nope")
    assert handlers.not_a_code("nope") == str(refused.value)
    assert number(19.5) == "19.5" and number(19.5, "fr") == "19,5" and number(18.0, "fr") == "18"
    assert long_date(datetime.date(2026, 12, 2), "fr") == "2 décembre 2026"
    assert long_date(datetime.date(2026, 12, 2), "en") == "2 December 2026"


def test_a_certificate_asked_for_in_french_is_printed_in_french_and_verifies(graded, monkeypatch, tmp_path):
    context, course = graded["context"], graded["course"]
    asked, = fetch(context, [{"path": "certificate", "method": "POST", "query": {"lang": "fr"},
                              "body": urllib.parse.urlencode({"name": "Ada Lovelace", "lang": "fr"})}], monkeypatch)
    assert asked.code in (302, 303), asked.body[:500]
    assert asked.headers["Location"] == f"{PREFIX}?lang=fr"
    progress = CourseProgress(course, context.store, context.settings, context.outline)
    assert issue_requested(progress, "https://hub.example.org/services/local-governance-progress/verify") == 1
    record = context.store.certificate("learner1")
    folder = Path(record["folder"])

    html = (folder / "certificate.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert page.html["lang"] == "fr"
    assert page.h1.get_text() == "Certificat de réussite"
    assert [h2.get_text() for h2 in page.find_all("h2")] == ["Modules et exercices", "Objectifs d’apprentissage",
                                                             "Vérifier ce certificat"]
    text = text_of(html)
    issued = datetime.datetime.fromtimestamp(record["issued"], datetime.timezone.utc).date()
    assert long_date(issued, "fr") in text and re.search(rf"Délivré le \d{{1,2}} (?:{'|'.join(FRENCH_MONTHS)}) \d{{4}}", text)
    assert "Gouvernance locale, villes intelligentes et gouvernement ouvert" in text
    assert "Corrigé automatiquement, sans surveillance." in text and "Lire un budget communal" in text
    row = [cell.get_text() for cell in page.find("tbody").find("tr").find_all("td")]
    assert row[0] == FRENCH_MODULE_1 and row[2] == "auto-évaluée par l’apprenant"
    assert re.fullmatch(r"\d+(,\d+)? / \d+(,\d+)?", row[1]), row[1]
    assert "Code QR : ouvre la page qui vérifie ce certificat" in html

    pdf = (folder / "certificate.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"/Lang (fr)" in pdf, "printed from the French page"

    verification = verify_file(folder / "certificate.json", graded["public"])
    assert verification.valid, verification.problems
    tool = subprocess.run([sys.executable, "-m", "autograder", "certificate", "verify", str(folder / "certificate.json"),
                           "--key", str(graded["public"])], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "PYTHONPATH": str(COURSE_ROOT)})
    assert tool.returncode == 0 and tool.stdout.startswith("Valid: Ada Lovelace"), tool.stdout + tool.stderr
    credential = json.loads((folder / "certificate.json").read_text(encoding="utf-8"))
    assert credential["credentialSubject"]["achievement"]["inLanguage"] == "en", "the signed credential stays English"

    answer, = fetch(context, [{"path": "verify", "query": {"code": record["code"], "lang": "fr"}}], monkeypatch)
    checked = text_of(answer.body.decode())
    assert f"Valide. Le certificat {record['code']} a été délivré à Ada Lovelace le" in checked
    assert FRENCH_DATE.search(checked), checked
    progress_page, = fetch(context, [{"path": "", "headers": {"Cookie": "course_language=fr"}}], monkeypatch)
    assert f"Délivré à Ada Lovelace. Code de vérification : {record['code']} ." in text_of(progress_page.body.decode())
