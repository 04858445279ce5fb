"""The course site as learners get it: complete, self-contained, and free of any solution."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup

from autograder.secrets import leaks_in_text, secrets_of_course
from scripts.site_pages import lesson_docnames
from tests.conftest import COURSE_ROOT
from tests.site import page_facts
from tests.site.conftest import course_config, toc_docnames

pytestmark = pytest.mark.slow

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def html_pages(site) -> list[Path]:
    """The pages of the site, both editions (not the theme's template fragments kept in _static/)."""
    return sorted(path for path in site.site.rglob("*.html") if "_static" not in path.relative_to(site.site).parts)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_site_builds_with_warnings_as_errors(built_site):
    assert built_site.returncode == 0, f"jupyter-book build -W failed:\n{built_site.log[-5000:]}"
    # Sphinx's warnings and errors; the kernels' own log lines are not about the site: "[IPKernelApp]
    # WARNING | Kernel is running over TCP..." (local transport), and the line that tornado's logger in a
    # lesson's kernel printed, at random, in 2 of about 10 clean-clone runs whose builds succeeded (the
    # build process itself runs no ZMQStream). A failing cell still fails the build: -W, the return code.
    kernel_lines = ("[IPKernelApp]", "ERROR:tornado.general:Uncaught exception in ZMQStream callback")
    warnings = [line for line in built_site.log.splitlines()
                if ("WARNING" in line or "ERROR" in line) and not line.startswith(kernel_lines)]
    assert warnings == [], "the build printed warnings:\n" + "\n".join(warnings)


def test_every_page_of_the_table_of_contents_is_built(built_site):
    missing = [name for name in toc_docnames() if not built_site.page(name).exists()]
    assert missing == [], f"pages of book/_toc.yml missing from the site: {missing}"
    for name in toc_docnames():
        title = soup(built_site.page(name)).find("h1")
        assert title is not None and title.get_text(strip=True), f"{name} has no title"


def test_the_course_has_lessons_and_an_exercise_to_check():
    assert lesson_docnames(), "no lesson found in the table of contents"
    assert list((COURSE_ROOT / "exercises" / "source").rglob("*.ipynb")), "no exercise in exercises/source/"


def site_text_files(site) -> list[Path]:
    """Every file of the site a learner can read as text: pages, sources, notebooks, scripts of the search index."""
    suffixes = {".html", ".ipynb", ".md", ".txt", ".js", ".json", ".py"}
    skip = {"_static"}
    return [path for path in site.site.rglob("*")
            if path.is_file() and path.suffix in suffixes and not (set(path.relative_to(site.site).parts[1:2]) & skip)]


def readable_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".html":
        # Highlighted code is split into many tags: join them without spaces, and also with
        # spaces for prose, so that a leak is found in both.
        page = BeautifulSoup(raw, "html.parser")
        return page.get_text("") + "\n" + page.get_text(" ")
    if path.suffix == ".ipynb":
        notebook = json.loads(raw)
        return "\n".join("".join(cell.get("source", "")) for cell in notebook.get("cells", []))
    return raw


def test_no_page_of_the_site_contains_a_solution_or_a_hidden_test(built_site):
    secrets = secrets_of_course(COURSE_ROOT / "exercises" / "source")
    assert secrets, "the instructor notebooks have no solution or hidden test to check against"
    leaks = []
    for path in site_text_files(built_site):
        for secret, text in leaks_in_text(readable_text(path), secrets):
            leaks.append(f"{path.relative_to(built_site.site)}: {secret.kind} of {secret.cell_id}: {text[:80]!r}")
    assert leaks == [], "secret content of the exercises reached the site:\n" + "\n".join(leaks)


def test_exercise_pages_offer_the_learner_version_without_solutions(built_site):
    secrets = secrets_of_course(COURSE_ROOT / "exercises" / "source")
    released = sorted(built_site.site.glob("*/_exercises/**/*.ipynb"))
    assert released, "no learner version of any exercise was published"
    for notebook in released:
        text = notebook.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        assert leaks_in_text(readable_text(notebook), secrets) == []
        assert "YOUR CODE HERE" in text, f"{notebook.name} has no place for the learner's code"


def external_references(page: BeautifulSoup) -> list[str]:
    """Addresses of resources the browser loads by itself: scripts, styles, fonts, images, frames."""
    found = []
    for tag, attribute in (("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"),
                           ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data")):
        found += [element[attribute] for element in page.find_all(tag) if element.get(attribute)]
    for link in page.find_all("link"):
        relations = {value.lower() for value in link.get("rel", [])}
        if relations & {"stylesheet", "preload", "prefetch", "modulepreload", "icon", "preconnect", "dns-prefetch"}:
            found.append(link.get("href", ""))
    for style in page.find_all("style"):
        found += re.findall(r"url\(\s*['\"]?([^'\")]+)", style.get_text())
        found += re.findall(r"@import\s+['\"]([^'\"]+)", style.get_text())
    for element in page.find_all(style=True):
        found += re.findall(r"url\(\s*['\"]?([^'\")]+)", element["style"])
    return found


def is_external(address: str) -> bool:
    parsed = urlparse(address.strip())
    if address.strip().startswith("//"):
        return parsed.hostname not in LOCAL_HOSTS
    return parsed.scheme in {"http", "https"} and parsed.hostname not in LOCAL_HOSTS


def test_no_page_loads_a_script_style_or_font_from_another_host(built_site):
    offenders = []
    for path in html_pages(built_site):
        for address in external_references(soup(path)):
            if is_external(address):
                offenders.append(f"{path.relative_to(built_site.site)}: {address}")
    for stylesheet in built_site.site.rglob("*.css"):
        text = stylesheet.read_text(encoding="utf-8", errors="replace")
        for address in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text):
            if is_external(address):
                offenders.append(f"{stylesheet.relative_to(built_site.site)}: {address}")
    assert offenders == [], "the site loads resources from other hosts:\n" + "\n".join(sorted(set(offenders)))


#: Scripts whose text is data the page never runs: the saved widgets (checked in a real browser,
#: tests/browser/, which records every request).
DATA_SCRIPT_TYPES = {WIDGET_STATE, WIDGET_VIEW}
#: An address in a script's text: a host name with a dot, after "//", "http://" or "https://".
ADDRESS = re.compile(r"""(?:https?:)?//[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+[^\s"'`<>)]*""")
#: What sphinx-thebe writes into a page: its CDN address, its Binder configuration, its files.
THEBE_MARKERS = ("THEBE_JS_URL", "text/x-thebe-config", "sphinx-thebe")


def test_no_inline_script_of_a_page_names_another_host(built_site):
    """An inline script can load from a CDN by itself (sphinx-thebe wrote `THEBE_JS_URL = "https://unpkg.com/..."`)."""
    offenders = []
    for path in html_pages(built_site):
        for script in soup(path).find_all("script", src=False):
            if script.get("type") in DATA_SCRIPT_TYPES:
                continue
            for address in ADDRESS.findall(script.get_text()):
                if is_external(address):
                    offenders.append(f"{path.relative_to(built_site.site)}: {address}")
    assert offenders == [], "inline scripts of the site name other hosts:\n" + "\n".join(sorted(set(offenders)))


def test_no_page_carries_the_thebe_configuration(built_site):
    for path in html_pages(built_site):
        text = path.read_text(encoding="utf-8")
        found = [marker for marker in THEBE_MARKERS if marker in text]
        assert found == [], f"{path.relative_to(built_site.site)} still carries sphinx-thebe's {found}"


def test_pages_draw_icons_with_the_theme_webfont_not_its_script(built_site):
    """The theme's Font Awesome script (0.5 MB) is left out; its stylesheet draws the same icons."""
    for path in html_pages(built_site):
        sources = [script["src"] for script in soup(path).find_all("script", src=True)]
        assert not any("fontawesome" in source for source in sources), f"{path.name} loads the Font Awesome script"
    stylesheet = (built_site.html / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    assert re.search(r"@font-face\{[^}]*Font Awesome\\? 6 Free[^}]*fa-solid-900\.woff2", stylesheet), (
        "the theme's stylesheet no longer has the Font Awesome webfont: its icons need another source"
    )
    icons = {name for path in html_pages(built_site)
             for element in soup(path).select("i.fa-solid, i.fas") for name in element["class"] if name.startswith("fa-")}
    for icon in icons - {"fa-solid", "fa-lg"}:
        assert f".{icon}:before" in stylesheet, f"the theme's stylesheet cannot draw the icon {icon}"


def test_mathjax_loads_only_on_pages_that_show_math(built_site):
    mathjax = course_config()["mathjax_path"]
    for path in html_pages(built_site):
        page = soup(path)
        loads = any(urlparse(script["src"]).path.endswith(mathjax) for script in page.find_all("script", src=True))
        shows_math = page.find(class_="math") is not None
        assert loads == shows_math, (
            f"{path.relative_to(built_site.site)} {'loads' if loads else 'does not load'} MathJax "
            f"but {'shows' if shows_math else 'shows no'} math"
        )


def test_every_local_script_and_stylesheet_of_a_page_exists(built_site):
    missing = []
    for path in html_pages(built_site):
        for address in external_references(soup(path)):
            parsed = urlparse(address)
            if parsed.scheme or address.startswith(("//", "data:", "#")):
                continue
            target = (path.parent / parsed.path).resolve()
            if not target.exists():
                missing.append(f"{path.relative_to(built_site.site)}: {address}")
    assert missing == [], "pages refer to files the site does not have:\n" + "\n".join(sorted(set(missing)))


def test_widget_scripts_come_from_the_site_itself(built_site):
    pages_with_widgets = [path for path in html_pages(built_site) if WIDGET_STATE in path.read_text(encoding="utf-8")]
    assert pages_with_widgets, "no page of the site carries a saved widget state"
    for path in pages_with_widgets:
        scripts = [script for script in soup(path).find_all("script") if script.get("src")]
        manager = [script for script in scripts if urlparse(script["src"]).path.endswith("_static/widgets/embed.js")]
        assert manager, f"{path.name} does not load the widget manager (embed.js) from the site"
        # Deferred, not async: embed.js draws the widgets at the window's load event, which an async
        # script could miss.
        assert manager[0].has_attr("defer") and not manager[0].has_attr("async"), f"{path.name}: embed.js should be deferred"
        assert not any("require" in urlparse(script["src"]).path for script in scripts), f"{path.name} still loads require.js"


def test_every_widget_shown_in_a_lesson_has_its_state_saved_in_the_page(built_site):
    lessons_with_widgets = 0
    for docname in lesson_docnames():
        page = soup(built_site.page(docname))
        views = [json.loads(script.get_text()) for script in page.find_all("script", type=WIDGET_VIEW)]
        if not views:
            continue
        lessons_with_widgets += 1
        states = page.find_all("script", type=WIDGET_STATE)
        assert len(states) == 1, f"{docname} should carry exactly one saved widget state"
        models = json.loads(states[0].get_text())["state"]
        for view in views:
            assert view["model_id"] in models, f"{docname} shows widget {view['model_id']} whose state was not saved"
    assert lessons_with_widgets, "no lesson shows a simulation with its saved widget state"


@pytest.mark.parametrize("docname", lesson_docnames())
def test_every_lesson_has_launch_download_and_exercise_links(built_site, docname):
    page_path = built_site.page(docname)
    bar = soup(page_path).find("nav", class_="course-link-bar")
    assert bar is not None, f"{docname} has no link bar"
    config = course_config()

    launch = bar.find("a", class_="course-launch")["href"]
    hub = config["course_hub_url"].rstrip("/")
    assert launch.startswith(f"{hub}/hub/user-redirect/git-pull?"), launch
    query = parse_qs(urlparse(launch).query)
    folder = config["course_repository_url"].rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    assert query["repo"] == [config["course_repository_url"]]
    assert query["branch"] == [config["course_repository_branch"]]
    assert query["urlpath"] == [f"lab/tree/{folder}/{docname}.md"]
    assert (COURSE_ROOT / f"{docname}.md").exists()

    download = bar.find("a", class_="course-download")["href"]
    notebook = (page_path.parent / download).resolve()
    assert notebook.suffix == ".ipynb" and notebook.exists(), f"{docname}: download link {download} is broken"
    assert json.loads(notebook.read_text(encoding="utf-8"))["cells"], "the downloaded notebook is empty"

    exercise = bar.find("a", class_="course-exercise")["href"]
    exercise_page = (page_path.parent / urlparse(exercise).path).resolve()
    assert exercise_page.exists(), f"{docname}: exercise link {exercise} is broken"
    assert soup(exercise_page).find("nav", class_="course-link-bar").find("a", class_="course-download")
    for bar_of_page in (bar, soup(exercise_page).find("nav", class_="course-link-bar")):
        assert bar_of_page.find("a", class_="course-progress")["href"] == f"{hub}/hub/user-redirect/course/progress"


def test_search_index_covers_every_page(built_site):
    index = (built_site.html / "searchindex.js").read_text(encoding="utf-8")
    for name in toc_docnames():
        assert f'"{name}"' in index, f"{name} is not in the search index"


def test_glossary_is_bilingual(built_site):
    text = soup(built_site.page("book/glossary")).get_text(" ")
    for term in ("Budget primitif", "Épargne brute", "DGF", "Licence Ouverte", "Open data"):
        assert term in text, f"the glossary lacks {term}"
    assert "gross savings" in text.lower()


def test_licence_page_lists_every_shipped_dataset(built_site):
    text = soup(built_site.page("book/licence")).get_text(" ")
    for readme in sorted(COURSE_ROOT.glob("modules/*/data/*/README.md")):
        assert readme.parent.name in text, f"the licence page does not list {readme.parent.name}"


# --- The lesson pattern on the built pages (tests/site/test_lesson_pattern.py checks the sources) ---
#: sphinx-exercise draws a question as <div class="exercise admonition" id="LABEL"> and its answer as
#: <div class="solution dropdown admonition">, whose title links to #LABEL; sphinx-togglebutton's
#: script folds every element that matches its selector (".admonition.dropdown") when the page loads.
MIN_SELF_CHECKS = 3


def self_check_problems(page: BeautifulSoup) -> list[str]:
    """What keeps the self-check questions of a built lesson page from working as the pattern says."""
    article = page.find("article") or page
    questions = article.select("div.exercise.admonition")
    problems = []
    if len(questions) < MIN_SELF_CHECKS:
        problems.append(f"{len(questions)} self-check questions (div.exercise.admonition); "
                        f"a lesson asks at least {MIN_SELF_CHECKS}")
    answers = article.select("div.solution.admonition")
    for question in questions:
        label = question.get("id", "")
        mine = [answer for answer in answers if answer.select_one(f'.admonition-title a[href="#{label}"]')]
        if len(mine) != 1:
            problems.append(f"question {label!r} has {len(mine)} answers (div.solution whose title links to it)")
            continue
        answer = mine[0]
        if answer.find_parent("div", class_="exercise") is not None:
            problems.append(f"the answer to {label!r} is inside the question")
        if "dropdown" not in answer.get("class", []) and answer.find_parent("details") is None:
            problems.append(f"the answer to {label!r} shows at once: it is neither a dropdown nor inside <details>")
    scripts = [urlparse(script["src"]).path for script in page.find_all("script", src=True)]
    if not any(path.endswith("_static/togglebutton.js") for path in scripts):
        problems.append("the page does not load sphinx-togglebutton's script, which folds the answers")
    selector = re.search(r"togglebuttonSelector\s*=\s*['\"]([^'\"]*)['\"]", str(page))
    if not (selector and ".admonition.dropdown" in selector.group(1)):
        problems.append("sphinx-togglebutton's selector does not fold .admonition.dropdown")
    return problems


@pytest.mark.parametrize("docname", lesson_docnames())
def test_every_lesson_asks_self_check_questions_whose_answers_open_on_request(built_site, docname):
    problems = self_check_problems(soup(built_site.page(docname)))
    assert problems == [], f"{docname}:\n" + "\n".join(problems)


def unfolded_cells(page: BeautifulSoup, cells: list[page_facts.FormattingCell]) -> list[str]:
    """The formatting cells of a lesson's source whose code the built page does not fold away."""
    built = {}
    for cell in page.select("div.cell"):
        source = cell.select_one("div.cell_input")
        if source is not None:
            built.setdefault(page_facts.normalized_code(source.get_text()), cell)
    problems = []
    for found in cells:
        code = page_facts.normalized_code(found.cell.source)
        cell = built.get(code)
        name = f"code cell {found.cell.index + 1} ({code.splitlines()[0][:60]!r})"
        if cell is None:
            problems.append(f"{name}: not found on the built page")
            continue
        toggle = cell.select_one("div.cell_input").find_parent("details")
        if "tag_hide-input" not in cell.get("class", []):
            problems.append(f"{name}: the built cell has no tag_hide-input class")
        elif toggle is None or "hide" not in toggle.get("class", []) or toggle.has_attr("open"):
            problems.append(f"{name}: its code is not inside a closed \"Show code cell source\" toggle")
    return problems


@pytest.mark.parametrize("docname", lesson_docnames())
def test_cells_that_draw_or_format_show_their_code_only_on_request(built_site, docname):
    problems = unfolded_cells(soup(built_site.page(docname)), page_facts.formatting_cells(docname))
    assert problems == [], f"{docname}:\n" + "\n".join(problems)
