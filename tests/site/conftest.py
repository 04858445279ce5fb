"""The site's fixtures live in tests/conftest.py (tests/browser/ uses the same build); this module
keeps the names that tests/site/ imports from here."""

from __future__ import annotations

from tests.conftest import BuiltSite, course_config, toc_docnames  # noqa: F401
