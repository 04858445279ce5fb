"""Printing the certificate page to PDF with headless Chromium (Debian's ``/usr/bin/chromium``).

Chromium prints with the page's own print CSS (A4 landscape), without its header and footer. It
runs with a new, empty profile in a temporary folder, and with everything that would reach the
network switched off (updates, sync, QUIC, background requests): the page needs nothing outside
itself. As root, Chromium refuses to start with its sandbox, so ``--no-sandbox`` is given only
then; the page it opens is the course's own, with no script.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path

from autograder.certificates.errors import PdfError

CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT_SECONDS = 120  # a first start on a busy two-core machine takes about 10 s
QUIET = ["--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-pdf-header-footer"]


def print_pdf(html_path: Path, pdf_path: Path, chromium: Path = CHROMIUM, timeout: float = TIMEOUT_SECONDS) -> Path:
    """Print the HTML page at ``html_path`` to ``pdf_path`` (replaced if it exists); return ``pdf_path``.

    Raises PdfError with a message when Chromium is missing, takes more than ``timeout`` seconds,
    or ends without writing a PDF.
    """
    html_path, pdf_path = Path(html_path).absolute(), Path(pdf_path).absolute()
    if not Path(chromium).exists():
        raise PdfError(
            f"Chromium is not installed ({chromium}), and the PDF of the certificate is printed with it. "
            "Install it with: apt-get install chromium"
        )
    if not html_path.is_file():
        raise PdfError(f"There is no page to print at {html_path}.")
    with tempfile.TemporaryDirectory(prefix="certificate-chromium-") as profile:
        command = [str(chromium), *QUIET, *(["--no-sandbox"] if os.geteuid() == 0 else []),
                   f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}", html_path.as_uri()]
        output = run(command, timeout)
    if not pdf_path.is_file() or not pdf_path.read_bytes()[:5] == b"%PDF-":
        pdf_path.unlink(missing_ok=True)
        raise PdfError(f"Chromium did not print {html_path} to PDF. What it said:\n{output.strip()[-2000:]}")
    return pdf_path


def run(command: list[str], timeout: float) -> str:
    """Run Chromium in a process group of its own; on timeout stop that group (Chromium and its helpers)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfError(
            f"Chromium took more than {timeout:g} seconds to print the certificate and was stopped. "
            "Try again when the machine is less busy."
        ) from None
    return output
