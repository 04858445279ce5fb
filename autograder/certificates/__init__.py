"""Certificates of completion: Open Badges 3.0 credentials, signed by the institution, printable, checkable.

Another part of the product decides when a learner has completed the course; this package makes
what is issued and checks it. Its parts, each in its own module:

- ``completion``: what a certificate states (learner, course, module results, workload, outcomes, issuer), pure values;
- ``credential``: that completion as an Open Badges 3.0 OpenBadgeCredential, with its verification code;
- ``keys``: the institution's RSA signing key: made outside the repository, loaded with checks, named by its key id;
- ``signing``: the VC-JWT (RS256) signature, and a check that says what was changed;
- ``page``: the printable HTML page (A4 landscape) with its QR code, from a Jinja2 template, in the
  learner's language (a ``Wording``; the signed credential stays in English);
- ``pdf``: that page printed to PDF with headless Chromium;
- ``issuing``: build, sign, check and write certificate.json, certificate.html and certificate.pdf;
- ``errors``: what stops issuing or checking, each with a message for a person.

The ``autograder certificate`` command (``verify`` and ``keygen``) is the way in for people; the
hosting guide (book/hosting.md) says where the key lives and how to replace it.
"""

from autograder.certificates.completion import ASSESSORS, Completion, Issuer, ModuleResult
from autograder.certificates.credential import (
    credential_id,
    normalize_code,
    open_badge_credential,
    verification_code,
)
from autograder.certificates.errors import (
    CertificateError,
    CertificateExistsError,
    CertificateFileError,
    KeyFileError,
    PdfError,
)
from autograder.certificates.issuing import IssuedCertificate, issue
from autograder.certificates.keys import generate_key, key_id, load_private_key, load_public_key
from autograder.certificates.page import Wording, render_html
from autograder.certificates.pdf import print_pdf
from autograder.certificates.signing import Verification, sign, verify, verify_file, verify_jwt

__all__ = [
    "ASSESSORS", "Completion", "Issuer", "ModuleResult",
    "credential_id", "normalize_code", "open_badge_credential", "verification_code",
    "CertificateError", "CertificateExistsError", "CertificateFileError", "KeyFileError", "PdfError",
    "IssuedCertificate", "issue",
    "generate_key", "key_id", "load_private_key", "load_public_key",
    "Wording", "render_html", "print_pdf",
    "Verification", "sign", "verify", "verify_file", "verify_jwt",
]
