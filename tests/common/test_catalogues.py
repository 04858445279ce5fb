"""Does every message catalogue of the course hold the French of its code, exactly and cleanly?

Every ``locale/fr.po`` of the repository (outside ``.venv``, ``node_modules`` and ``_build``) is
checked by the same rules, each its own test, parametrized by catalogue:

1. every message of the code the catalogue serves has its French: ``_()`` and ``N_()`` in ``*.py``
   (Babel's Python extractor) and ``_()`` in the Jinja2 templates ``*.j2`` (the jinja2 extractor);
2. the French keeps the English's ``{fields}``, its HTML tags in the same order, and adds no ``"``
   (the autograder's templates put messages in attributes, unescaped);
3. no entry is left that no code uses;
4. the file is a clean UTF-8 gettext file: Babel reads it, its header says ``charset=UTF-8``, no
   entry is fuzzy or twice there;
5. no message is hidden from the extractor: every literal that Python sees given to ``_()`` or
   ``N_()`` is one Babel's extractor finds in that file (it misses one inside an f-string; the
   problem says where it sits, in an f-string or nested in another ``_()`` call), and no f-string
   is given to ``_()``.

A catalogue serves the files whose ``translator(__name__)`` reads it
(:func:`modules.common.i18n.translator`): the nearest ``locale/`` folder, from the file's own
folder up to its top-level package. So ``modules/common`` code is served by
``modules/common/locale/fr.po`` and ``autograder/selfpaced/service/*.py`` by
``autograder/locale/fr.po``. One test checks that ``translator`` agrees, module by module; another
gives the rules a broken package and checks that each rule reports what is wrong with it.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import PoFileError, read_po

from tests.conftest import COURSE_ROOT

#: Folders whose catalogues are not the course's own.
NOT_THE_COURSE = {".venv", "node_modules", "_build"}
#: How Babel extracts the messages of each kind of file, and the functions that mark a message.
METHODS = [("**.py", "python"), ("**.j2", "jinja2")]
KEYWORDS = {"_": None, "N_": None}
#: A ``{field}`` that ``str.format`` fills: ``{year}``, ``{amount:,.0f}``, ``{}``; not ``{task name: days}``.
FIELD = re.compile(r"\{(\w*)(?:[!:.\[][^{}]*)?\}")
TAG = re.compile(r"</?\w+[^>]*>")


def course_catalogues(root: Path = COURSE_ROOT) -> list[Path]:
    return sorted(path for path in root.glob("**/locale/fr.po") if not NOT_THE_COURSE & set(path.relative_to(root).parts))


CATALOGUES = course_catalogues()


def shown(path: Path) -> str:
    """``path`` as a reader finds it: relative to the repository when it is in it."""
    return str(path.relative_to(COURSE_ROOT)) if path.is_relative_to(COURSE_ROOT) else str(path)


# -- which code a catalogue serves -----------------------------------------------------------------

def catalogue_of(path: Path) -> Path | None:
    """The catalogue ``translator`` reads for the code in ``path``: the ``locale/fr.po`` of the nearest
    folder with a ``locale/`` folder, from the file's folder up to its top-level package (None if none)."""
    folders = [path.parent, *path.parent.parents]
    packages = [index for index, folder in enumerate(folders) if (folder / "__init__.py").exists()]
    top = packages[0] if packages else 0
    while packages and top + 1 < len(folders) and (folders[top + 1] / "__init__.py").exists():
        top += 1
    return next((folder / "locale" / "fr.po" for folder in folders[:top + 1] if (folder / "locale").is_dir()), None)


@cache
def extracted(catalogue: Path) -> tuple[tuple[Path, int, str], ...]:
    """(file, line, message) of every message Babel's extractors find in the code ``catalogue`` serves."""
    folder, found = catalogue.parent.parent, []
    for filename, lineno, message, _comments, _context in extract_from_dir(folder, method_map=METHODS, keywords=KEYWORDS):
        message = message[0] if isinstance(message, tuple) else message
        if message and catalogue_of(folder / filename) == catalogue:
            found.append((folder / filename, lineno, message))
    return tuple(found)


def messages_of_the_code(catalogue: Path) -> dict[str, str]:
    """{message: where it is first said} for the code that ``catalogue`` serves."""
    found = {}
    for path, lineno, message in extracted(catalogue):
        found.setdefault(message, f"{shown(path)}:{lineno}")
    return found


def marks(node: ast.AST) -> bool:
    """Is ``node`` a call of ``_()`` or ``N_()``?"""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS and bool(node.args)


def literals(path: Path) -> list[tuple[int, str, str]]:
    """(line, message, where it sits) of every literal given to ``_()`` or ``N_()`` in ``path``, as Python reads it."""
    found = []

    def visit(node: ast.AST, around: str) -> None:
        if marks(node) and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            found.append((node.lineno, node.args[0].value, around))
        if isinstance(node, ast.JoinedStr):
            around = around or "inside an f-string"
        elif marks(node):
            around = around or f"nested in another {node.func.id}() call"
        for child in ast.iter_child_nodes(node):
            visit(child, around)

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


def served_python(catalogue: Path) -> list[Path]:
    folder = catalogue.parent.parent
    return sorted(path for path in folder.rglob("*.py") if catalogue_of(path) == catalogue)


@cache
def entries(catalogue: Path) -> dict[str, str]:
    """{English: French} of ``catalogue``, the header left out."""
    with catalogue.open("rb") as source:
        return {entry.id: entry.string for entry in read_po(source, locale="fr") if entry.id}


# -- the rules: each gives the problems it finds in a catalogue ------------------------------------

def untranslated(catalogue: Path) -> list[str]:
    """Rule 1: the messages of the code with no French in ``catalogue``."""
    french = entries(catalogue)
    written = {message for path in served_python(catalogue) for _line, message, _around in literals(path)}
    return [f"{message!r} ({where})" + ("" if message in written or where.endswith(".j2") else
                                          ": Babel reads it in a _() given no literal; give _() a variable")
            for message, where in messages_of_the_code(catalogue).items() if not str(french.get(message) or "").strip()]


def unfaithful(catalogue: Path) -> list[str]:
    """Rule 2: the entries whose French fills other ``{fields}``, has other HTML tags, or adds a ``"``."""
    problems = []
    for english, french in entries(catalogue).items():
        if not french:
            continue  # rule 1 asks for it
        if set(FIELD.findall(english)) != set(FIELD.findall(french)):
            problems.append(f"{english!r}: fields {sorted(set(FIELD.findall(english)))} become {sorted(set(FIELD.findall(french)))}")
        if TAG.findall(english) != TAG.findall(french):
            problems.append(f"{english!r}: tags {TAG.findall(english)} become {TAG.findall(french)}")
        if french.count('"') > english.count('"'):
            problems.append(f"{english!r}: the French {french!r} adds a \" that would end an HTML attribute; use « »")
    return problems


def unused(catalogue: Path) -> list[str]:
    """Rule 3: the entries that no code of the catalogue's folder says."""
    said = messages_of_the_code(catalogue)
    if not said:
        return [f"no code of {shown(catalogue.parent.parent)} marks a message with _() or N_()"]
    return [repr(english) for english in entries(catalogue) if english not in said]


def unclean(catalogue: Path) -> list[str]:
    """Rule 4: what keeps ``catalogue`` from being a clean UTF-8 gettext file."""
    try:
        text = catalogue.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return [f"not UTF-8 ({error}): save it as UTF-8"]
    try:
        with catalogue.open("rb") as source:
            read = read_po(source, locale="fr", abort_invalid=True)
    except PoFileError as error:
        return [f"Babel cannot read it: {error}"]
    problems = []
    header = re.search(r'^msgid ""\nmsgstr ""\n((?:".*"\n)*)', text, re.MULTILINE)
    charset = re.search(r"charset=([\w-]+)", header.group(1)) if header else None
    if not charset or charset.group(1).upper() != "UTF-8":
        problems.append('its header does not say "Content-Type: text/plain; charset=UTF-8\\n"')
    problems += [f"{entry.id!r} is fuzzy: check its French, then remove its '#, fuzzy' line"
                 for entry in read if entry.fuzzy]
    written = Counter(re.findall(r'^msgid "(.*)"$', text, re.MULTILINE))
    if sum(written.values()) != len(read) + 1 or any(count > 1 for message, count in written.items() if message):
        twice = sorted(message for message, count in written.items() if message and count > 1)
        problems.append(f"an entry is there twice, keep one: {twice or 'a message written on several lines'}")
    return problems


def hidden(catalogue: Path) -> list[str]:
    """Rule 5: the messages of the Python code ``catalogue`` serves that Babel's extractor does not see."""
    seen: dict[Path, set[str]] = {}
    for path, _line, message in extracted(catalogue):
        seen.setdefault(path, set()).add(message)
    problems = []
    for path in served_python(catalogue):
        problems += [f"{shown(path)}:{line}: {message[:50]!r}" + (f" is {around}" if around else "")
                     for line, message, around in literals(path) if message not in seen.get(path, set())]
        problems += [f"{shown(path)}:{node.lineno}: an f-string is given to {node.func.id}(); write _(\"… {{name}} …\", name=…)"
                     for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                     if marks(node) and isinstance(node.args[0], ast.JoinedStr)]
    return problems


# -- the tests -----------------------------------------------------------------------------------

def judge(rule: str, catalogue: Path, problems: list[str], advice: str) -> None:
    """Fail with ``advice`` and the problems found, if any."""
    assert not problems, advice + "\n" + "\n".join(problems)


by_catalogue = pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: shown(path.parent.parent))


def test_are_the_course_catalogues_found():
    assert {shown(path) for path in CATALOGUES} >= {"modules/budgeting/locale/fr.po", "autograder/locale/fr.po",
                                                     "book/_ext/locale/fr.po"}


@by_catalogue
def test_does_every_message_of_the_code_have_its_french(catalogue):
    judge("untranslated", catalogue, untranslated(catalogue),
          f"{shown(catalogue)} has no French for these messages of its code; add each with its msgstr (Poedit, or by hand):")


@by_catalogue
def test_does_the_french_keep_the_fields_tags_and_quotes_of_the_english(catalogue):
    judge("unfaithful", catalogue, unfaithful(catalogue),
          f"In {shown(catalogue)}, fix the French so that it fills the same {{fields}} as the English, keeps its HTML "
          "tags in order and adds no \":")


@by_catalogue
def test_does_every_entry_belong_to_the_code(catalogue):
    judge("unused", catalogue, unused(catalogue),
          f"{shown(catalogue)} has entries that no code uses any more; delete them, or mark the message in the code "
          "with _() or N_():")


@by_catalogue
def test_is_the_catalogue_a_clean_utf8_gettext_file(catalogue):
    judge("unclean", catalogue, unclean(catalogue), f"{shown(catalogue)} is not a clean UTF-8 gettext file; fix it:")


@by_catalogue
def test_is_no_message_hidden_from_the_extractor(catalogue):
    judge("hidden", catalogue, hidden(catalogue),
          "Babel's extractor cannot see these messages, so a regenerated catalogue loses them; give each message "
          "to _() outside any f-string, as a literal:")


@by_catalogue
def test_does_translator_read_the_catalogue_these_tests_check(catalogue, monkeypatch):
    """The rules give each file to the catalogue that :func:`catalogue_of` finds: ``translator`` must find the same."""
    checked = 0
    for path in served_python(catalogue):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        binds_underscore = any(
            (isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "_" for target in node.targets))
            or (isinstance(node, ast.ImportFrom) and any((alias.asname or alias.name) == "_" for alias in node.names))
            for node in tree.body)
        if not binds_underscore:
            continue
        chain, folder = [], path.parent
        while (folder / "__init__.py").exists():  # the packages that hold the module, up to the top-level one
            chain.append(folder)
            folder = folder.parent
        root = chain[-1].parent if chain else path.parent
        if not chain:
            monkeypatch.syspath_prepend(str(root))
        name = ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        underscore = getattr(importlib.import_module(name), "_", None)
        if hasattr(underscore, "catalogue_folder"):
            assert underscore.catalogue_folder == catalogue.parent.parent, (
                f"{name} translates with {shown(underscore.catalogue_folder)}/locale/fr.po, but these tests check its "
                f"messages against {shown(catalogue)}: make catalogue_of() follow translator()")
            checked += 1
    assert checked, f"no module served by {shown(catalogue)} translates with translator(__name__)"


# -- do the rules catch what they should? -----------------------------------------------------------

BROKEN_CATALOGUE = r'''msgid ""
msgstr ""
"Language: fr\n"
"Content-Type: text/plain\n"

msgid "Savings in {year}"
msgstr "Épargne en {année}"

msgid "Read the <b>rule</b>"
msgstr "Lisez la \"règle\""

#, fuzzy
msgid "Goodbye"
msgstr "Au revoir"

msgid "A message no code says"
msgstr "Un message que le code ne dit pas"
'''

BROKEN_CODE = '''\
from modules.common.i18n import translator

_ = translator(__name__)
TITLE = _("Savings in {year}")
RULE = _("Read the <b>rule</b>")
LEAVING = _("Goodbye")
FORGOTTEN = _("A message without its French")
HIDDEN = f"{_('Hidden in an f-string')}!"
NESTED = _("Spent: {what}", what=_("Nested message"))
GREETING = _(f"Hello {TITLE}")
'''


@pytest.fixture()
def broken(tmp_path) -> Path:
    """A package whose catalogue breaks every rule, with a Python module and a Jinja2 template."""
    package = tmp_path / "lesson"
    (package / "locale").mkdir(parents=True)
    (package / "templates").mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "widgets.py").write_text(BROKEN_CODE, encoding="utf-8")
    (package / "templates" / "page.html.j2").write_text('<h1>{{ _("Welcome to the course") }}</h1>\n', encoding="utf-8")
    (package / "locale" / "fr.po").write_text(BROKEN_CATALOGUE, encoding="utf-8")
    return package / "locale" / "fr.po"


def test_do_the_rules_report_what_is_wrong_with_a_broken_catalogue(broken):
    assert catalogue_of(broken.parent.parent / "templates" / "page.html.j2") == broken
    missing = "\n".join(untranslated(broken))
    assert "'A message without its French' (" in missing and "widgets.py:7)" in missing
    assert "'Welcome to the course' (" in missing and "page.html.j2:1)" in missing, "the templates' messages count"
    assert "'Spent: {what}' (" in missing and "'Nested message' (" in missing, "Babel sees a _() nested in another"
    assert "Savings" not in missing and "Goodbye" not in missing
    wrong = "\n".join(unfaithful(broken))
    assert "'Savings in {year}': fields ['year'] become ['année']" in wrong
    assert "'Read the <b>rule</b>': tags ['<b>', '</b>'] become []" in wrong and "adds a \"" in wrong
    assert unused(broken) == ["'A message no code says'"]
    unclean_ = "\n".join(unclean(broken))
    assert "charset=UTF-8" in unclean_ and "'Goodbye' is fuzzy" in unclean_
    hidden_ = "\n".join(hidden(broken))
    assert "widgets.py:8: 'Hidden in an f-string' is inside an f-string" in hidden_
    assert "widgets.py:10: an f-string is given to _()" in hidden_
    assert "Nested message" not in hidden_


def test_does_the_clean_file_rule_catch_an_entry_written_twice_and_a_file_that_is_not_utf8(broken):
    broken.write_text(BROKEN_CATALOGUE + '\nmsgid "Goodbye"\nmsgstr "Adieu"\n', encoding="utf-8")
    assert any("there twice" in problem and "'Goodbye'" in problem for problem in unclean(broken))
    broken.write_bytes(BROKEN_CATALOGUE.replace("text/plain", "text/plain; charset=UTF-8").encode("latin-1"))
    assert any(problem.startswith("not UTF-8") for problem in unclean(broken))
    broken.write_text(BROKEN_CATALOGUE.replace('#, fuzzy', 'fuzzy, not a comment'), encoding="utf-8")
    assert any(problem.startswith("Babel cannot read it") for problem in unclean(broken))
