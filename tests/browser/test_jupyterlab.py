"""The course in JupyterLab, as `make start` runs it for one learner, and the formgrader as an
instructor sees it, driven in Debian's Chromium: a lesson runs and its simulation answers the
keyboard, every page of a module renders its MyST as on the site (jupyterlab-myst), JupyterLab never
asks a learner about Jupyter news, an exercise is fetched from the Assignments panel, submissions
are listed for grading."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from course_hub.processes import stop_process_groups
from scripts import start_course
from scripts.site_pages import VIEWPORT
from tests.conftest import COURSE_ROOT, free_port, toc_docnames
from tests.site import page_facts

pytestmark = pytest.mark.slow

LESSON = "book/budgeting/02-savings-and-debt.md"  # the lesson with the budget simulator
ASSIGNMENT = "budgeting_01"
STUDENT = "alice"
START_TIMEOUT_SECONDS = 120
RUN_TIMEOUT_MS = 240_000


class Lab:
    def __init__(self, root: Path, port: int, token: str, process: subprocess.Popen):
        self.root, self.port, self.token, self.process = root, port, token, process

    def url(self, path: str) -> str:
        separator = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}/{path}{separator}token={self.token}"


def start_lab(root: Path, environment: dict[str, str], log: Path) -> Lab:
    """Start JupyterLab on ``root`` as scripts/start_course.py does, on a free port with a token."""
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}",
        f"--LabApp.workspaces_dir={root / '.workspaces'}", "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        # A learner's own settings start empty, as on a fresh account: what the page shows comes from
        # the course's settings (.ci/jupyterlab-settings), not from an earlier run on this machine.
        f"--LabApp.user_settings_dir={root / '.user-settings'}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=root, env=environment, start_new_session=True, stdout=output, stderr=subprocess.STDOUT)
    lab = Lab(root, port, token, process)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab stopped while starting:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(lab.url("api/status"), timeout=2)
            return lab
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    stop_process_groups([process], start_course.STOP_GRACE_SECONDS)
    pytest.fail(f"JupyterLab did not answer within {START_TIMEOUT_SECONDS} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def learner_lab(tmp_path_factory, tool_environment, monkeypatch_module):
    """JupyterLab for one learner on a copy of the course, with the exercises released into a
    local exchange by scripts/start_course.py's own functions (as `make start` does)."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(COURSE_ROOT / "book", root / "book", ignore=shutil.ignore_patterns("_build", ".ipynb_checkpoints"))
    (root / "exercises").mkdir()
    shutil.copy2(COURSE_ROOT / "exercises" / "nbgrader_config.py", root / "exercises")
    shutil.copytree(COURSE_ROOT / "exercises" / "source", root / "exercises" / "source")
    monkeypatch_module.setattr(start_course, "COURSE_ROOT", root)
    monkeypatch_module.setattr(start_course, "STATE", root / ".make")
    environment = dict(tool_environment)
    exchange = root / ".make" / "exchange"
    environment["JUPYTER_CONFIG_PATH"] = str(start_course.write_jupyter_config(exchange))
    released = start_course.release_exercises(exchange, environment)
    assert ASSIGNMENT in released
    lab = start_lab(root, environment, root / "jupyterlab.log")
    yield lab
    stop_process_groups([lab.process], start_course.STOP_GRACE_SECONDS)


@pytest.fixture(scope="module")
def monkeypatch_module():
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


@pytest.fixture(scope="module")
def lab_page(browser, learner_lab):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    yield page
    context.close()


def click_menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(menu)}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")).click()


def accept_kernel(page, timeout_ms: int = 10_000) -> None:
    """Answer JupyterLab's question about the kernel of a text notebook, if it asks.
    (It never asks about Jupyter news: the course's settings switch that question off.)"""
    select = page.locator(".jp-Dialog button.jp-mod-accept", has_text="Select")
    try:
        select.wait_for(timeout=timeout_ms)
        select.click()
    except PlaywrightTimeout:
        pass  # the notebook started its kernel without asking


def test_does_a_lesson_run_in_jupyterlab_and_its_slider_redraw_the_figure_from_the_keyboard(learner_lab, lab_page, screenshots):
    page = lab_page
    page.goto(learner_lab.url(f"lab/tree/{LESSON}?reset"))
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=60_000)
    accept_kernel(page)
    click_menu(page, "Run", "Run All Cells")
    handle = page.locator(".jp-OutputArea .noUi-handle[role=slider]").first
    handle.wait_for(state="attached", timeout=RUN_TIMEOUT_MS)
    simulator = page.locator(".jp-OutputArea .widget-vbox", has=page.locator(".noUi-handle")).first
    figure = simulator.locator("img").first
    figure.wait_for()
    simulator.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "jupyterlab-simulator.png"))
    before = figure.get_attribute("src")
    assert before.startswith("data:image/png;base64,")
    assert (figure.get_attribute("alt") or "").strip(), "the simulator's figure has no alt text in JupyterLab"

    # Start keyboard navigation at the simulator's title, then Tab to its first slider.
    simulator.locator(".widget-html").first.click()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.noUi-handle[role=slider]')"):
            break
    else:
        pytest.fail("no slider of the simulator could be reached with Tab in JupyterLab")
    value = page.evaluate("document.activeElement.getAttribute('aria-valuenow')")
    page.keyboard.press("ArrowRight")
    try:
        page.wait_for_function("v => document.activeElement.getAttribute('aria-valuenow') !== v", arg=value, timeout=10_000)
    except PlaywrightTimeout:
        pytest.fail("the arrow key did not move the focused slider in JupyterLab")
    try:
        # The figure widget replaces its <img> at each redraw: look it up again in the simulator's box.
        page.wait_for_function("([box, before]) => box.querySelector('img').getAttribute('src') !== before",
                               arg=[simulator.element_handle(), before], timeout=30_000)
    except PlaywrightTimeout:
        pytest.fail("the slider moved but the simulator's figure was not redrawn in JupyterLab")
    page.screenshot(path=str(screenshots / "jupyterlab-simulator-moved.png"))


# --- Lessons look the same in JupyterLab as on the site (jupyterlab-myst) ------------------------------
#: MyST that shows as raw text when JupyterLab renders a page as plain markdown: directives and roles
#: by name, fences (":::"), and directive options (":class: tip").
RAW_MYST = re.compile(
    r"\{(admonition|note|tip|important|warning|seealso|dropdown|exercise|solution|figure|glossary|"
    r"term|cite(?::[a-z]+)?|ref|numref|doc|eq|glue(?::[a-z]+)?)\}|^\s*:{3,}|^\s*:(class|label|tags):",
    re.M,
)
#: The rendered part of a markdown cell: jupyterlab-myst's widget, or JupyterLab's own renderer.
RENDERED = ".myst, .jp-RenderedMarkdown"
ADMONITIONS = {"admonition", "note", "tip", "important", "warning", "seealso", "attention", "caution", "hint"}
NEWS_QUESTION = "official Jupyter news"


def module_pages() -> list[str]:
    """Every page of a module folder in the table of contents: lessons, module index, exercise page."""
    return [name for name in toc_docnames() if len(name.split("/")) == 3]


def rendered_markdown(page) -> list[str | None]:
    """The text of each markdown cell of the open notebook as rendered (None: shown as source)."""
    return page.evaluate(
        """rendered => [...document.querySelectorAll('.jp-NotebookPanel .jp-MarkdownCell')].map(cell => {
            const part = cell.querySelector(rendered);
            return part ? part.textContent : null;
        })""",
        RENDERED,
    )


@pytest.mark.parametrize("docname", module_pages())
def test_does_each_module_page_render_its_myst_in_jupyterlab_as_on_the_site(learner_lab, lab_page, screenshots, docname):
    page = lab_page
    sources = [text for text in page_facts.markdown_cells(docname) if text.strip()]
    found = [d.name for text in sources for d in page_facts.directives(text)]
    page.goto(learner_lab.url(f"lab/tree/{docname}.md?reset"))
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=60_000)
    accept_kernel(page, timeout_ms=3_000)
    try:
        page.wait_for_function(
            """([rendered, expected]) => [...document.querySelectorAll('.jp-NotebookPanel .jp-MarkdownCell')]
                .filter(cell => (cell.querySelector(rendered) || {}).textContent?.trim()).length >= expected""",
            arg=[RENDERED, len(sources)], timeout=60_000,
        )
    except PlaywrightTimeout:
        texts = rendered_markdown(page)
        pytest.fail(f"{docname}: {sum(bool(t and t.strip()) for t in texts)} of its {len(sources)} markdown cells "
                    "were rendered in JupyterLab within 60 s")
    page.screenshot(path=str(screenshots / f"jupyterlab-myst-{docname.replace('/', '-')}.png"))

    raw = []
    for number, text in enumerate(rendered_markdown(page), start=1):
        matches = list(RAW_MYST.finditer(text or ""))
        if matches:
            tokens = ", ".join(dict.fromkeys(match.group(0).strip() for match in matches))
            start = max(0, matches[0].start() - 30)
            raw.append(f"markdown cell {number} ({tokens}): ...{' '.join(text[start:matches[0].end() + 50].split())}...")
    assert raw == [], (
        f"{docname} shows MyST as raw text in JupyterLab (is jupyterlab-myst installed and enabled?):\n" + "\n".join(raw)
    )
    # Positive controls: what the source asks for is drawn, not merely absent as text.
    if ADMONITIONS & set(found):
        assert page.locator(".jp-MarkdownCell .myst .myst-admonition").count() >= 1, (
            f"{docname}: no admonition drawn by jupyterlab-myst, though the page has {sorted(ADMONITIONS & set(found))}"
        )
    # jupyterlab-myst draws a question as <aside class="myst-exercise"> and its answer (a dropdown) as
    # <details class="myst-exercise">, closed until the learner opens it.
    questions = page.locator(".jp-MarkdownCell .myst aside.myst-exercise").count()
    answers = page.locator(".jp-MarkdownCell .myst details.myst-exercise")
    assert questions == found.count("exercise"), (
        f"{docname}: {questions} self-check questions drawn, {found.count('exercise')} in the source"
    )
    assert answers.count() == found.count("solution"), (
        f"{docname}: {answers.count()} answers drawn, {found.count('solution')} in the source"
    )
    opened = answers.evaluate_all("answers => answers.filter(answer => answer.open).length")
    assert opened == 0, f"{docname}: {opened} answers of self-check questions are open before the learner asks"
    asked = page.get_by_text(NEWS_QUESTION).count()
    assert not asked, "JupyterLab asked the learner whether to get notified about official Jupyter news"


def test_does_jupyterlab_never_ask_a_learner_about_jupyter_news_nor_check_for_updates(learner_lab, lab_page):
    """Answering "yes" would make JupyterLab fetch from the internet; the course's settings
    (.ci/jupyterlab-settings, the same on the hub and in the Kubernetes image) answer "never"."""
    plugin = "@jupyterlab/apputils-extension:notification"
    with urllib.request.urlopen(learner_lab.url(f"lab/api/settings/{plugin}"), timeout=10) as response:
        settings = json.load(response)
    defaults = {name: value.get("default") for name, value in settings["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false", f"the course's settings leave fetchNews at {defaults['fetchNews']!r}"
    assert defaults["checkForUpdates"] is False, "the course's settings leave the check for updates on"
    page = lab_page
    page.goto(learner_lab.url("lab?reset"))
    page.wait_for_selector(".lm-MenuBar-itemLabel", timeout=60_000)
    try:
        page.get_by_text(NEWS_QUESTION).wait_for(timeout=10_000)
    except PlaywrightTimeout:
        return
    pytest.fail("JupyterLab asked the learner whether to get notified about official Jupyter news")


def test_can_a_learner_fetch_an_exercise_from_the_assignment_list(learner_lab, lab_page, screenshots):
    page = lab_page
    page.goto(learner_lab.url("lab?reset"))
    page.wait_for_selector(".lm-MenuBar-itemLabel", timeout=60_000)
    click_menu(page, "Nbgrader", "Assignment List")
    # Exactly this assignment: its French edition (budgeting_01_fr) is released too.
    exactly = page.locator(".item_name", has_text=re.compile(rf"^\s*{ASSIGNMENT}\s*$"))
    released = page.locator("#released_assignments_list .list_item", has=exactly)
    released.wait_for(timeout=60_000)
    page.screenshot(path=str(screenshots / "jupyterlab-assignment-list.png"))
    released.get_by_role("button", name="Fetch").click()
    fetched = page.locator("#fetched_assignments_list .list_item", has=exactly)
    fetched.first.wait_for(timeout=60_000)
    notebook = learner_lab.root / "my_exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert notebook.exists(), f"fetching did not write {notebook.relative_to(learner_lab.root)}"


@pytest.fixture(scope="module")
def instructor_lab(tmp_path_factory, tool_environment):
    """JupyterLab for an instructor on a course root with a released assignment and one graded submission."""
    root = tmp_path_factory.mktemp("instructor")
    shutil.copy2(COURSE_ROOT / "exercises" / "nbgrader_config.py", root)
    shutil.copytree(COURSE_ROOT / "exercises" / "source", root / "source")
    environment = dict(tool_environment)
    config = root / ".jupyter"
    config.mkdir()
    (config / "nbgrader_config.py").write_text(f"c = get_config()\nc.CourseDirectory.root = {str(root)!r}\n", encoding="utf-8")
    environment["JUPYTER_CONFIG_PATH"] = str(config)

    def nbgrader(*arguments):
        result = subprocess.run([sys.executable, "-m", "nbgrader", *arguments, "--log-level=ERROR"],
                                cwd=root, env=environment, capture_output=True, text=True)
        assert result.returncode == 0, f"nbgrader {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}"

    nbgrader("db", "student", "add", STUDENT, "--first-name=Alice", "--last-name=Martin")
    nbgrader("generate_assignment", ASSIGNMENT, "--force")
    submission = root / "submitted" / STUDENT / ASSIGNMENT
    shutil.copytree(root / "release" / ASSIGNMENT, submission)
    (submission / "timestamp.txt").write_text("2026-03-01 10:00:00.000000 UTC", encoding="utf-8")
    nbgrader("autograde", ASSIGNMENT, "--force")
    lab = start_lab(root, environment, root / "jupyterlab.log")
    yield lab
    stop_process_groups([lab.process], start_course.STOP_GRACE_SECONDS)


def test_does_the_formgrader_list_the_assignment_and_its_submission(browser, instructor_lab, screenshots):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(instructor_lab.url("formgrader"))
    row = page.locator("tr", has_text=ASSIGNMENT).first
    row.wait_for(timeout=60_000)
    page.screenshot(path=str(screenshots / "formgrader-assignments.png"), full_page=True)
    page.goto(instructor_lab.url(f"formgrader/manage_submissions/{ASSIGNMENT}"))
    page.locator("tr", has_text=STUDENT).first.wait_for(timeout=60_000)
    page.screenshot(path=str(screenshots / "formgrader-submissions.png"), full_page=True)
    context.close()
