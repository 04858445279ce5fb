"""LTI 1.3 logins on the single-machine hub, with a learning platform played by the test.

The test is the platform: it serves its public keys (JWKS) on loopback, starts the login as Moodle
or Canvas would (third-party initiated login), signs the launch's id_token with its private key and
posts it back, as the learner's browser does. The hub is configured through the settings block of
``deploy/jupyterhub_config.py`` (``LTI13``), overridden by a JSON file.
"""

from __future__ import annotations

import html
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from course_hub.hub_client import HubUser
from deploy.hub import Hub
from deploy.setup.machine import set_up

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

ISSUER = "https://platform.example.org"
CLIENT_ID = "course-hub-test"
COURSE = "local-governance"
CONTEXT = {"id": "lms-course-7", "label": "LG-101", "title": "Local governance"}
LEARNER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


class Platform:
    """The learning platform: its key pair, its JWKS endpoint, and the launches it signs."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": "platform-key-1", "alg": "RS256", "use": "sig"})
        body = json.dumps({"keys": [jwk]}).encode()

        class Keys(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Keys)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def launch(self, hub_url: str, email: str, role: str, locale: str | None = None) -> HubUser:
        """A person clicks the course's activity in the platform; return them logged in to the hub."""
        user, back = self.launch_response(hub_url, email, role, locale)
        assert back.status_code == 302, back.text[:500]
        assert any(c.name.startswith("jupyterhub-hub-login") for c in user.session.cookies), "no login cookie"
        user.name = user.session.get(f"{hub_url}/hub/api/user", headers={
            "X-XSRFToken": user._xsrf("/hub/api")}).json()["name"]
        return user

    def launch_response(self, hub_url: str, email: str, role: str, locale: str | None = None):
        """A person clicks the course's activity; return them and the hub's answer to the launch.
        ``locale``: the user's language in the platform, sent as the launch presentation's locale."""
        user = HubUser(hub_url, name="", password="")
        start = user.session.post(f"{hub_url}/hub/lti13/oauth_login", allow_redirects=False, data={
            "iss": ISSUER, "login_hint": email, "target_link_uri": f"{hub_url}/hub/home",
            "client_id": CLIENT_ID, "lti_message_hint": "activity-1", "lti_deployment_id": "1",
        })
        assert start.status_code == 302, start.text[:500]
        request = parse_qs(urlsplit(start.headers["Location"]).query)
        now = int(time.time())
        claims = {
            "iss": ISSUER, "aud": CLIENT_ID, "sub": f"user-{email}", "email": email,
            "iat": now, "exp": now + 300, "nonce": request["nonce"][0],
            "https://purl.imsglobal.org/spec/lti/claim/version": "1.3.0",
            "https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiResourceLinkRequest",
            "https://purl.imsglobal.org/spec/lti/claim/deployment_id": "1",
            "https://purl.imsglobal.org/spec/lti/claim/target_link_uri": f"{hub_url}/hub/home",
            "https://purl.imsglobal.org/spec/lti/claim/resource_link": {"id": "activity-1"},
            "https://purl.imsglobal.org/spec/lti/claim/roles": [role],
            "https://purl.imsglobal.org/spec/lti/claim/context": CONTEXT,
        }
        if locale:
            claims["https://purl.imsglobal.org/spec/lti/claim/launch_presentation"] = {"locale": locale}
        id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "platform-key-1"})
        back = user.session.post(request["redirect_uri"][0], allow_redirects=False,
                                 data={"id_token": id_token, "state": request["state"][0]})
        return user, back


@pytest.fixture(scope="module")
def lti_hub(hub_machine_lock):
    if os.geteuid() != 0:
        pytest.fail("The hub tests create Unix users: run them as root (as CI does).")
    platform = Platform()
    state = Path(tempfile.mkdtemp(prefix="local-governance-hub-lti-", dir="/srv"))
    created: list[str] = []
    hub = None
    try:
        set_up(state, {"courses": {COURSE: {"instructors": [], "learners": []}}}, log=lambda message: None)
        settings = state / "hub" / "lti13.json"
        settings.write_text(json.dumps({
            "issuer": ISSUER, "client_id": [CLIENT_ID], "authorize_url": f"{platform.url}/auth",
            "jwks_endpoint": f"{platform.url}/jwks", "username_key": "email", "courses": {CONTEXT["id"]: COURSE},
        }))
        hub = Hub.on_free_ports(state, courses=1, login="lti13",
                                extra_environment={"COURSE_HUB_LTI13_SETTINGS": str(settings)})
        hub.start()
        yield hub, platform, created
    finally:
        if hub is not None:
            hub.stop()
        platform.server.shutdown()
        for name in created:
            subprocess.run(["userdel", "--remove", name], capture_output=True)
        shutil.rmtree(state, ignore_errors=True)


def test_a_learner_launched_from_the_platform_gets_a_unix_account_and_the_course_group(lti_hub):
    hub, platform, created = lti_hub
    learner = platform.launch(hub.url, "Jane.Doe@Example.org", LEARNER_ROLE)
    created.append(learner.name)
    assert learner.name.startswith("jane.doe-example.org-") and len(learner.name) <= 32
    learner.create_token()
    assert learner.model()["groups"] == [f"nbgrader-{COURSE}"]
    learner.start_server()
    learner.wait_until_ready()
    assert learner.run_code("import getpass; print(getpass.getuser())").strip() == learner.name
    assert learner.formgrader("GET", COURSE, "api/assignments").status_code == 403


def test_an_instructor_launched_from_the_platform_reaches_the_course_formgrader(lti_hub):
    hub, platform, created = lti_hub
    teacher = platform.launch(hub.url, "prof.martin@example.org", INSTRUCTOR_ROLE)
    created.append(teacher.name)
    teacher.create_token()
    assert teacher.model()["groups"] == [f"formgrade-{COURSE}"]
    assert teacher.formgrader("GET", COURSE, "api/assignments").status_code == 200


#: An account of the machine that the hub did not create (an administrator's, a service's).
OUTSIDER = "hubtest-outsider"


@pytest.mark.parametrize("claim, why", [
    ("root", "reserved"),
    (f"grader-{COURSE}", "reserved"),
    (OUTSIDER, "did not create"),
    ("daemon", "did not create"),
])
def test_a_launch_that_maps_to_root_a_grader_or_an_account_the_hub_did_not_create_is_refused(lti_hub, claim, why):
    hub, platform, created = lti_hub
    if claim == OUTSIDER:
        subprocess.run(["useradd", "--create-home", OUTSIDER], capture_output=True)
        created.append(OUTSIDER)
    user, answer = platform.launch_response(hub.url, claim, LEARNER_ROLE)
    assert answer.status_code == 403, f"the hub logged a platform user in as {claim!r}"
    page = html.unescape(answer.text)
    assert "This hub cannot log you in" in page and repr(claim) in page and why in page, page[-2000:]
    assert not any(c.name.startswith("jupyterhub-hub-login") for c in user.session.cookies)


def test_an_instructor_who_launches_again_as_a_learner_loses_the_formgrader(lti_hub):
    hub, platform, created = lti_hub
    teacher = platform.launch(hub.url, "former.teacher@example.org", INSTRUCTOR_ROLE)
    created.append(teacher.name)
    teacher.create_token()
    assert teacher.formgrader("GET", COURSE, "api/assignments").status_code == 200
    again = platform.launch(hub.url, "former.teacher@example.org", LEARNER_ROLE)
    again.create_token()
    assert again.model()["groups"] == [f"nbgrader-{COURSE}"]
    assert again.formgrader("GET", COURSE, "api/assignments").status_code == 403, "a former instructor kept the formgrader"


#: What a learner's kernel says about the course's language: the language, and an amount as the
#: course's widgets and figures write it.
LANGUAGE_PROBE = ("from modules.common.i18n import language\n"
                  "from modules.common.formatting import format_euros\n"
                  "print(language(), format_euros(28_357_095))")
TRANSLATION_SETTINGS = "lab/api/settings/@jupyterlab/translation-extension:plugin"


def test_a_learner_whose_platform_speaks_french_gets_the_course_in_french_until_they_choose_english(lti_hub):
    hub, platform, created = lti_hub
    learner = platform.launch(hub.url, "camille.martin@example.fr", LEARNER_ROLE, locale="fr-FR")
    created.append(learner.name)
    learner.create_token()
    learner.start_server()
    learner.wait_until_ready()
    assert learner.run_code(LANGUAGE_PROBE).strip() == "fr 28,4\u202fM€"
    # JupyterLab in French is on offer (its language pack), and the learner's own choice wins.
    languages = learner.server("GET", "lab/api/translations").json()["data"]
    assert "fr_FR" in languages, sorted(languages)
    chosen = learner.server("PUT", TRANSLATION_SETTINGS, json={"raw": '{"locale": "en"}'})
    assert chosen.status_code == 204, chosen.text[:300]
    assert learner.run_code(LANGUAGE_PROBE).strip() == "en 28.4 M€"
    learner.stop_server()


def test_a_launch_without_a_locale_leaves_the_course_in_english(lti_hub):
    hub, platform, created = lti_hub
    learner = platform.launch(hub.url, "alex.smith@example.org", LEARNER_ROLE)
    created.append(learner.name)
    learner.create_token()
    learner.start_server()
    learner.wait_until_ready()
    assert learner.run_code(LANGUAGE_PROBE).strip() == "en 28.4 M€"
    learner.stop_server()
