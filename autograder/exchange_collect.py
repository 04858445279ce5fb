"""nbgrader's exchange on the course hub: collection that refuses forged submissions, and an exchange
root that only the hub's administrator writes.

**Forged submissions.** nbgrader names a submission ``inbound/<student>+<assignment>+<time>+<random>``
and believes the name: a learner who copies a notebook into ``inbound/<classmate>+...`` with a newer
time is collected as the classmate, and replaces the classmate's own work (nbgrader only warns
"cheating attempt?"). :class:`OwnerCheckedCollect` checks every entry before nbgrader sees it: the
entry, and everything in it, must belong to the uid of the learner it names, and hold only plain
files and folders (a symbolic link would make the grader account copy a file the learner cannot
read, such as the solutions). Any other entry is refused: not collected, never in place of the
learner's own work, and reported as an ERROR in the collect output (the formgrader shows it) and as
a line of ``refused-submissions.log`` in the course folder.

A learner's uid comes from one of two places:

* one machine (``deploy/setup/``): the learner's Unix account in the passwd database, named by
  :func:`course_hub.accounts.short_unix_name`;
* Kubernetes (``deploy/kubernetes/values.yaml``): every learner's server runs under the uid
  ``10000 +`` their hub user id, which the hub's REST API does not show. The hub records
  ``{hub user name: uid}`` in a JSON file on the exchange volume each time it starts a server, in a
  folder only the hub may write (``learner_uids``).

**The exchange root.** The root belongs to root and is not writable (mode 0755), and each course's
folders are made in advance by the hub's set-up, owned by the course's grader account: a learner
cannot create a course's folder before its instructors do, and so cannot block its release.
nbgrader's own classes insist that everyone may write the root; the ``Hub*`` classes below only ask
that it exists and can be entered. ``deploy/jupyter/learners/nbgrader_config.py`` selects them.
"""

from __future__ import annotations

import datetime
import json
import os
import pwd
import stat

from nbgrader.exchange.default import (
    ExchangeCollect,
    ExchangeFetchAssignment,
    ExchangeFetchFeedback,
    ExchangeList,
    ExchangeReleaseAssignment,
    ExchangeReleaseFeedback,
    ExchangeSubmit,
)
from nbgrader.utils import check_directory
from traitlets import Unicode

from course_hub.accounts import short_unix_name

from autograder.nbgrader_compat import CollectHooks

#: The file in the course folder that lists every refused entry, one line each.
REPORT_NAME = "refused-submissions.log"


class HubExchangeRoot:
    """Mixin: the exchange root must exist and be searchable, not writable (nobody creates folders in it
    but the hub's set-up)."""

    def ensure_root(self):
        if not check_directory(self.root, execute=True):
            self.fail(f"The exchange {self.root} is missing or closed to you: ask the hub's administrator "
                      "to run the hub's set-up (python -m deploy.setup).")

    def ensure_directory(self, path, mode):
        """The course's folder ``path`` exists and is this account's (compared by uid: on Kubernetes
        the grader's uid has no name, which nbgrader's own check needs)."""
        if os.path.isdir(path):
            if not self.coursedir.groupshared and os.stat(path).st_uid != os.getuid():
                self.fail(f"You don't own the directory: {path}. Only the course's grader account may release "
                          "into it: ask the hub's administrator to run the hub's set-up for this course.")
            return
        if not os.access(os.path.dirname(path), os.W_OK):
            self.fail(f"{path} is missing, and only the hub's set-up creates a course's folders in the "
                      f"exchange: ask the hub's administrator to set up the course {self.coursedir.course_id} "
                      "(python -m deploy.setup; on Kubernetes, course-grader.yaml's init container).")
        super().ensure_directory(path, mode)


class HubFetchAssignment(HubExchangeRoot, ExchangeFetchAssignment):
    """nbgrader's fetch, with the hub's exchange root."""


class HubFetchFeedback(HubExchangeRoot, ExchangeFetchFeedback):
    """nbgrader's feedback fetch, with the hub's exchange root."""


class HubList(HubExchangeRoot, ExchangeList):
    """nbgrader's list, with the hub's exchange root."""


class HubSubmit(HubExchangeRoot, ExchangeSubmit):
    """nbgrader's submit, with the hub's exchange root."""


class HubReleaseAssignment(HubExchangeRoot, ExchangeReleaseAssignment):
    """nbgrader's release, with the hub's exchange root (its folders made by the set-up)."""


class HubReleaseFeedback(HubExchangeRoot, ExchangeReleaseFeedback):
    """nbgrader's feedback release, with the hub's exchange root (its folders made by the set-up)."""


class OwnerCheckedCollect(HubExchangeRoot, CollectHooks, ExchangeCollect):
    """nbgrader's collect, which refuses every inbound entry that is not the named learner's own.

    Only :meth:`submission_record` (what nbgrader reads from an entry's name) and ``copy_files`` change: a
    refused entry is grouped apart from the learner it names, so nbgrader's choice of each
    learner's latest submission (or latest before the due date) only ever sees their own entries.
    ``ExchangeCollect.check_owner = False`` turns the check off, as it turns off nbgrader's warning.
    """

    learner_uids = Unicode(
        "",
        help="A JSON file {hub user name: uid} written by the hub when it starts a learner's server "
        "(Kubernetes). Empty: a learner's uid is that of their Unix account (one machine).",
    ).tag(config=True)

    report_name = Unicode(
        REPORT_NAME, help="The file, in the course folder, that lists every refused entry."
    ).tag(config=True)

    def submission_record(self, path, record):
        reason = self.forgery(path, record["username"]) if self.check_owner else None
        if reason:
            self.refuse(path, record["username"], reason)
            # Kept apart from the learner it names: it can never be chosen as their submission.
            record["username"] = None
        return record

    def copy_files(self):
        self.src_records = [record for record in self.src_records if record["username"] is not None]
        # The uid check above replaces nbgrader's warning by user name, which fails on Kubernetes
        # (learners' uids have no name there).
        check_owner, self.check_owner = self.check_owner, False
        try:
            super().copy_files()
        finally:
            self.check_owner = check_owner

    # --- the check ---------------------------------------------------------------------------
    def forgery(self, path: str, student_id: str) -> str | None:
        """Why the entry ``path`` is not ``student_id``'s own submission, or None if it is."""
        uid = self.uid_of(student_id)
        if uid is None:
            return f"no uid is known for {student_id}"
        top = os.lstat(path)
        if not stat.S_ISDIR(top.st_mode):
            return "it is not a folder"
        if top.st_uid != uid:
            return f"it belongs to {self.owner_name(top.st_uid)}, not to {student_id}"
        for folder, folders, files in os.walk(path):
            for name in folders + files:
                item = os.path.join(folder, name)
                info = os.lstat(item)
                relative = os.path.relpath(item, path)
                if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
                    return f"{relative} is not a plain file or folder (a link, for instance)"
                if info.st_uid != uid:
                    return f"{relative} belongs to {self.owner_name(info.st_uid)}, not to {student_id}"
        return None

    def uid_of(self, student_id: str) -> int | None:
        """The uid under which ``student_id``'s server runs, or None if none is known."""
        if self.learner_uids:
            uids = self._recorded_uids()
            return int(uids[student_id]) if student_id in uids else None
        try:
            return pwd.getpwnam(short_unix_name(student_id)).pw_uid
        except KeyError:
            return None

    def _recorded_uids(self) -> dict:
        if not hasattr(self, "_uids"):
            try:
                with open(self.learner_uids, encoding="utf-8") as file:
                    self._uids = json.load(file)
            except (OSError, ValueError) as error:
                self.fail(f"Cannot read the hub's record of learners' uids {self.learner_uids} ({error}): "
                          "without it no submission can be checked. Check that the hub mounts the "
                          "exchange volume (values.yaml, hub.extraVolumeMounts) and has started learners' servers.")
        return self._uids

    @staticmethod
    def owner_name(uid: int) -> str:
        try:
            return f"{pwd.getpwuid(uid).pw_name} (uid {uid})"
        except KeyError:
            return f"uid {uid}"

    # --- the report ----------------------------------------------------------------------------
    def refuse(self, path: str, student_id: str, reason: str) -> None:
        """Report a refused entry: an ERROR in the collect output, and a line in the course's report."""
        report = os.path.join(self.coursedir.root, self.report_name)
        self.log.error(
            "Refused %s: it claims to be %s's submission, but %s. It is not collected and %s's own "
            "submission stays as it is. Look at it, then remove it from the exchange (see %s).",
            path, student_id, reason, student_id, report,
        )
        try:
            with open(report, encoding="utf-8") as file:
                if any(line.split("\t")[1:2] == [path] for line in file):
                    return
        except FileNotFoundError:
            pass
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        with open(report, "a", encoding="utf-8") as file:
            file.write(f"{now}\t{path}\tclaims {student_id}\t{reason}\n")
