"""Sphinx extension of the course site.

What it adds to Jupyter Book, and why:

* **A closed-network site.** The browser files that Jupyter Book would load from public CDNs
  (the ipywidgets embed manager, MathJax) are copied from the npm packages in
  ``node_modules/`` into ``_vendor/`` and served by the site itself (see ``_config.yml``).
  sphinx-thebe, which Jupyter Book always loads, is switched off: it would write the address of
  its CDN bundle into every page, and the course runs code on its JupyterHub instead.
* **Light pages.** A lesson page must stay well under 2 MB transferred (``bench/bench_pages.py``):
  the theme's icons come from its webfont stylesheet, not from its 0.5 MB Font Awesome script
  (``book/_templates/static/webpack-macros.html``); the saved widgets are drawn by the html
  manager's self-contained ``embed.js`` (half the size of require.js + ``embed-amd.js``, which
  exist to fetch third-party widget libraries from a CDN); MathJax loads only on pages that
  contain math.
* **A link bar on every lesson**: "Launch on JupyterHub" (an nbgitpuller link to the same lesson
  on the institution's hub), "Download the notebook", and the lesson's exercise.
* **Accessibility fixes** of the theme and of the widget manager, checked by axe-core in
  ``tests/browser/``: theme components overridden in ``book/_templates/``, the
  notebooks' show/hide toggles and the sidebar's section toggles named here, and the sliders named
  by ``book/_assets/course-a11y.js``.
* **Precompressed files**: every large text file of the site gets a ``.gz`` sibling, which the
  course's site server (``scripts/start_course.py``) sends to browsers that accept gzip; a lesson
  page then transfers about a quarter of its size.
* **Exercise pages** offer the learner's version of the nbgrader assignment, generated at build
  time from ``exercises/source/<assignment>/`` by ``nbgrader generate_assignment`` with the
  course's ``exercises/nbgrader_config.py`` (its solution and hidden-test markers, its stubs),
  and only the files that ``nbgrader release_assignment`` hands to learners
  (``CourseDirectory.ignore``, ``include``, ``max_file_size``). A released file that still holds
  a marker, or a cell that still holds lines of the instructor's solution or hidden tests, stops
  the build: the site never contains a solution or a hidden test (``exercise_release.py``).

The hub address and the course repository are set once, in ``_config.yml``
(``course_hub_url``, ``course_repository_url``, ``course_repository_branch``). The build stops
when ``course_repository_url`` is a remote of the instructors' repository (the one holding
``exercises/source/``): learners' launch links clone that address (``course_repository.py``).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import shutil
from pathlib import Path

from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from course_hub.launch_link import nbgitpuller_link  # shared with the hub: the link the hub is tested with
from course_repository import check_repository_url
from modules.common.i18n import N_, speaking, translator
from exercise_release import release_exercise

logger = logging.getLogger(__name__)

#: The repository's root: both editions of the site (built from the root and from book/fr/) find
#: node_modules/, modules/ and exercises/ there.
COURSE_ROOT = Path(__file__).resolve().parents[2]
_ = translator(__name__)

#: Files copied from node_modules into _vendor/: (package path, destination inside _vendor/).
#: ``embed.js`` is the html manager's self-contained bundle: it draws ipywidgets' own widgets
#: (see ``WIDGET_MODULES``) from the page's saved state once the page has loaded, and finds its
#: icon fonts next to itself.
VENDORED = [
    ("@jupyter-widgets/html-manager/dist/embed.js", "widgets/embed.js"),
    ("@jupyter-widgets/html-manager/dist/embed.js.LICENSE.txt", "widgets/LICENSE.txt"),
    ("mathjax/es5/tex-mml-chtml.js", "mathjax/tex-mml-chtml.js"),
    ("mathjax/es5/input", "mathjax/input"),
    ("mathjax/es5/output/chtml", "mathjax/output/chtml"),
    ("mathjax/es5/a11y", "mathjax/a11y"),
    ("mathjax/es5/ui", "mathjax/ui"),
    ("mathjax/es5/adaptors", "mathjax/adaptors"),
    ("mathjax/es5/sre", "mathjax/sre"),
    ("mathjax/LICENSE", "mathjax/LICENSE"),
]
#: The html-manager's icon fonts, requested relative to the script that loads them.
WIDGET_FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")
#: The widget libraries that ``embed.js`` contains. A lesson whose widgets come from another
#: library (ipympl, ipyleaflet...) would need require.js, the html manager's ``embed-amd.js`` and
#: that library's AMD bundle, all vendored from npm: the build stops on such a page until then.
WIDGET_MODULES = {"@jupyter-widgets/base", "@jupyter-widgets/controls", "@jupyter-widgets/output"}
WIDGET_STATE_TYPE = "application/vnd.jupyter.widget-state+json"

#: Files of the built site that get a gzip-compressed sibling (``x.js`` → ``x.js.gz``).
COMPRESSED_SUFFIXES = (".html", ".js", ".css", ".svg", ".json", ".txt", ".map", ".ttf", ".eot", ".otf")
COMPRESS_MIN_BYTES = 1024

#: Accessible names the theme and myst-nb leave out (axe-core rules in brackets).
SIDEBAR_TOGGLE_NAME = N_("Show or hide the pages of this section")  # summary-name
#: The words of myst-nb's toggles of folded cells, which it writes in English only.
CELL_TOGGLES = (N_("Show code cell source"), N_("Hide code cell source"), N_("Show code cell output"),
                N_("Hide code cell output"), N_("Show code cell content"), N_("Hide code cell content"))

EXERCISES_FOLDER = "_exercises"
NOTEBOOKS_FOLDER = "_notebooks"


def vendor_browser_files(app: Sphinx, config) -> None:
    """Copy the browser files of the npm packages into ``_vendor/`` (served as ``_static/``)."""
    root = COURSE_ROOT
    node_modules = root / "node_modules"
    vendor = root / "_vendor"
    if not node_modules.is_dir():
        raise ExtensionError(
            "The course site serves its own widget and MathJax scripts, taken from npm packages, "
            "but node_modules/ is missing. Run `make book` (it runs `npm ci` first), or `npm ci` "
            "in the repository root, then build again."
        )
    copied: set[Path] = set()
    for source, destination in VENDORED:
        copied |= _copy_if_newer(node_modules / source, vendor / destination)
    fonts = node_modules / "@jupyter-widgets/html-manager/dist"
    for font in fonts.iterdir():
        if font.suffix in WIDGET_FONT_SUFFIXES:
            copied |= _copy_if_newer(font, vendor / "widgets" / font.name)
    # A file vendored by an earlier version of this list would still be published: remove it.
    for path in vendor.rglob("*"):
        if path.is_file() and path not in copied:
            path.unlink()


def _copy_if_newer(source: Path, destination: Path) -> set[Path]:
    """Copy ``source`` (a file or a folder) to ``destination``; return the destination files."""
    if not source.exists():
        raise ExtensionError(
            f"{source} is missing from node_modules/: run `npm ci` in the repository root "
            "(package-lock.json lists the versions the site needs)."
        )
    if source.is_dir():
        copied = set()
        for child in source.rglob("*"):
            if child.is_file():
                copied |= _copy_if_newer(child, destination / child.relative_to(source))
        return copied
    if not (destination.exists() and destination.stat().st_mtime >= source.stat().st_mtime):
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    return {destination}


def invalidate_cache_when_modules_change(app: Sphinx, config) -> None:
    """Re-execute every lesson when the course package changes.

    Jupyter Book's execution cache only notices edits to a lesson itself; a lesson's outputs also
    depend on ``modules/`` (models, widgets, datasets), so a change there must clear the cache,
    or the site would show outputs of the old code.
    """
    digest = hashlib.sha256()
    for path in sorted((COURSE_ROOT / "modules").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(COURSE_ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    cache = Path(app.outdir).parent / ".jupyter_cache"
    stamp = Path(app.outdir).parent / ".modules-digest"
    current = digest.hexdigest()
    if stamp.exists() and stamp.read_text(encoding="utf-8") != current and cache.exists():
        logger.info("modules/ changed since the last build: every lesson will be executed again")
        shutil.rmtree(cache)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current, encoding="utf-8")


def launch_url(app: Sphinx, docname: str) -> str:
    """Return the nbgitpuller link that opens ``docname`` on the course hub in JupyterLab.

    nbgitpuller clones (or updates) the course repository into the learner's home, in a folder
    named after the repository, then opens the lesson there.
    """
    config = app.config
    source = Path(app.env.doc2path(docname)).resolve().relative_to(COURSE_ROOT).as_posix()
    return nbgitpuller_link(
        config.course_hub_url, config.course_repository_url, config.course_repository_branch, source
    )


def _is_lesson(app: Sphinx, docname: str) -> bool:
    """A lesson is an executable notebook in a module folder: ``book/<slug>/`` or ``book/fr/<slug>/``."""
    source = Path(app.env.doc2path(docname)).resolve()
    if not (COURSE_ROOT / "modules" / source.parent.name).is_dir() or source.parent.parent.name not in {"book", "fr"}:
        return False
    return "kernelspec" in app.env.metadata.get(docname, {})


def _assignment_pages(app: Sphinx) -> dict[str, str]:
    """Map each assignment id to the docname of its site page (front matter ``assignment:``)."""
    pages = {}
    for docname, metadata in app.env.metadata.items():
        if "assignment" in metadata:
            pages[str(metadata["assignment"])] = docname
    return pages


def check_lessons(app: Sphinx, env) -> None:
    """Warn (an error with -W) when a lesson names no exercise or one without a page."""
    pages = _assignment_pages(app)
    for docname in sorted(env.found_docs):
        if not _is_lesson(app, docname):
            continue
        exercise = env.metadata[docname].get("exercise")
        if not exercise:
            logger.warning(
                "lesson %s has no `exercise:` in its front matter: name its module's nbgrader assignment",
                docname,
                location=docname,
            )
        elif str(exercise) not in pages:
            logger.warning(
                "lesson %s links to exercise %r, but no page has `assignment: %s` in its front matter",
                docname,
                exercise,
                exercise,
                location=docname,
            )


def _button(href: str, label: str, css: str, title: str) -> str:
    return (
        f'<a class="course-button {css}" href="{html.escape(href, quote=True)}" '
        f'title="{html.escape(title, quote=True)}">{html.escape(label)}</a>'
    )


def add_link_bar(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Put the learner's links at the top of every lesson and exercise page, in the page's language."""
    if doctree is None or "body" not in context:
        return
    with speaking(app.config.language or "en"):
        bar = _link_bar(app, pagename, context["pathto"])
    if bar:
        context["body"] = bar + context["body"]


def _link_bar(app: Sphinx, pagename: str, pathto) -> str:
    metadata = app.env.metadata.get(pagename, {})
    buttons = []
    if _is_lesson(app, pagename):
        buttons.append(
            _button(launch_url(app, pagename), _("Launch on JupyterHub"), "course-launch",
                    _("Open this lesson as a notebook on the course's JupyterHub"))
        )
        notebook = _publish_executed_notebook(app, pagename)
        if notebook:
            buttons.append(
                _button(pathto(notebook, 1), _("Download the notebook (.ipynb)"), "course-download",
                        _("The lesson as a Jupyter notebook, with its outputs, to run on your own computer"))
            )
        exercise = str(metadata.get("exercise", ""))
        exercise_page = _assignment_pages(app).get(exercise)
        if exercise_page:
            title = (app.env.titles[exercise_page].astext() if exercise_page in app.env.titles
                     else _("Exercise {assignment}", assignment=exercise))
            buttons.append(
                _button(pathto(exercise_page), title, "course-exercise",
                        _("The graded exercise of this module (nbgrader assignment {assignment})", assignment=exercise))
            )
    elif "assignment" in metadata:
        assignment = str(metadata["assignment"])
        hub = app.config.course_hub_url.rstrip("/")
        buttons.append(
            _button(f"{hub}/hub/user-redirect/lab", _("Open JupyterLab on the hub"), "course-launch",
                    _("Fetch and submit the exercise from the Assignments panel of JupyterLab"))
        )
        for notebook in _released_notebooks(app, assignment):
            buttons.append(
                _button(pathto(notebook, 1), _("Download {file}", file=Path(notebook).name), "course-download",
                        _("The learner's version of the exercise, to work on offline"))
            )
    if not buttons:
        return ""
    hub = app.config.course_hub_url.rstrip("/")
    language = app.config.language or "en"
    progress = f"{hub}/hub/user-redirect/course/progress" + ("" if language == "en" else f"?lang={language}")
    buttons.append(
        _button(progress, _("Your progress"), "course-progress",
                _("Your progress, feedback per test and certificate, on the course's JupyterHub"))
    )
    name = _("Lesson links")
    return f'<nav class="course-link-bar" aria-label="{html.escape(name, quote=True)}">{"".join(buttons)}</nav>'


def disable_thebe(app: Sphinx, config) -> None:
    """Switch off sphinx-thebe, which Jupyter Book adds to every site.

    Thebe runs a page's code on Binder, with its bundle from unpkg.com: neither is reachable in the
    closed network the course is built for, and learners run lessons on the course's JupyterHub.
    Even switched off in ``_config.yml`` (``launch_buttons.thebe``), the extension writes the
    bundle's CDN address and a Binder configuration into every page; without its handlers it
    writes nothing. Its stylesheet is dropped from every page by :func:`drop_thebe_stylesheet`.
    """
    for listeners in app.events.listeners.values():
        for listener in list(listeners):
            if getattr(listener.handler, "__module__", "") == "sphinx_thebe":
                app.disconnect(listener.id)


def _asset_name(asset) -> str:
    """The path of a page's script or stylesheet as an extension gave it (without ``_static/``)."""
    return str(getattr(asset, "filename", asset) or "").removeprefix("_static/")


def drop_thebe_stylesheet(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Leave sphinx-thebe's stylesheet out of the page (it registers it when set up)."""
    if "css_files" in context:
        context["css_files"] = [css for css in context["css_files"] if _asset_name(css) != "sphinx-thebe.css"]


def load_mathjax_only_with_math(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Keep MathJax (0.3 MB) off pages without math of their own.

    Sphinx's mathjax extension also loads it on a page whose table of contents lists a page with
    math (for the single-page builder): the home page and a module's index would load it for
    nothing. Runs after the extension (priority 500) has added its scripts to ``context``.
    """
    if app.builder.name not in {"html", "dirhtml"} or "script_files" not in context:
        return
    if app.env.get_domain("math").data["has_equations"].get(pagename, False):
        return
    context["script_files"] = [
        script for script in context["script_files"]
        if _asset_name(script) != app.config.mathjax_path
        and not str(getattr(script, "attributes", {}).get("body", "")).startswith("window.MathJax")
    ]


def check_widget_libraries(app: Sphinx, env) -> None:
    """Warn (an error with -W) when a page's saved widgets need a library that embed.js lacks."""
    from myst_nb.sphinx_ import NbMetadataCollector

    for docname in sorted(env.found_docs):
        try:
            files = NbMetadataCollector.get_js_files(env, docname)
        except KeyError:  # a page that is not a notebook
            continue
        for _, attributes in files.values():
            if attributes.get("type") != WIDGET_STATE_TYPE:
                continue
            models = json.loads(attributes.get("body") or "{}").get("state", {}).values()
            unknown = sorted({str(model.get("model_module")) for model in models} - WIDGET_MODULES)
            if unknown:
                logger.warning(
                    "lesson %s shows widgets of %s, which the site's widget manager (embed.js) cannot "
                    "draw: vendor require.js, the html manager's embed-amd.js and that library's AMD "
                    "bundle from npm (book/_ext/course_site.py, nb_ipywidgets_js in _config.yml)",
                    docname, ", ".join(unknown), location=docname,
                )


def fix_accessibility(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Name the controls that the theme and myst-nb leave unnamed or misnamed on ``pagename``.

    * myst-nb's "Show code cell source" toggle is a ``<summary aria-label="Toggle hidden content">``:
      the label hides the visible text from screen readers (label-content-name-mismatch). Without
      it, the toggle is named by what it says.
    * The bibliography's entries carry ``role="doc-biblioentry"``, deprecated by DPUB-ARIA 1.1: axe-core
      no longer counts them as items of their ``role="list"`` (aria-required-children, critical).
      They become ``role="listitem"``.
    * The sidebar's section toggles are ``<summary>`` elements holding only an icon (summary-name).
    * myst-nb writes its toggles of folded cells ("Show code cell source") in English only: a French
      page gets them in French.
    """
    if "body" in context:
        context["body"] = (
            context["body"]
            .replace('<summary aria-label="Toggle hidden content">', "<summary>")
            .replace(' role="doc-biblioentry"', ' role="listitem"')
        )
        with speaking(app.config.language or "en"):
            for words in CELL_TOGGLES:
                if _(words) != words:
                    context["body"] = context["body"].replace(f">{words}<", f">{_(words)}<")
    toctree = context.get("generate_toctree_html")
    with speaking(app.config.language or "en"):
        toggle_name = _(SIDEBAR_TOGGLE_NAME)
    if callable(toctree) and not getattr(toctree, "course_named", False):
        def named_toctree(*args, **kwargs):
            return Markup(str(toctree(*args, **kwargs)).replace(
                "<summary>", f'<summary aria-label="{html.escape(toggle_name, quote=True)}">'))

        named_toctree.course_named = True
        context["generate_toctree_html"] = named_toctree


def compress_site(app: Sphinx, exception) -> None:
    """Write a ``.gz`` sibling of every large text file of the built site (same bytes at every build)."""
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*"):
        if not path.is_file() or path.suffix not in COMPRESSED_SUFFIXES or path.stat().st_size < COMPRESS_MIN_BYTES:
            continue
        target = path.with_name(path.name + ".gz")
        if target.exists() and target.stat().st_mtime >= path.stat().st_mtime:
            continue
        target.write_bytes(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def _publish_executed_notebook(app: Sphinx, docname: str) -> str | None:
    """Copy the executed notebook of a lesson into the site; return its path inside the site."""
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{docname}.ipynb"
    if not executed.exists():
        logger.warning("no executed notebook for lesson %s: was it executed?", docname, location=docname)
        return None
    relative = f"{NOTEBOOKS_FOLDER}/{docname}.ipynb"
    target = Path(app.outdir) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    return relative


def _released_notebooks(app: Sphinx, assignment: str) -> list[str]:
    """Generate the learner's version of ``assignment`` once per build; return its notebooks' site paths."""
    cache = app.env.course_released = getattr(app.env, "course_released", {})
    if assignment not in cache:
        cache[assignment] = _generate_release(app, assignment)
    return cache[assignment]


def _generate_release(app: Sphinx, assignment: str) -> list[str]:
    exercises = COURSE_ROOT / "exercises"
    if not (exercises / "source" / assignment).is_dir():
        logger.warning("exercise page for %r, but exercises/source/%s does not exist", assignment, assignment)
        return []
    target = Path(app.outdir) / EXERCISES_FOLDER / assignment
    notebooks = release_exercise(exercises, assignment, target)
    return [f"{EXERCISES_FOLDER}/{assignment}/{notebook}" for notebook in notebooks]


# --- The repository learners clone -----------------------------------------------------------
def check_course_repository(app: Sphinx, config) -> None:
    """Stop the build when ``course_repository_url`` is the instructor's repository."""
    check_repository_url(COURSE_ROOT, config.course_repository_url)


def setup(app: Sphinx) -> dict:
    app.add_config_value("course_hub_url", "http://127.0.0.1:8000", "html", types=[str])
    app.add_config_value("course_repository_url", "", "html", types=[str])
    app.add_config_value("course_repository_branch", "main", "html", types=[str])
    app.connect("config-inited", vendor_browser_files)
    app.connect("config-inited", invalidate_cache_when_modules_change)
    app.connect("config-inited", disable_thebe)
    app.connect("config-inited", check_course_repository)
    app.connect("env-check-consistency", check_lessons)
    app.connect("env-check-consistency", check_widget_libraries)
    app.connect("html-page-context", add_link_bar)
    app.connect("html-page-context", drop_thebe_stylesheet)
    # After sphinx.ext.mathjax's handler (priority 500), which adds MathJax's scripts.
    app.connect("html-page-context", load_mathjax_only_with_math, priority=600)
    # After the theme's handlers (priority 500), which put generate_toctree_html in the context.
    app.connect("html-page-context", fix_accessibility, priority=900)
    # Last, after the theme rewrites its files (pygments.css) at build-finished.
    app.connect("build-finished", compress_site, priority=1000)
    app.add_css_file("course.css")
    app.add_js_file("course-a11y.js", loading_method="defer")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": False}
