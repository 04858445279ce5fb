"""Sphinx extension: the two languages of the course site, read from ``book/page-map.yml``.

* **A language switcher on every page**, in the header next to the colour-mode button: it leads
  to the same page in the other language, or, for a page that exists in one language only, to the
  other edition's home page, saying why (the page map's ``only_because``).
* **``hreflang`` links** in every page's head, for the page and its counterpart, so search engines
  and browsers offer a reader the page in their language. They are absolute when ``html_baseurl``
  (the site's address, ending in ``/``) is set, relative otherwise.
* **Roles ``{en}`` and ``{fr}``** link a page of the other edition: `` {en}`hosting <book/hosting>` ``
  on a French page. A target that is not in that edition's table of contents, or that has a
  counterpart in the page's own language (link that one instead), is a warning, an error with -W.

The edition being built is Sphinx's ``language`` (``en`` when unset); see ``site_languages.py``.
"""

from __future__ import annotations

import html

from docutils import nodes
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

import site_languages as languages

logger = logging.getLogger(__name__)

#: The switcher's words for the other edition's home page, in that edition's language.
HOME_OF = {"en": "home page", "fr": "page d’accueil"}


def edition_of(app: Sphinx) -> str:
    """The edition being built: Sphinx's ``language`` (English when unset)."""
    language = app.config.language or "en"
    return language if language in languages.EDITIONS else "en"


def _address(app: Sphinx, language: str, docname: str, target_language: str, target_docname: str) -> str:
    base = (app.config.html_baseurl or "").strip()
    if base:
        return base.rstrip("/") + f"/{languages.EDITIONS[target_language].url_prefix}/{target_docname}.html"
    return languages.url_from(language, docname, target_language, target_docname)


def add_language_links(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Put the switcher (``course_language_switch``) and the ``hreflang`` links in the page's context."""
    if app.builder.format != "html":
        return
    language = edition_of(app)
    target_language = languages.other(language)
    target = languages.EDITIONS[target_language]
    pair = languages.counterpart(language, pagename)
    counterpart = pair.get(target_language) if pair else None
    if counterpart:
        href = languages.url_from(language, pagename, target_language, counterpart)
        label, title = target.name, ""
    else:
        href = languages.url_from(language, pagename, target_language, languages.root_docname(target_language))
        label = f"{target.name} ({HOME_OF[target_language]})"
        title = pair.note if pair else ""
    context["course_language_switch"] = Markup(
        f'<a class="btn btn-sm nav-link course-language-switch" href="{html.escape(href, quote=True)}" '
        f'hreflang="{target_language}" lang="{target_language}"'
        + (f' title="{html.escape(title, quote=True)}"' if title else "")
        + f">{html.escape(label)}</a>"
    )
    if pair and counterpart:
        links = [
            f'<link rel="alternate" hreflang="{code}" href="{html.escape(_address(app, language, pagename, code, pair.get(code)), quote=True)}" />'
            for code in languages.LANGUAGES
        ]
        context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(links)


class OtherEditionRole(SphinxRole):
    """``{en}`text <docname#anchor>``` / ``{fr}`...```: a link to a page of that edition."""

    def __init__(self, target_language: str) -> None:
        super().__init__()
        self.target_language = target_language

    def run(self):
        text, target = self.text, self.text
        if self.text.endswith(">") and "<" in self.text:
            text, target = self.text[: self.text.rindex("<")].strip(), self.text[self.text.rindex("<") + 1 : -1].strip()
        docname, _, anchor = target.partition("#")
        language = edition_of(self.env.app)
        edition = languages.EDITIONS[self.target_language]
        if docname not in languages.toc_docnames(self.target_language):
            logger.warning("{%s} role: %s is not a page of %s", self.target_language, docname,
                           edition.toc.relative_to(languages.COURSE_ROOT), location=self.get_location())
        else:
            pair = languages.counterpart(self.target_language, docname)
            if pair and pair.get(language) and language != self.target_language:
                logger.warning("{%s} role: %s has a page in this language, %s: link it with a relative link",
                               self.target_language, docname, pair.get(language), location=self.get_location())
        uri = languages.url_from(language, self.env.docname, self.target_language, docname, anchor)
        node = nodes.reference(self.rawtext, text, refuri=uri, classes=["course-other-language"])
        return [node], []


def setup(app: Sphinx) -> dict:
    for code in languages.LANGUAGES:
        app.add_role(code, OtherEditionRole(code))
    app.connect("html-page-context", add_language_links)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
