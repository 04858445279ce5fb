"""Drive the course hub over HTTP the way a browser does: for the hub's tests and its benchmark.

A :class:`HubUser` logs in through the login form (the ``_xsrf`` cookie first, then the form),
asks the hub's REST API for a token of its own, starts its server, and then talks to its
JupyterLab server, to nbgrader's learner endpoints, or to a course's formgrader service.
"""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import requests


class HubClientError(AssertionError):
    """The hub did not answer as a browser would expect; the message says what happened."""


def _check(response: requests.Response, what: str) -> requests.Response:
    if response.status_code >= 400:
        raise HubClientError(f"{what}: HTTP {response.status_code} for {response.request.method} "
                             f"{response.url}\n{response.text[:1500]}")
    return response


class HubUser:
    """One person using the hub from their browser."""

    def __init__(self, hub_url: str, name: str, password: str, timeout: float = 60) -> None:
        self.hub_url = hub_url.rstrip("/")
        self.name = name
        self.password = password
        self.timeout = timeout
        self.session = requests.Session()
        self.token: str | None = None

    # --- the hub ----------------------------------------------------------------------------
    def _xsrf(self, path_prefix: str) -> str:
        for cookie in self.session.cookies:
            if cookie.name == "_xsrf" and path_prefix.startswith(cookie.path.rstrip("/") or "/"):
                return cookie.value
        raise HubClientError(f"no _xsrf cookie for {path_prefix}")

    def login(self) -> requests.Response:
        """Log in through the hub's login form; return the page the hub redirects to."""
        _check(self.session.get(f"{self.hub_url}/hub/login", timeout=self.timeout), "the login page")
        response = self.session.post(
            f"{self.hub_url}/hub/login",
            data={"username": self.name, "password": self.password, "_xsrf": self._xsrf("/hub/login")},
            allow_redirects=False, timeout=self.timeout,
        )
        if response.status_code not in (302, 303) or not any(
            c.name.startswith("jupyterhub-hub-login") for c in self.session.cookies
        ):
            raise HubClientError(f"{self.name} could not log in: HTTP {response.status_code}\n{response.text[:500]}")
        return response

    def create_token(self) -> str:
        """A token of this user, asked for with the login cookie (as the hub's token page does)."""
        response = _check(self.session.post(
            f"{self.hub_url}/hub/api/users/{self.name}/tokens",
            json={"note": "course hub client", "expires_in": 3600},
            headers={"X-XSRFToken": self._xsrf("/hub/api")}, timeout=self.timeout,
        ), f"a token for {self.name}")
        self.token = response.json()["token"]
        return self.token

    @property
    def headers(self) -> dict[str, str]:
        if not self.token:
            self.create_token()
        return {"Authorization": f"token {self.token}"}

    def hub_api(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.session.request(method, f"{self.hub_url}/hub/api/{path.lstrip('/')}",
                                    headers=self.headers, timeout=self.timeout, **kwargs)

    def model(self) -> dict:
        return _check(self.hub_api("GET", f"users/{self.name}"), f"{self.name}'s hub record").json()

    def start_server(self) -> None:
        response = self.hub_api("POST", f"users/{self.name}/server")
        if response.status_code not in (201, 202, 400):  # 400: already running
            _check(response, f"starting {self.name}'s server")

    def wait_until_ready(self, timeout: float = 180) -> None:
        """Wait for the user's server as the hub's "spawn pending" page does: on the progress stream."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.model().get("servers", {}).get("")
            if server and server.get("ready"):
                return
            if server and server.get("pending") == "spawn":
                with self.session.get(f"{self.hub_url}/hub/api/users/{self.name}/server/progress",
                                      headers=self.headers, stream=True, timeout=timeout) as stream:
                    for line in stream.iter_lines(decode_unicode=True):
                        if line and line.startswith("data:") and json.loads(line[len("data:"):]).get("ready"):
                            return
                        if time.monotonic() > deadline:
                            break
            else:
                time.sleep(0.25)
        raise HubClientError(f"{self.name}'s server was not ready within {timeout:.0f} s")

    def stop_server(self) -> None:
        response = self.hub_api("DELETE", f"users/{self.name}/server")
        if response.status_code not in (202, 204, 400):
            _check(response, f"stopping {self.name}'s server")

    # --- the user's own server ---------------------------------------------------------------
    def server_url(self, path: str = "") -> str:
        return f"{self.hub_url}/user/{self.name}/{path.lstrip('/')}"

    def server(self, method: str, path: str, **kwargs) -> requests.Response:
        """A request to the user's server with the user's token."""
        kwargs.setdefault("timeout", self.timeout)
        return self.session.request(method, self.server_url(path), headers=self.headers, **kwargs)

    def browse(self, url: str) -> requests.Response:
        """Open ``url`` as a browser does (cookies, following redirects through the hub's login)."""
        return self.session.get(url, timeout=self.timeout)

    def launch(self, link: str, timeout: float = 180) -> str:
        """Follow a lesson's launch link as a browser does; return the JupyterLab address it opens.

        The hub logs the user in, starts their server if needed (its "spawn pending" page waits for
        the server, then goes on), and nbgitpuller's page pulls the course into the home (its
        script reads the pull's progress from ``git-pull/api``) before opening the lesson.
        """
        response = self.browse(link)
        if "/hub/spawn-pending/" in response.url:
            next_url = parse_qs(urlsplit(response.url).query)["next"][0]
            self.wait_until_ready(timeout)
            response = self.browse(self.hub_url + next_url)
        _check(response, "nbgitpuller's page")
        if "/git-pull?" not in response.url:
            raise HubClientError(f"the launch link led to {response.url}, not to nbgitpuller")
        progress = []
        with self.session.get(response.url.replace("/git-pull?", "/git-pull/api?", 1), stream=True,
                              timeout=timeout) as stream:
            _check(stream, "nbgitpuller's pull")
            for line in stream.iter_lines(decode_unicode=True):
                if not line or not line.startswith("data:"):
                    continue
                event = json.loads(line[len("data:"):])
                progress.append(event.get("output", ""))
                if event.get("phase") == "error":
                    raise HubClientError(f"nbgitpuller failed: {event.get('message')}\n{''.join(progress)}")
                if event.get("phase") == "finished":
                    break
            else:
                raise HubClientError(f"nbgitpuller's pull ended without finishing:\n{''.join(progress)}")
        return self.server_url(parse_qs(urlsplit(response.url).query)["urlpath"][0])

    def lab_is_working(self) -> bool:
        """Does JupyterLab answer: its page loads and its API (contents of the home) answers?"""
        page = self.session.get(self.server_url("lab"), timeout=self.timeout)
        if page.status_code != 200 or "jupyter-config-data" not in page.text:
            return False
        return self.server("GET", "api/contents/").status_code == 200

    def read_file(self, path: str, **params) -> requests.Response:
        return self.server("GET", f"api/contents/{path}", params={"content": 1, **params})

    def write_notebook(self, path: str, notebook: dict) -> None:
        _check(self.server("PUT", f"api/contents/{path}", json={"type": "notebook", "format": "json", "content": notebook}),
               f"saving {path}")

    def run_code(self, code: str, timeout: float = 120) -> str:
        """Run ``code`` in a new kernel of the user's server, as a notebook does; return its output."""
        import websocket  # websocket-client

        kernel = _check(self.server("POST", "api/kernels", json={"name": "python3"}), "starting a kernel").json()
        try:
            url = "ws" + self.server_url(f"api/kernels/{kernel['id']}/channels")[len("http"):]
            connection = websocket.create_connection(url, header=[f"Authorization: token {self.token}"], timeout=timeout)
            msg_id = uuid.uuid4().hex
            connection.send(json.dumps({
                "header": {"msg_id": msg_id, "username": self.name, "session": uuid.uuid4().hex,
                           "msg_type": "execute_request", "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                            "allow_stdin": False, "stop_on_error": True},
            }))
            output = []
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                message = json.loads(connection.recv())
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if message["msg_type"] == "stream":
                    output.append(message["content"]["text"])
                elif message["msg_type"] == "error":
                    output.append("\n".join(message["content"]["traceback"]))
                elif message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                    break
            connection.close()
            return "".join(output)
        finally:
            self.server("DELETE", f"api/kernels/{kernel['id']}")

    # --- nbgrader, as the Assignments panel does ----------------------------------------------
    def assignments(self, course_id: str) -> list[dict]:
        response = _check(self.server("GET", "assignments", params={"course_id": course_id}), "the assignment list")
        payload = response.json()
        if not payload.get("success", False):
            raise HubClientError(f"nbgrader could not list {course_id}'s assignments: {payload.get('value')}")
        return payload["value"]

    def assignment_action(self, action: str, course_id: str, assignment_id: str) -> dict:
        response = _check(self.server("POST", f"assignments/{action}",
                                      data={"course_id": course_id, "assignment_id": assignment_id}),
                          f"nbgrader {action}")
        payload = response.json()
        if not payload.get("success", False):
            raise HubClientError(f"nbgrader {action} of {course_id}/{assignment_id} failed for {self.name}: "
                                 f"{payload.get('value')}")
        return payload

    # --- a hub service (a course's progress pages, for example) ---------------------------------
    def service(self, method: str, name: str, path: str = "", **kwargs) -> requests.Response:
        """A request to the hub service ``name`` (``/services/<name>/<path>``) with the user's token."""
        kwargs.setdefault("timeout", self.timeout)
        return self.session.request(method, f"{self.hub_url}/services/{name}/{path.lstrip('/')}",
                                    headers=self.headers, **kwargs)

    # --- a course's formgrader (instructors) ----------------------------------------------------
    def formgrader(self, method: str, course_id: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", max(self.timeout, 300))
        return self.session.request(method, f"{self.hub_url}/services/{course_id}/formgrader/{path.lstrip('/')}",
                                    headers=self.headers, **kwargs)

    def formgrader_action(self, course_id: str, path: str) -> dict:
        response = _check(self.formgrader("POST", course_id, f"api/{path}"), f"formgrader {path}")
        payload = json.loads(response.text)
        if isinstance(payload, dict) and payload.get("success") is False:
            raise HubClientError(f"formgrader {path} of {course_id} failed: {payload.get('error') or payload}")
        return payload

