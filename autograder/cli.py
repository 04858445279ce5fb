"""The ``autograder`` command: argument parsing only; each command lives in its own module.

    autograder grade ASSIGNMENT [--student ID ...] [--jobs N] [--force] [--no-sandbox]
    autograder export ASSIGNMENT --csv FILE
    autograder report ASSIGNMENT --out DIR
    autograder certificate verify FILE --key PUBLIC.pem
    autograder certificate keygen --out DIR

Run it from the course folder (the one with ``nbgrader_config.py``, ``exercises/`` here) or give
that folder with ``--course PATH``. Exit status: 0 when the command did its work (submissions that
could not be graded are recorded with the reason, and listed), 2 when it could not run at all (a
wrong course folder or assignment name), with a message saying what to do; 130 after Ctrl-C.

``certificate`` needs no course folder: ``verify`` checks a certificate of completion
(``certificate.json``) with the institution's public key and exits with 0 when it is valid, 1
when it is not (each problem on its own line), 2 when the file or the key cannot be read;
``keygen`` makes the institution's signing key in a folder outside the repository.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.course import Course, CourseError

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_CANNOT_RUN = 2
EXIT_INTERRUPTED = 130


COURSE_HELP = "the nbgrader course folder, with nbgrader_config.py (default: the current folder)"


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="autograder",
        description="Fast, resumable autograding of nbgrader submissions, with exports and reports for instructors.",
    )
    main.add_argument("--course", metavar="PATH", default=None, help=COURSE_HELP)
    # --course is accepted after the command too ("autograder grade A --course PATH").
    course = argparse.ArgumentParser(add_help=False)
    course.add_argument("--course", metavar="PATH", default=argparse.SUPPRESS, help=COURSE_HELP)
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    grade = commands.add_parser(
        "grade", parents=[course], help="autograde collected submissions, write feedback and record the scores",
        description="Autograde every collected submission in submitted/<student>/ASSIGNMENT/ (or the "
        "named students'), write each learner's feedback, and record the scores in the gradebook. "
        "Submissions already graded are left as they are unless they were submitted again or --force is given.",
    )
    grade.add_argument("assignment", metavar="ASSIGNMENT", help="the assignment to grade, e.g. budgeting_01")
    grade.add_argument(
        "--student", metavar="ID", action="append", default=None,
        help="grade only this learner's submission (repeat the option for several learners)",
    )
    grade.add_argument(
        "--jobs", metavar="N", type=positive_int, default=None,
        help="how many notebooks to run at once (default: the number of cores of this machine); a "
        "notebook stuck in a cell past half its time limit waits at the lowest CPU priority and does "
        "not count, so another one starts meanwhile",
    )
    grade.add_argument(
        "--force", action="store_true",
        help="grade again the submissions that are already graded (scores written by hand are kept, "
        "as with nbgrader autograde --force)",
    )
    grade.add_argument(
        "--no-sandbox", action="store_true",
        help="run learner code WITHOUT the sandbox, with your rights (it can then read the solutions and "
        "the gradebook): only where the sandbox cannot work, and only for submissions you trust",
    )

    export = commands.add_parser(
        "export", parents=[course], help="write the scores of an assignment to a CSV file",
        description="Write one row per learner and graded part, plus one total row per learner.",
    )
    export.add_argument("assignment", metavar="ASSIGNMENT", help="the assignment to export")
    export.add_argument("--csv", metavar="FILE", required=True, type=Path, help="the CSV file to write")

    report = commands.add_parser(
        "report", parents=[course], help="write an HTML report with plots of an assignment's results",
        description="Write DIR/index.html: score distribution, score per part, the tests failed most "
        "often with their messages, and the time spent grading.",
    )
    report.add_argument("assignment", metavar="ASSIGNMENT", help="the assignment to report on")
    report.add_argument("--out", metavar="DIR", required=True, type=Path, help="the folder to write the report into")

    certificate = commands.add_parser(
        "certificate", help="check a certificate of completion, or make the institution's signing key",
        description="Certificates of completion are Open Badges 3.0 credentials signed by the institution "
        "(VC-JWT, RS256). These commands need no course folder.",
    )
    certificate_commands = certificate.add_subparsers(dest="certificate_command", required=True, metavar="COMMAND")
    verify = certificate_commands.add_parser(
        "verify", help="check that a certificate was signed by the institution and not changed since",
        description="Check FILE (certificate.json, or the certificate as a JWT) with the institution's "
        "public key. Exit status: 0 valid, 1 not valid (each problem on its own line), 2 when the file or "
        "the key cannot be read.",
    )
    verify.add_argument("file", metavar="FILE", type=Path, help="the certificate, e.g. certificate.json")
    verify.add_argument("--key", metavar="PUBLIC.pem", required=True, type=Path,
                        help="the institution's public key (institution-public.pem, published on the course site)")
    keygen = certificate_commands.add_parser(
        "keygen", help="make the institution's signing key (RSA 3072) in a folder outside the repository",
        description="Write DIR/institution-private.pem (mode 600: keep it secret, readable by root only) and "
        "DIR/institution-public.pem (publish it). An existing key is never replaced.",
    )
    keygen.add_argument("--out", metavar="DIR", required=True, type=Path,
                        help="the folder for the key, outside the repository, e.g. /etc/local-governance/certificates")
    return main


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    # nbgrader runs tools (alembic) from PATH: make sure this environment's come first.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    if arguments.command == "certificate":
        return certificate(arguments)
    try:
        course = Course.open(arguments.course)
        if arguments.command == "grade":
            from autograder.pipeline import grade

            run = grade.grade(course, arguments.assignment, arguments.student, arguments.jobs, arguments.force,
                              sandbox=not arguments.no_sandbox)
            print(run.summary())
        elif arguments.command == "export":
            from autograder.reporting import export

            rows = export.export(course, arguments.assignment, arguments.csv)
            print(f"Wrote {rows} rows to {arguments.csv}.")
        elif arguments.command == "report":
            from autograder.reporting import report

            page = report.report(course, arguments.assignment, arguments.out)
            print(f"Wrote the report of {arguments.assignment} to {page}.")
    except CourseError as error:
        print(f"autograder: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        print(
            "\nautograder: stopped. The submissions graded so far are kept; run the same command "
            "again to grade the others.",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    return EXIT_OK


def certificate(arguments: argparse.Namespace) -> int:
    """``autograder certificate verify|keygen``: the work is in :mod:`autograder.certificates`."""
    from autograder import certificates

    try:
        if arguments.certificate_command == "verify":
            verification = certificates.verify_file(arguments.file, arguments.key)
            if not verification.valid:
                print(f"Not valid: {arguments.file}")
            print(verification.summary())
            return EXIT_OK if verification.valid else EXIT_INVALID
        private, public = certificates.generate_key(arguments.out)
        print(f"Wrote the private key to {private} (mode 600: keep it secret, never copy it into a repository).")
        print(f"Wrote the public key to {public}: publish it, so that anyone can check the certificates.")
        print(f"Key id (kid): {certificates.key_id(public.read_bytes())}")
    except certificates.CertificateError as error:
        print(f"autograder: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
