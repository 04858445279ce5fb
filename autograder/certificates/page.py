"""The printable certificate: one HTML page (A4 landscape) that carries everything it states.

The page shows the learner's name, the course, each module's exercise score and how its written
answer was assessed (by the learner, peers or an instructor), the workload, the learning outcomes,
"Auto-graded, not proctored", the date, the issuer, the verification code and a QR code that opens
the course hub's verification page with that code. It is self-contained: the QR code is inline
SVG made by segno, the styles are in the page, and the fonts are the system's (no CDN, no web
font), so it prints the same anywhere, offline. The page is the Jinja2 template
``templates/certificate.html.j2``, which escapes every value it shows.

The page speaks the language of the learner's request (a :class:`Wording`): its headings and
sentences (catalogue ``autograder/locale``), its numbers and date (``2 décembre 2026``), and the
course's own words as the course gives them in that language (module titles, learning outcomes,
course title). The signed credential stays as it is, in English: the page in any language states
the same completion, and verifies the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2
import segno
from markupsafe import Markup

from autograder.certificates.completion import ASSESSED_BY, Completion
from autograder.certificates.credential import NOT_PROCTORED, credential_id, verification_code
from autograder.messages import DEFAULT_LANGUAGE, LANGUAGES, N_, _, long_date, number, speaking


def translated(message: str, **values) -> Markup:
    """``_`` of the template: the catalogue's text is the template's own; the values are escaped."""
    return Markup(_(message)).format(**values)


TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("autograder.certificates", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)
TEMPLATES.globals["_"] = translated
QR_ERROR_CORRECTION = "M"  # 15 % of the code may be damaged (a fold, a stain) and it still reads
QR_TITLE = N_("QR code: opens the page that checks this certificate")


@dataclass(frozen=True)
class Wording:
    """The language of the printable page, and the course's own words in it.

    language : str, ``"en"`` or ``"fr"``
    module_titles : {slug: title}, a module's title as the course gives it in that language; a
        module not in it keeps the completion's title
    learning_outcomes : tuple of str, the completion's outcomes in that language, in the same order
        (as many), or () to keep the completion's
    course_title : str, the course's title in that language, or "" to keep the completion's
    """

    language: str = DEFAULT_LANGUAGE
    module_titles: dict = field(default_factory=dict)
    learning_outcomes: tuple[str, ...] = ()
    course_title: str = ""

    def __post_init__(self):
        if self.language not in LANGUAGES:
            raise ValueError(f"A certificate is printed in {' or '.join(LANGUAGES)}, not {self.language!r}.")
        object.__setattr__(self, "learning_outcomes", tuple(self.learning_outcomes))


def qr_code(link: str) -> segno.QRCode:
    """The QR code of ``link`` (never a Micro QR, which phones do not read)."""
    return segno.make(link, error=QR_ERROR_CORRECTION, micro=False, boost_error=False)


def qr_svg(link: str) -> str:
    """The QR code of ``link`` as inline SVG: black on white, with its 4-module quiet zone, sized by CSS
    (its title in the language now)."""
    return qr_code(link).svg_inline(
        omitsize=True, dark="#000000", light="#ffffff", svgclass="qr", title=_(QR_TITLE),
    )


def render_html(completion: Completion, wording: Wording | None = None) -> str:
    """The certificate page of ``completion``, as HTML text, in the language of ``wording`` (English by default)."""
    wording = wording or Wording()
    code = verification_code(credential_id(completion))
    link = completion.verification_link(code)
    issued = completion.issued_on
    outcomes = completion.learning_outcomes
    if len(wording.learning_outcomes) == len(outcomes):
        outcomes = wording.learning_outcomes
    with speaking(wording.language):
        hours = number(completion.workload_hours)
        return TEMPLATES.get_template("certificate.html.j2").render(
            language=wording.language,
            learner_name=completion.learner_name,
            course_title=wording.course_title or completion.course_title,
            modules=[{"title": wording.module_titles.get(module.slug, module.title),
                      "score_text": f"{number(module.score)} / {number(module.max_score)}",
                      "assessed_by_text": _(ASSESSED_BY[module.written_assessed_by])} for module in completion.modules],
            workload=_("{hours} hour", hours=hours) if completion.workload_hours == 1 else _("{hours} hours", hours=hours),
            outcomes=outcomes,
            not_proctored=_(NOT_PROCTORED),
            issued_iso=issued.date().isoformat(),
            issued_text=long_date(issued.date()),
            issuer_name=completion.issuer.name,
            issuer_url=completion.issuer.url,
            code=code,
            verification_url=completion.verification_url,
            verification_link=link,
            qr=Markup(qr_svg(link)),  # made by segno from the link alone: markup to keep as it is
        )
