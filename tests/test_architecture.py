"""The architecture as a test: the import rules of ``.importlinter`` hold, and breaking one fails
with a message that names the rule (docs/architecture.md explains them)."""

from __future__ import annotations

import configparser
import re
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / ".importlinter"
PACKAGES = ("autograder", "course_hub", "modules", "bench", "tests")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the packages found in ``root``, with the course's rules."""
    environment = dict(os.environ, PYTHONPATH=str(root))
    command = [str(Path(sys.executable).parent / "lint-imports"), "--config", str(CONFIG), "--no-cache"]
    return subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True, timeout=300)


def contracts() -> dict[str, configparser.SectionProxy]:
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    return {section.split(":")[-1]: parser[section] for section in parser.sections() if ":contract:" in section}


def test_are_the_import_rules_of_the_architecture_kept():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert f"Contracts: {len(contracts())} kept, 0 broken." in result.stdout


def test_does_the_isolation_rule_name_every_other_part_of_the_autograder():
    forbidden = set(contracts()["isolation-stands-alone"]["forbidden_modules"].split())
    parts = {f"autograder.{path.stem}" for path in (REPO / "autograder").glob("*.py")
             if path.stem not in ("__init__", "__main__")}
    parts |= {f"autograder.{path.parent.name}" for path in (REPO / "autograder").glob("*/__init__.py")
              if path.parent.name != "isolation"}
    assert forbidden == parts, "add the new part of the autograder to isolation-stands-alone in .importlinter"


@pytest.fixture(scope="module")
def copy_of_the_code(tmp_path_factory) -> Path:
    """The course's Python packages, without data, in a folder where imports can be broken."""
    root = tmp_path_factory.mktemp("architecture")
    for package in PACKAGES:
        shutil.copytree(REPO / ("deploy/course_hub" if package == "course_hub" else package), root / package,
                        ignore=lambda folder, names: [name for name in names if name in ("__pycache__", "data")
                                                      or (not name.endswith(".py") and "." in name)])
    return root


#: (contract, file that gets a forbidden import, the import, what the message must show)
BROKEN = [
    ("models-are-pure", "modules/budgeting/model/indicators.py", "import ipywidgets",
     "modules.budgeting.model.indicators -> ipywidgets"),
    ("models-are-pure", "modules/open_data/model/five_stars.py", "from modules.open_data import widgets",
     "modules.open_data.model.five_stars -> modules.open_data.widgets"),
    ("models-are-pure", "modules/smart_towns/model/lighting.py", "from modules.common.views import plotting",
     "modules.smart_towns.model.lighting -> modules.common.views.plotting"),
    ("autograder-knows-no-course-content", "autograder/scores.py", "import modules.common.data",
     "autograder.scores -> modules.common.data"),
    ("isolation-stands-alone", "autograder/isolation/settings.py", "from autograder import scores",
     "autograder.isolation.settings -> autograder.scores"),
    ("certificates-stand-alone", "autograder/certificates/credential.py", "from autograder import scores",
     "autograder.certificates.credential -> autograder.scores"),
    ("web-service-neither-grades-nor-signs", "autograder/selfpaced/service/views.py",
     "from autograder.certificates import signing",
     "autograder.selfpaced.service.views -> autograder.certificates.signing"),
    ("benchmarks-do-not-import-tests", "bench/bench_hub.py", "import tests.exercise_pipeline",
     "bench.bench_hub -> tests.exercise_pipeline"),
    ("hub-package-stands-alone", "course_hub/groups.py", "from autograder import scores",
     "course_hub.groups -> autograder.scores"),
]


def test_is_every_rule_broken_on_purpose_once():
    assert {contract for contract, *_ in BROKEN} == set(contracts())


@pytest.mark.parametrize("contract, path, statement, shown", BROKEN, ids=[f"{c}:{p}" for c, p, *_ in BROKEN])
def test_does_a_forbidden_import_fail_with_the_rule_named(copy_of_the_code, contract, path, statement, shown):
    target = copy_of_the_code / path
    original = target.read_text(encoding="utf-8")
    target.write_text(original + f"\n{statement}  # breaks a rule on purpose\n", encoding="utf-8")
    try:
        result = lint_imports(copy_of_the_code)
    finally:
        target.write_text(original, encoding="utf-8")
    name = contracts()[contract]["name"]
    assert result.returncode != 0
    assert f"{name} BROKEN" in result.stdout, result.stdout[-3000:]
    assert shown in result.stdout
    guidance = contracts()[contract]["broken_contract_guidance"].split()
    assert " ".join(guidance[:8]) in " ".join(result.stdout.split()), "the message says what to do"


def test_does_each_module_have_its_four_parts_under_one_slug():
    book = {path.parent.name for path in (REPO / "book").glob("*/index.md") if (REPO / "modules" / path.parent.name).is_dir()}
    code = {path.name for path in (REPO / "modules").iterdir() if (path / "__init__.py").exists()} - {"common"}
    assert code and book == code, f"modules without pages: {sorted(code - book)}; pages without code: {sorted(book - code)}"
    for slug in sorted(code):
        assert list((REPO / "exercises" / "source").glob(f"{slug}_[0-9][0-9]")), f"no exercises/source/{slug}_NN/"
        assert (REPO / "tests" / slug / "__init__.py").exists(), f"no tests/{slug}/"


def test_does_every_class_that_a_configuration_or_guide_names_import():
    """nbgrader loads the course's steps and exchange classes by dotted name: a name in a course's
    configuration, or in a guide that instructors copy from, must import."""
    from traitlets.utils.importstring import import_item

    pattern = re.compile(r"""["'`]((?:autograder|course_hub|nbgrader|nbconvert)(?:\.\w+)+\.[A-Z]\w+)["'`]""")
    places = [REPO / "exercises" / "nbgrader_config.py", *(REPO / "deploy").rglob("nbgrader_config.py"),
              *(REPO / "deploy").rglob("*.py"), REPO / "book" / "instructor-guide.md", REPO / "book" / "hosting.md"]
    named = {name for place in places for name in pattern.findall(place.read_text(encoding="utf-8"))}
    assert any(name.startswith("autograder.preprocessors.") for name in named)
    broken = []
    for name in sorted(named):
        try:
            import_item(name)
        except (ImportError, AttributeError) as error:
            broken.append(f"{name}: {error}")
    assert not broken, "\n".join(broken)


def test_is_the_hub_package_imported_under_one_name_only():
    """Imported as ``deploy.course_hub`` too, its modules would load twice, with two sets of globals."""
    pattern = re.compile(r"^\s*(from\s+deploy\.course_hub\b|from\s+deploy\s+import\s+course_hub\b|import\s+deploy\.course_hub\b)", re.M)
    found = [str(path.relative_to(REPO)) for folder in ("autograder", "deploy", "modules", "bench", "tests", "scripts", "book")
             for path in (REPO / folder).rglob("*.py") if pattern.search(path.read_text(encoding="utf-8"))]
    assert not found, f"import course_hub by that name in: {found}"
