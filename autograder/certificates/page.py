"""The printable certificate: one HTML page (A4 landscape) that carries everything it states.

The page shows the learner's name, the course, each module's exercise score and how its written
answer was assessed (by the learner, peers or an instructor), the workload, the learning outcomes,
"Auto-graded, not proctored", the date, the issuer, the verification code and a QR code that opens
the course hub's verification page with that code. It is self-contained: the QR code is inline
SVG made by segno, the styles are in the page, and the fonts are the system's (no CDN, no web
font), so it prints the same anywhere, offline. The page is the Jinja2 template
``templates/certificate.html.j2``, which escapes every value it shows.
"""

from __future__ import annotations

import jinja2
import segno
from markupsafe import Markup

from autograder.certificates.completion import Completion
from autograder.certificates.credential import NOT_PROCTORED, credential_id, verification_code

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("autograder.certificates", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
QR_ERROR_CORRECTION = "M"  # 15 % of the code may be damaged (a fold, a stain) and it still reads


def qr_code(link: str) -> segno.QRCode:
    """The QR code of ``link`` (never a Micro QR, which phones do not read)."""
    return segno.make(link, error=QR_ERROR_CORRECTION, micro=False, boost_error=False)


def qr_svg(link: str) -> str:
    """The QR code of ``link`` as inline SVG: black on white, with its 4-module quiet zone, sized by CSS."""
    return qr_code(link).svg_inline(
        omitsize=True, dark="#000000", light="#ffffff", svgclass="qr",
        title="QR code: opens the page that checks this certificate",
    )


def render_html(completion: Completion) -> str:
    """The certificate page of ``completion``, as HTML text."""
    code = verification_code(credential_id(completion))
    link = completion.verification_link(code)
    issued = completion.issued_on
    return TEMPLATES.get_template("certificate.html.j2").render(
        learner_name=completion.learner_name,
        course_title=completion.course_title,
        modules=completion.modules,
        workload=completion.workload_text,
        outcomes=completion.learning_outcomes,
        not_proctored=NOT_PROCTORED,
        issued_iso=issued.date().isoformat(),
        issued_text=f"{issued.day} {MONTHS[issued.month - 1]} {issued.year}",
        issuer_name=completion.issuer.name,
        issuer_url=completion.issuer.url,
        code=code,
        verification_url=completion.verification_url,
        verification_link=link,
        qr=Markup(qr_svg(link)),  # made by segno from the link alone: markup to keep as it is
    )
