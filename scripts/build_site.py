"""Build the course site: its English and French editions, side by side, as one site.

Each edition is a Jupyter Book of its own, with its table of contents and its configuration, so
that Sphinx's words, its search stemmer and its search index are in the edition's language
(``book/_ext/site_languages.py``):

* ``<output>/en/_build/html``: the English edition (``jupyter-book build . --toc book/_toc.yml``);
* ``<output>/fr/_build/html``: the French edition, built from ``book/fr/`` with the English
  ``_config.yml`` under ``book/fr/_config.yml`` (merged here into ``<output>/fr/_config.yml``);
* ``<output>/html/``: the site readers open: ``en/`` and ``fr/`` (hard links to the two
  builds), an ``index.html`` that opens the edition of the reader's browser language, and the
  English pages' addresses from before the French edition (``book/...html``), which redirect to
  ``en/``.

Each edition executes its lessons with ``COURSE_LANGUAGE`` set to its language, so the widgets
and figures speak it (``modules/common/i18n.py``). Execution caches stay in each edition's folder.

Usage: ``python scripts/build_site.py [--strict] [--output _build] [--language en|fr]``;
``make book`` runs it with ``--strict`` (warnings are errors).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import site_languages as languages  # noqa: E402

#: Keys of _config.yml that hold paths relative to the repository's root (made absolute for the
#: French edition, which is built from book/fr/).
PATH_KEYS = [("logo",), ("html", "favicon"), ("bibtex_bibfiles",), ("sphinx", "config", "html_static_path"),
             ("sphinx", "config", "templates_path")]
STRICT = ["-W", "-n", "--keep-going"]


@dataclass
class Build:
    language: str
    html: Path
    log: str
    returncode: int


def merged_config(language: str) -> dict:
    """The Jupyter Book configuration of an edition: _config.yml, under the edition's own for French."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    if language == "en":
        return config
    for keys in PATH_KEYS:
        holder = config
        for key in keys[:-1]:
            holder = holder.get(key, {})
        if keys[-1] in holder:
            value = holder[keys[-1]]
            holder[keys[-1]] = [str(ROOT / item) for item in value] if isinstance(value, list) else str(ROOT / value)
    extensions = config["sphinx"]["local_extensions"]
    config["sphinx"]["local_extensions"] = {name: str(ROOT / path) for name, path in extensions.items()}
    overrides = yaml.safe_load((languages.EDITIONS[language].source_root / "_config.yml").read_text(encoding="utf-8"))
    return _merge(config, overrides or {})


def _merge(base: dict, overrides: dict) -> dict:
    merged = dict(base)
    for key, value in overrides.items():
        merged[key] = _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return merged


def environment(language: str) -> dict[str, str]:
    """The build's environment: the venv's tools first, the course importable, the edition's language."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["COURSE_LANGUAGE"] = language
    return env


def build_edition(language: str, output: Path, strict: bool = True) -> Build:
    """Build one edition into ``output/<language>/_build/html``; return its log and exit status."""
    edition = languages.EDITIONS[language]
    folder = output / language
    folder.mkdir(parents=True, exist_ok=True)
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build",
               str(edition.source_root.relative_to(ROOT)) if edition.source_root != ROOT else ".",
               "--toc", str(edition.toc), "--path-output", str(folder)]
    if language != "en":
        config = folder / "_config.yml"
        config.write_text(yaml.safe_dump(merged_config(language), allow_unicode=True, sort_keys=False), encoding="utf-8")
        command += ["--config", str(config)]
    command += STRICT if strict else []
    result = subprocess.run(command, cwd=ROOT, env=environment(language), capture_output=True, text=True)
    return Build(language, folder / "_build" / "html", result.stdout + result.stderr, result.returncode)


def assemble(builds: list[Build], site: Path) -> None:
    """Put the editions side by side in ``site`` with its language chooser and old addresses."""
    site.mkdir(parents=True, exist_ok=True)
    for build in builds:
        target = site / languages.EDITIONS[build.language].url_prefix
        if target.exists():
            shutil.rmtree(target)
        try:
            shutil.copytree(build.html, target, copy_function=os.link)
        except OSError:  # another file system: copy instead
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(build.html, target)
    (site / "index.html").write_text(chooser_page(), encoding="utf-8")
    for docname in languages.toc_docnames("en"):
        old = site / f"{docname}.html"
        old.parent.mkdir(parents=True, exist_ok=True)
        relative = os.path.relpath(site / "en" / f"{docname}.html", old.parent).replace(os.sep, "/")
        old.write_text(redirect_page(relative), encoding="utf-8")


def chooser_page() -> str:
    """The site's home: opens the edition of the browser's first language that the course has."""
    links = {code: f"{edition.url_prefix}/{languages.root_docname(code)}.html" for code, edition in languages.EDITIONS.items()}
    items = "".join(
        f'<li><a href="{html.escape(link)}" hreflang="{code}" lang="{code}">{html.escape(languages.EDITIONS[code].name)}</a></li>'
        for code, link in links.items()
    )
    alternates = "".join(f'<link rel="alternate" hreflang="{code}" href="{html.escape(link)}">' for code, link in links.items())
    script = (
        "var links=" + json.dumps(links) + ";"
        "var wanted=(navigator.languages||[navigator.language||'en']).map(function(l){return String(l).slice(0,2).toLowerCase();})"
        ".filter(function(l){return links[l];});"
        "document.addEventListener('DOMContentLoaded',function(){location.replace(links[wanted[0]||'en']);});"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Local governance, smart towns and open government · Gouvernance locale, villes intelligentes et gouvernement ouvert</title>"
        f"{alternates}<script>{script}</script>"
        # Without a script, the English edition (a link to each edition is on the page too).
        f'<noscript><meta http-equiv="refresh" content="0; url={html.escape(links["en"], quote=True)}"></noscript></head>'
        "<body><main><h1>Local governance, smart towns and open government</h1>"
        f'<p>Choose your language · <span lang="fr">Choisissez votre langue</span></p><ul>{items}</ul></main></body></html>\n'
    )


def redirect_page(target: str) -> str:
    """A page at an old address that sends the reader to its new one (and tells them, without script)."""
    address = html.escape(target, quote=True)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={address}"><link rel="canonical" href="{address}">'
        f"<title>This page has moved</title></head><body><main><h1>This page has moved</h1>"
        f'<p>It is now at <a href="{address}">{address}</a>.</p></main></body></html>\n'
    )


def build_site(output: Path, strict: bool = True, only: str | None = None) -> list[Build]:
    """Build every edition (or ``only`` one) into ``output`` and assemble ``output/html``."""
    builds = [build_edition(code, output, strict) for code in languages.LANGUAGES if only in (None, code)]
    if all(build.returncode == 0 for build in builds):
        assemble(builds, output / "html")
    return builds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "_build", help="where the builds and the site go")
    parser.add_argument("--strict", action="store_true", help="warnings are errors (-W -n --keep-going)")
    parser.add_argument("--language", choices=languages.LANGUAGES, help="build this edition only")
    arguments = parser.parse_args(argv)
    problems = languages.problems()
    for problem in problems:
        print(f"book/page-map.yml: {problem}", file=sys.stderr)
    if problems and arguments.strict:
        return 1
    builds = build_site(arguments.output.resolve(), arguments.strict, arguments.language)
    for build in builds:
        print(build.log[-4000:] if build.returncode else f"{languages.EDITIONS[build.language].name}: built into {build.html}")
    failed = [build.language for build in builds if build.returncode]
    if failed:
        print(f"The site did not build ({', '.join(failed)}): see the messages above.", file=sys.stderr)
        return 1
    print(f"The site is in {arguments.output.resolve() / 'html'} (open index.html, or make start).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
