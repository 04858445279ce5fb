"""JupyterHub configuration of the course, for a cohort on one machine (``make hub``).

Every learner is a real Unix user (LocalProcessSpawner), so learners are kept apart by the
operating system: private homes (mode 700), an nbgrader exchange whose folders let a learner
submit but not list or read others' work, and course folders (solutions, gradebook) that only the
course's grader account and instructors can read. ``deploy/hub_setup.py`` prepares all of that and
writes ``<state>/hub.json``, the cohort this file reads; ``deploy/hub.py`` starts the hub.

Environment variables (``deploy/hub.py`` sets them; the defaults are those of ``make hub``):

=============================  ===========================================================  ===========================
variable                       what                                                         default
=============================  ===========================================================  ===========================
COURSE_HUB_STATE               the hub's state folder (database, exchange, courses)         /srv/local-governance-hub
COURSE_HUB_IP, COURSE_HUB_PORT where learners reach the hub                                 127.0.0.1, 8000
COURSE_HUB_API_PORT            the hub's internal API port (loopback)                       8081
COURSE_HUB_PROXY_API_PORT      configurable-http-proxy's API port (loopback)                8001
COURSE_HUB_SERVICE_PORTS       ports of the courses' formgrader services, comma-separated   8100, 8101, ...
COURSE_HUB_LOGIN               ``native`` (accounts made by the set-up) or ``lti13``        native
COURSE_HUB_LTI13_SETTINGS      a JSON file that overrides keys of ``LTI13`` below           (none)
COURSE_HUB_INSTANCE            a mark given to every process the hub starts (clean-up)      (none)
=============================  ===========================================================  ===========================
"""

import hashlib
import json
import os
import pwd
import re
import subprocess
import sys
from pathlib import Path

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
    # Platform roles that make someone an instructor of the course they launch from.
    "instructor_roles": [
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
        "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper",
        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
    ],
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
SERVICE_PORTS = [int(p) for p in os.environ.get("COURSE_HUB_SERVICE_PORTS", "").split(",") if p.strip()]
SERVICE_PORTS += [8100 + i for i in range(len(SERVICE_PORTS), len(COURSES))]
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
# (deploy/server_zygote.py): a third of the processor time per start, and shared memory.
# COURSE_HUB_PRELOAD=0 starts each server as a new process instead.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from preload_spawner import PreloadedLocalProcessSpawner  # noqa: E402

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
    # nbgitpuller clones the course from a repository owned by root: declare it safe.
    "GIT_CONFIG_GLOBAL": str(STATE / "gitconfig"),
    "COURSE_HUB_INSTANCE": INSTANCE,
}
# The server's own token may read the user's groups: nbgrader lists the courses a learner is in.
SERVER_SCOPES = ["users:activity!user", "access:servers!server", "read:users:name!user", "read:users:groups!user"]

# --- nbgrader: one course service (formgrader) per course, groups and roles ---------------------
groups = {}
roles = [{"name": "server", "scopes": SERVER_SCOPES}]
services = []
for port, (course_id, course) in zip(SERVICE_PORTS, COURSES.items()):
    folder = STATE / "courses" / course_id
    groups[f"nbgrader-{course_id}"] = {"users": list(course.get("learners", []))}
    groups[f"formgrade-{course_id}"] = {"users": list(course.get("instructors", []))}
    roles.append({
        "name": f"formgrade-{course_id}",
        "description": f"Instructors of {course_id}: open its formgrader",
        "groups": [f"formgrade-{course_id}"],
        "scopes": [f"access:services!service={course_id}"],
    })
    roles.append({
        "name": f"grader-{course_id}",
        "description": f"The formgrader of {course_id}: read who is in the course, enrol learners",
        "services": [course_id],
        "scopes": ["read:users:name", "read:users:groups", "list:users", "list:groups",
                   f"read:groups!group=nbgrader-{course_id}", f"groups!group=nbgrader-{course_id}"],
    })
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
def unix_name(name: str) -> str:
    """A valid, stable Unix user name for a hub user name from a platform (at most 32 characters)."""
    clean = re.sub(r"[^a-z0-9._-]+", "-", name.strip().lower()).strip("-.") or "user"
    if not clean[0].isalpha():
        clean = "u" + clean
    if clean != name or len(clean) > 32:
        suffix = hashlib.sha256(name.encode()).hexdigest()[:6]
        clean = f"{clean[:25]}-{suffix}"
    return clean


def ensure_unix_user(spawner) -> None:
    """Before a server starts: create the user's Unix account and private home if missing (LTI)."""
    name = spawner.user.name
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True)
    os.chmod(pwd.getpwnam(name).pw_dir, 0o700)


if LOGIN == "lti13":
    from ltiauthenticator.lti13.auth import LTI13Authenticator

    ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
    CONTEXT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/context"

    class CourseLTI13Authenticator(LTI13Authenticator):
        """LTI 1.3 logins: Unix-safe user names, and the course's hub groups from the launch.

        A launch from a platform course listed in ``LTI13["courses"]`` puts the user in that
        course's ``formgrade-<course>`` group (instructor roles) or ``nbgrader-<course>`` group
        (everyone else); groups from earlier launches are kept.
        """

        async def authenticate(self, handler, data=None):
            model = await super().authenticate(handler, data)
            claims = model.get("auth_state") or {}
            model["name"] = unix_name(model["name"])
            existing = handler.find_user(model["name"])
            names = {group.name for group in existing.groups} if existing else set()
            context = claims.get(CONTEXT_CLAIM) or {}
            course_id = LTI13["courses"].get(str(context.get("id", ""))) or LTI13["courses"].get(str(context.get("label", "")))
            if course_id:
                teaches = set(claims.get(ROLES_CLAIM) or []) & set(LTI13["instructor_roles"])
                names.add(f"{'formgrade' if teaches else 'nbgrader'}-{course_id}")
            model["groups"] = sorted(names)
            return model

    c.JupyterHub.authenticator_class = CourseLTI13Authenticator
    for key in ("issuer", "authorize_url", "jwks_endpoint", "username_key"):
        setattr(c.LTI13Authenticator, key, LTI13[key])
    c.LTI13Authenticator.client_id = set(LTI13["client_id"])
    c.Authenticator.allow_all = True  # the platform decides who may launch
    c.Authenticator.manage_groups = True  # course groups come from the launches
    c.Spawner.pre_spawn_hook = ensure_unix_user
else:
    from nativeauthenticator import NativeAuthenticator
    from nativeauthenticator.orm import UserInfo

    class CourseNativeAuthenticator(NativeAuthenticator):
        """Local logins with a password per account; the set-up's accounts exist from the start
        (``<state>/hub/demo-accounts.json``, readable by root only); nobody can sign up."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            import bcrypt

            path = STATE / "hub" / "demo-accounts.json"
            accounts = json.loads(path.read_text()) if path.exists() else {}
            for name, password in accounts.items():
                if self.get_user(name) is None:  # a password changed since is kept
                    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
                    self.db.add(UserInfo(username=name, password=hashed, is_authorized=True))
            self.db.commit()

    c.JupyterHub.authenticator_class = CourseNativeAuthenticator
    c.NativeAuthenticator.enable_signup = False
    c.NativeAuthenticator.check_common_password = True
    c.NativeAuthenticator.minimum_password_length = 10
    c.NativeAuthenticator.allowed_failed_logins = 5
    c.NativeAuthenticator.seconds_before_next_try = 60
    c.Authenticator.allowed_users = set(SETTINGS["instructors"]) | set(SETTINGS["learners"])
    c.JupyterHub.load_groups = groups
