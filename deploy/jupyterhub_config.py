"""JupyterHub configuration of the course, for a cohort on one machine (``make hub``).

Every learner is a real Unix user (LocalProcessSpawner), so learners are kept apart by the
operating system: private homes (mode 700), an nbgrader exchange whose folders let a learner
submit but not list or read others' work, and course folders (solutions, gradebook) that only the
course's grader account and instructors can read. ``deploy/setup/`` prepares all of that and
writes ``<state>/hub.json``, the cohort this file reads; ``deploy/hub.py`` starts the hub. What the
hub imports is the course's package ``course_hub`` (``deploy/course_hub/``), installed in the course
environment that runs the hub.

Environment variables (``deploy/hub.py`` sets them; the defaults are those of ``make hub``):

=============================  ===========================================================  ===========================
variable                       what                                                         default
=============================  ===========================================================  ===========================
COURSE_HUB_STATE               the hub's state folder (database, exchange, courses)         /srv/local-governance-hub
COURSE_HUB_IP, COURSE_HUB_PORT where learners reach the hub                                 127.0.0.1, 8000
COURSE_HUB_API_PORT            the hub's internal API port (loopback)                       8081
COURSE_HUB_PROXY_API_PORT      configurable-http-proxy's API port (loopback)                8001
COURSE_HUB_SERVICE_PORTS       ports of the courses' services, comma-separated: first the   8100, 8101, ...; 8200, ...
                               formgraders, one per course, then the progress services
COURSE_HUB_LOGIN               ``native`` (accounts made by the set-up) or ``lti13``        native
COURSE_HUB_LTI13_SETTINGS      a JSON file that overrides keys of ``LTI13`` below           (none)
COURSE_HUB_INSTANCE            a mark given to every process the hub starts (clean-up)      (none)
=============================  ===========================================================  ===========================
"""

import json
import os
from pathlib import Path

from course_hub import accounts, groups, languages
from course_hub.preload_spawner import PreloadedLocalProcessSpawner

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

# --- Login through your learning platform (LTI 1.3) ---------------------------------------------
# Register the hub in the platform (Moodle: Site administration > Plugins > External tool > Manage
# tools > configure a tool manually; Canvas: Developer Keys > + LTI Key) with
#   tool URL / target link URI:  https://YOUR-HUB/hub/lti13/oauth_login?next=/hub/home
#   initiate login URL:          https://YOUR-HUB/hub/lti13/oauth_login
#   redirection URI:             https://YOUR-HUB/hub/lti13/oauth_callback
# (https://YOUR-HUB/hub/lti13/config serves the same as JSON), then copy the platform's values
# below and start the hub with COURSE_HUB_LOGIN=lti13 (make hub HUB_LOGIN=lti13).
LTI13 = {
    # The platform's identifier ("Platform ID" in Moodle, https://canvas.instructure.com for Canvas).
    "issuer": "https://moodle.example.org",
    # The client ID(s) the platform gave the hub when you registered it.
    "client_id": ["hub-client-id"],
    # The platform's login (OIDC authorisation) endpoint and its public keys.
    "authorize_url": "https://moodle.example.org/mod/lti/auth.php",
    "jwks_endpoint": "https://moodle.example.org/mod/lti/certs.php",
    # The claim that becomes the hub user name (stable and unique: it is the learner's id in the
    # gradebook). "sub" is the platform's opaque id; "email" or "custom_<name>" are alternatives.
    # It is turned into a valid Unix user name (lowercase letters, digits, ".", "_", "-").
    "username_key": "sub",
    # Which platform course (LTI context id, or its label) is which nbgrader course of this hub.
    "courses": {"moodle-course-42": "local-governance"},
    # Platform roles that make someone an instructor of the course they launch from: LTI's
    # Instructor, ContentDeveloper and Administrator (course_hub.groups); add your platform's own.
    "instructor_roles": [*groups.INSTRUCTOR_ROLES],
}
# -------------------------------------------------------------------------------------------------

STATE = Path(os.environ.get("COURSE_HUB_STATE", "/srv/local-governance-hub"))
SETTINGS = json.loads((STATE / "hub.json").read_text())
ENV_BIN = Path(SETTINGS["environment"]) / "bin"
REPOSITORY = Path(__file__).resolve().parent.parent
IP = os.environ.get("COURSE_HUB_IP", "127.0.0.1")
PORT = int(os.environ.get("COURSE_HUB_PORT", "8000"))
HUB_API_PORT = int(os.environ.get("COURSE_HUB_API_PORT", "8081"))
PROXY_API_PORT = int(os.environ.get("COURSE_HUB_PROXY_API_PORT", "8001"))
COURSES = SETTINGS["courses"]
PORTS = [int(p) for p in os.environ.get("COURSE_HUB_SERVICE_PORTS", "").split(",") if p.strip()]
SERVICE_PORTS = (PORTS[:len(COURSES)] + [8100 + i for i in range(len(PORTS), len(COURSES))])[:len(COURSES)]
PROGRESS_PORTS = PORTS[len(COURSES):2 * len(COURSES)]
PROGRESS_PORTS += [8200 + i for i in range(len(PROGRESS_PORTS), len(COURSES))]
LOGIN = os.environ.get("COURSE_HUB_LOGIN", "native")
INSTANCE = os.environ.get("COURSE_HUB_INSTANCE", "")
if os.environ.get("COURSE_HUB_LTI13_SETTINGS"):
    LTI13.update(json.loads(Path(os.environ["COURSE_HUB_LTI13_SETTINGS"]).read_text()))

# --- The hub, its proxy and its state -----------------------------------------------------------
c.JupyterHub.bind_url = f"http://{IP}:{PORT}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{HUB_API_PORT}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
c.ConfigurableHTTPProxy.command = [str(REPOSITORY / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "hub" / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'hub' / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "hub" / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server
c.JupyterHub.cleanup_proxy = True

# --- Learners' servers: one process per learner, as that learner's Unix user --------------------
# LocalProcessSpawner, whose servers start by forking a process that has imported Jupyter already
# (course_hub.server_zygote): a third of the processor time per start, and shared memory.
# COURSE_HUB_PRELOAD=0 starts each server as a new process instead.
c.JupyterHub.spawner_class = PreloadedLocalProcessSpawner
c.PreloadedLocalProcessSpawner.preload = os.environ.get("COURSE_HUB_PRELOAD", "1") != "0"
c.PreloadedLocalProcessSpawner.zygote_python = str(ENV_BIN / "python")
c.PreloadedLocalProcessSpawner.zygote_socket = str(STATE / "hub" / "zygote.sock")
c.PreloadedLocalProcessSpawner.zygote_environment = {
    "PATH": f"{ENV_BIN}:/usr/local/bin:/usr/bin:/bin",
    "COURSE_HUB_INSTANCE": INSTANCE,
}
c.Spawner.cmd = [str(ENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    "PATH": f"{ENV_BIN}:/usr/local/bin:/usr/bin:/bin",
    "COURSE_HUB_ROLE": "user",  # read by the environment's nbgrader_config.py
    "COURSE_HUB_EXCHANGE": str(STATE / "exchange"),
    # Where the server reaches the courses' progress services (course_hub.lesson_tracker).
    "COURSE_HUB_URL": f"http://{IP}:{PORT}",
    # nbgitpuller clones the course from a repository owned by root: declare it safe.
    "GIT_CONFIG_GLOBAL": str(STATE / "gitconfig"),
    "COURSE_HUB_INSTANCE": INSTANCE,
}
# The server's own token may read the user's groups: nbgrader lists the courses a learner is in.
# It may also reach the courses' services the user may reach: JupyterLab tells the course's progress
# service which lesson the learner opened (course_hub.lesson_tracker).
SERVER_SCOPES = ["users:activity!user", "access:servers!server", "read:users:name!user", "read:users:groups!user",
                 "access:services"]

# --- nbgrader: one course service (formgrader) per course, groups and roles ---------------------
# Group memberships are set at each login (the authenticators below): from the cohort in hub.json
# (native logins) or from the launch (LTI), so that someone who no longer teaches a course loses
# its formgrader at their next login.
roles = [{"name": "server", "scopes": SERVER_SCOPES}]
services = []
for port, (course_id, course) in zip(SERVICE_PORTS, COURSES.items()):
    folder = STATE / "courses" / course_id
    roles += groups.course_roles(course_id)
    # The formgrader runs as the course's grader account (which owns the gradebook), in the
    # course folder, with nbgrader's instructor tools switched on for this server only.
    services.append({
        "name": course_id,
        "display": True,
        "url": f"http://127.0.0.1:{port}",
        "command": [str(ENV_BIN / "jupyterhub-singleuser")],
        "user": course["grader"],
        "cwd": str(folder),
        "oauth_no_confirm": True,
        "environment": {
            "PATH": f"{ENV_BIN}:/usr/local/bin:/usr/bin:/bin",
            "JUPYTER_CONFIG_PATH": str(Path(SETTINGS["environment"]) / "etc" / "course-instructors"),
            "JUPYTERHUB_DEFAULT_URL": "/formgrader",
            "COURSE_HUB_ROLE": "grader",
            "COURSE_HUB_EXCHANGE": str(STATE / "exchange"),
            "COURSE_HUB_INSTANCE": INSTANCE,
        },
    })
# --- The self-paced loop (autograder.selfpaced.service) -----------------------------------------
# Per course, "<course>-progress" (as the course's grader account): each learner's progress, feedback
# per test, self and peer assessment, certificate; the cohort page for instructors. One grading service
# for the hub (root: the sandbox needs it; no web address): it grades each submission as it arrives in
# the exchange, releases its feedback to its learner, and signs certificates with the institution's key.
for port, (course_id, course) in zip(PROGRESS_PORTS, COURSES.items()):
    folder = STATE / "courses" / course_id
    services.append({
        "name": groups.progress_service(course_id),
        "display": True,
        "url": f"http://127.0.0.1:{port}",
        "command": [str(ENV_BIN / "python"), "-m", "autograder.selfpaced.service.web", "--course", str(folder)],
        "user": course["grader"],
        "cwd": str(folder),
        "oauth_no_confirm": True,
        "environment": {"PATH": f"{ENV_BIN}:/usr/local/bin:/usr/bin:/bin", "COURSE_HUB_INSTANCE": INSTANCE},
    })
services.append({
    "name": "self-paced-grading",
    "command": [str(ENV_BIN / "python"), "-m", "autograder.selfpaced.service.grading", "--hub-url",
                os.environ.get("COURSE_HUB_PUBLIC_URL", f"http://{IP}:{PORT}")]
    + [argument for course_id in COURSES for argument in ("--course", str(STATE / "courses" / course_id))],
    "environment": {"PATH": f"{ENV_BIN}:/usr/local/bin:/usr/bin:/bin", "COURSE_HUB_INSTANCE": INSTANCE},
})

# Stop learners' servers idle for an hour: a tab left open would keep its memory busy.
IDLE_TIMEOUT_SECONDS = 3600
services.append({
    "name": "idle-culler",
    "command": [str(ENV_BIN / "python"), "-m", "jupyterhub_idle_culler", f"--timeout={IDLE_TIMEOUT_SECONDS}"],
    "environment": {"COURSE_HUB_INSTANCE": INSTANCE},
})
roles.append({
    "name": "idle-culler",
    "description": "Stop idle servers",
    "services": ["idle-culler"],
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
})
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles


# --- Logins -------------------------------------------------------------------------------------
def check_unix_user(spawner) -> None:
    """Before a server starts: its Unix account must be one the hub made (LTI logins make it), and
    it speaks the language the learner's platform gave at their last launch (course_hub.languages)."""
    refusal = accounts.login_refusal(STATE, spawner.user.name, list(COURSES))
    if refusal or spawner.user.name not in accounts.hub_accounts(STATE):
        raise RuntimeError(f"Not starting a server for {spawner.user.name}: {refusal or 'no Unix account yet'}. "
                           "Log in again from the platform.")
    spawner.environment = {**spawner.environment, **languages.server_environment(STATE, spawner.user.name)}


def cohort_groups(name: str) -> list[str]:
    """The hub groups of ``name`` in the cohort as it is now (hub.json, rewritten by each set-up)."""
    return groups.cohort_groups(json.loads((STATE / "hub.json").read_text())["courses"], name)


if LOGIN == "lti13":
    from ltiauthenticator.lti13.auth import LTI13Authenticator
    from tornado import web

    class CourseLTI13Authenticator(LTI13Authenticator):
        """LTI 1.3 logins: Unix-safe user names, the user's own Unix account, and the course's hub
        groups from the launch.

        The user name must map to an account the hub made, or to a new one, which is made now:
        never to root, a system account, a course's grader account, or any other account of the
        machine (the login is refused with a message). A launch from a platform course listed in
        ``LTI13["courses"]`` sets the user's group in that course: ``formgrade-<course>``
        (instructor roles) or ``nbgrader-<course>`` (everyone else), in place of the other one;
        groups of other courses stay.
        """

        async def authenticate(self, handler, data=None):
            model = await super().authenticate(handler, data)
            claims = model.get("auth_state") or {}
            model["name"] = accounts.unix_name(model["name"])
            refusal = accounts.login_refusal(STATE, model["name"], list(COURSES))
            if refusal:
                self.log.warning("Refused the LTI login of %s: %s", model["name"], refusal)
                raise web.HTTPError(403, "%s", f"This hub cannot log you in: {refusal}. Ask the hub's administrator "
                                    "to map your platform account to another user name.")
            try:
                accounts.create_hub_account(STATE, model["name"])
            except accounts.AccountError as error:
                self.log.error("Could not create the Unix account of %s: %s", model["name"], error)
                raise web.HTTPError(500, "The hub could not create your account: ask the hub's administrator "
                                    "(the hub's log says why).")
            languages.remember(STATE, model["name"], languages.language_of_claims(claims))
            current = groups.current_groups(handler, model["name"])
            model["groups"] = groups.groups_after_launch(claims, current, LTI13["courses"], LTI13["instructor_roles"])
            return model

    c.JupyterHub.authenticator_class = CourseLTI13Authenticator
    for key in ("issuer", "authorize_url", "jwks_endpoint", "username_key"):
        setattr(c.LTI13Authenticator, key, LTI13[key])
    c.LTI13Authenticator.client_id = set(LTI13["client_id"])
    c.Authenticator.allow_all = True  # the platform decides who may launch
    c.Authenticator.manage_groups = True  # course groups come from the launches
    c.Spawner.pre_spawn_hook = check_unix_user
else:
    from nativeauthenticator import NativeAuthenticator
    from nativeauthenticator.orm import UserInfo

    class CourseNativeAuthenticator(NativeAuthenticator):
        """Local logins with a password per account; the set-up's accounts exist from the start
        (``<state>/hub/demo-accounts.json``, readable by root only); nobody can sign up. Each login
        sets the user's course groups from the cohort as it is then (``hub.json``)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            import bcrypt

            path = STATE / "hub" / "demo-accounts.json"
            passwords = json.loads(path.read_text()) if path.exists() else {}
            for name, password in passwords.items():
                if self.get_user(name) is None:  # a password changed since is kept
                    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
                    self.db.add(UserInfo(username=name, password=hashed, is_authorized=True))
            self.db.commit()

        async def authenticate(self, handler, data):
            name = await super().authenticate(handler, data)
            return {"name": name, "groups": cohort_groups(name)} if name else None

    c.JupyterHub.authenticator_class = CourseNativeAuthenticator
    c.Authenticator.manage_groups = True  # course groups come from the cohort, at each login
    c.NativeAuthenticator.enable_signup = False
    c.NativeAuthenticator.check_common_password = True
    c.NativeAuthenticator.minimum_password_length = 10
    c.NativeAuthenticator.allowed_failed_logins = 5
    c.NativeAuthenticator.seconds_before_next_try = 60
    c.Authenticator.allowed_users = set(SETTINGS["instructors"]) | set(SETTINGS["learners"])
