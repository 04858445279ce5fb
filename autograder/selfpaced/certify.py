"""Issuing certificates of completion: a learner asks on their progress page; the grading service,
which alone can read the institution's key, checks that every published module's exercise is
passed (:mod:`autograder.selfpaced.rules`) and issues the signed credential and its printable page.

The printable page and its PDF are in the language the learner asked in (recorded with the request,
:func:`autograder.selfpaced.service.language.certificate_language`), with the course's module titles,
learning outcomes and title as its edition in that language gives them (:func:`wording_of`); the
signed credential is the same, in English, whatever the language.
"""

from __future__ import annotations

import datetime
import logging
from pathlib import Path

from autograder.certificates import (CertificateError, Completion, Issuer, KeyFileError, ModuleResult, Wording,
                                     issue)
from autograder.messages import DEFAULT_LANGUAGE, N_, _, speaking
from autograder.selfpaced.progress import CourseProgress
from autograder.selfpaced.service.language import certificate_language, course_title, module_outcomes, module_titles

log = logging.getLogger("autograder.selfpaced")

#: Where certificates are kept, in the course folder: ``certificates/<learner>/``.
CERTIFICATES = "certificates"


def completion_of(progress: CourseProgress, student: str, name: str, verification_url: str,
                  now: datetime.datetime | None = None) -> Completion:
    """What ``student``'s certificate carries (call it only for a learner who completed the course)."""
    settings = progress.settings
    modules = []
    for standing in progress.learner(student):
        exercise = standing.exercise
        modules.append(ModuleResult(standing.module.slug, f"Module {standing.module.number}: {standing.module.title}",
                                    round(exercise.total, 2), exercise.max_score, exercise.written.by))
    outcomes = tuple(outcome for module in progress.outline for outcome in module.outcomes)
    return Completion(
        learner_id=student, learner_name=name, course_id=progress.course.course_id,
        course_title=settings.course_title, modules=tuple(modules),
        workload_hours=round(sum(module.hours for module in progress.outline), 2),
        learning_outcomes=outcomes,
        issued_on=now or datetime.datetime.now(datetime.timezone.utc),
        issuer=Issuer(settings.issuer_name, settings.issuer_url),
        verification_url=verification_url,
    )


def wording_of(progress: CourseProgress, language: str) -> Wording:
    """How a certificate in ``language`` words the course: ``Module 1 : Le budget communal`` and the
    outcomes of the French edition's syllabus, a module it does not have keeping its English words."""
    if language == DEFAULT_LANGUAGE:
        return Wording()
    root = progress.course.root
    titles, outcomes = module_titles(root, language), module_outcomes(root, language)
    printed_titles, printed_outcomes = {}, []
    with speaking(language):
        for module in progress.outline:
            printed_titles[module.slug] = _("Module {number}: {title}", number=module.number,
                                            title=titles.get(module.number, module.title))
            translated = outcomes.get(module.number, ())
            printed_outcomes += translated if len(translated) == len(module.outcomes) else module.outcomes
    return Wording(language, printed_titles, tuple(printed_outcomes),
                   course_title(root, language, progress.settings.course_title))


NOT_COMPLETED = N_("Not every module's exercise is passed yet: see your progress page.")
KEY_PROBLEM = N_("The certificate could not be signed: the course's signing key is missing or unreadable on the hub. "
                 "Your instructor can see why in the hub's log; ask again once they have fixed it.")
NOT_MADE = N_("The certificate could not be made: {error} Ask again in a few minutes; if it happens again, tell "
              "your instructor.")


def issue_requested(progress: CourseProgress, verification_url: str) -> int:
    """Issue every certificate asked for and not issued yet; return how many were issued."""
    store, settings = progress.store, progress.settings
    issued = 0
    for request in store.certificates(pending=True):
        student = request["student"]
        language = certificate_language(store, student)
        if not progress.completed(student):
            with speaking(language):
                store.certificate_refused(student, _(NOT_COMPLETED))
            continue
        # One folder per request: a certificate once issued is never overwritten.
        folder = progress.course.root / CERTIFICATES / student / str(int(request["requested"]))
        try:
            result = issue(completion_of(progress, student, request["name"], verification_url),
                           Path(settings.certificate_key), folder, wording=wording_of(progress, language))
        except KeyFileError as error:
            log.error("Could not sign %s's certificate: %s", student, error)
            with speaking(language):
                store.certificate_refused(student, _(KEY_PROBLEM))
            continue
        except CertificateError as error:
            log.error("Could not issue %s's certificate: %s", student, error)
            with speaking(language):
                store.certificate_refused(student, _(NOT_MADE, error=error))
            continue
        give_back(progress.course.root, folder)
        store.certificate_issued(student, result.code, str(folder))
        issued += 1
    return issued


def give_back(root: Path, folder: Path) -> None:
    """Files a root process wrote into the course folder go to the course's owner."""
    import os

    owner = root.stat()
    if os.geteuid() != 0 or owner.st_uid == 0:
        return
    for path in [folder.parent.parent, folder.parent, folder, *folder.rglob("*")]:
        if path.exists() and path.lstat().st_uid == 0:
            os.chown(path, owner.st_uid, owner.st_gid, follow_symlinks=False)
