"""What can stop a certificate from being issued or checked, each with a message for a person.

Every error's message says what went wrong and what to do; the ``autograder certificate`` command
prints it as it is and exits with status 2 (it could not run), apart from a certificate that was
checked and found invalid, which is not an error but a :class:`~autograder.certificates.signing.Verification`.
"""

from __future__ import annotations


class CertificateError(Exception):
    """Base of the errors of :mod:`autograder.certificates`; ``str(error)`` is the message."""


class KeyFileError(CertificateError):
    """A key file is missing, is not the right kind of key, or is readable by others."""


class CertificateFileError(CertificateError):
    """A certificate file is missing or is neither a signed certificate in JSON nor a JWT."""


class CertificateExistsError(CertificateError):
    """The output folder already holds a different certificate: it is never overwritten."""


class PdfError(CertificateError):
    """Chromium is missing, took too long or did not write the PDF."""
