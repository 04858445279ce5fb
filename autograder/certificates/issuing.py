"""Issuing a certificate: build it, sign it, check it, and write its three files into a folder.

``certificate.json`` is the signed Open Badges 3.0 credential (what anyone checks with
``autograder certificate verify``), ``certificate.html`` the printable page and
``certificate.pdf`` that page printed. Certificates are records: a file that is already there is
never replaced. Issuing the same certificate again (same learner, course, results and time) into
the same folder changes nothing and returns the files that are there; a folder that holds a
different certificate is refused with CertificateExistsError, before anything is written, so
give each certificate a folder of its own (for example one per learner and course).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from autograder.certificates.completion import Completion
from autograder.certificates.credential import open_badge_credential
from autograder.certificates.errors import CertificateError, CertificateExistsError
from autograder.certificates.keys import key_id, load_private_key, public_pem
from autograder.certificates.page import Wording, render_html
from autograder.certificates.pdf import CHROMIUM, print_pdf
from autograder.certificates.signing import sign, verify

JSON_NAME, HTML_NAME, PDF_NAME = "certificate.json", "certificate.html", "certificate.pdf"


@dataclass(frozen=True)
class IssuedCertificate:
    """The files of an issued certificate and its verification code (e.g. ``"7KQ2M-XH0RB"``)."""

    json_path: Path
    html_path: Path
    pdf_path: Path
    code: str


def issue(completion: Completion, private_key_path: Path, out_dir: Path, chromium: Path = CHROMIUM,
          wording: Wording | None = None) -> IssuedCertificate:
    """Issue the certificate of ``completion``, signed with the key at ``private_key_path``, into ``out_dir``;
    its printable page and PDF in the language of ``wording`` (English by default; the signed credential
    is the same in every language)."""
    private_key_pem = load_private_key(Path(private_key_path))
    public_key_pem = public_pem(private_key_pem)
    signed = sign(open_badge_credential(completion), private_key_pem, key_id(public_key_pem))
    check = verify(signed, public_key_pem)
    if not check.valid:  # a certificate that does not verify is never handed out
        raise CertificateError("The new certificate does not verify with its own key:\n" + "\n".join(check.problems))
    out_dir = Path(out_dir)
    paths = IssuedCertificate(out_dir / JSON_NAME, out_dir / HTML_NAME, out_dir / PDF_NAME, signed["verificationCode"])
    contents = {
        paths.json_path: json.dumps(signed, indent=2, ensure_ascii=False) + "\n",
        paths.html_path: render_html(completion, wording),
    }
    different = [path.name for path, text in contents.items() if path.exists() and read(path) != text]
    if paths.pdf_path.exists() and not all(path.exists() for path in contents):
        different.append(PDF_NAME)  # a PDF without the files it was printed from: another certificate's
    if different:
        raise CertificateExistsError(
            f"{out_dir} already holds another certificate: its {' and '.join(different)} "
            f"differ{'s' if len(different) == 1 else ''} from this one's. Certificates are never replaced: "
            "issue this one into a folder of its own, or move the old one away if it was issued by mistake."
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    for path, text in contents.items():
        if not path.exists():
            with path.open("x", encoding="utf-8") as file:
                file.write(text)
    if not paths.pdf_path.exists():
        print_pdf(paths.html_path, paths.pdf_path, chromium=chromium)
    return paths


def read(path: Path) -> str | None:
    """The text of an existing file, or None when it is not text (then it differs from any certificate)."""
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, IsADirectoryError):
        return None
