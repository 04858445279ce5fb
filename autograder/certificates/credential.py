"""The certificate as an Open Badges 3.0 ``OpenBadgeCredential`` (JSON-LD), computed from a Completion.

The shape follows the Open Badges Specification 3.0 (1EdTech), on the W3C Verifiable Credentials
Data Model 2.0:

- the credential: ``@context``, ``id``, ``type``, ``name``, ``description``, ``issuer`` (a
  ``Profile``), ``validFrom`` and ``credentialSubject``;
- ``credentialSubject`` (an ``AchievementSubject``): ``id``, ``identifier`` (an ``IdentityObject``
  with the learner's name, not hashed: it is printed on the certificate anyway), ``achievement``
  and ``result``;
- ``achievement`` (an ``Achievement`` of type "Certificate"): the course, the same for every
  learner; its ``resultDescription`` list says what each ``result`` is: one per module (points in
  the module's exercise) and one for how each written answer was assessed;
- ``result``: one per module, ``value`` like ``"18 / 25"``, then the written answers' assessment.

Identifiers are ``urn:uuid:`` UUIDs version 5, derived from the issuer's url and stable names, so
the same completion always gives the same credential: the certificate's ``id`` comes from the
course, the learner and the day (a certificate issued again the same day keeps its id), the
subject's ``id`` from the learner (never printed as such), the achievement's from the course.

``verificationCode`` (top level) is this course's own term, a short code that a person can type on
the course hub's verification page: 10 characters of Crockford's base32 (no I, L, O or U) of the
SHA-256 of the credential's ``id``, grouped as ``ABCDE-FGHJK``. The spec defines no property of
the credential for such a code (``achievement.humanCode`` is the code of the course, the same for
every learner), and its JSON schema lets a credential carry more properties; in JSON-LD, the
context of Verifiable Credentials 2.0 maps such a term to its issuer-dependent vocabulary. The code
is inside the signed credential, so it cannot be changed without breaking the signature.
"""

from __future__ import annotations

import hashlib
import uuid

from autograder.certificates.completion import Completion, points
from autograder.messages import N_

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
TYPE = ["VerifiableCredential", "OpenBadgeCredential"]
NOT_PROCTORED = N_("Auto-graded, not proctored.")  # the credential says it in English, the page in its language
CROCKFORD_BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10


def urn(completion: Completion, name: str) -> str:
    """A stable ``urn:uuid:`` for ``name`` within the issuer's names (UUID version 5)."""
    issuer_names = uuid.uuid5(uuid.NAMESPACE_URL, completion.issuer.url)
    return f"urn:uuid:{uuid.uuid5(issuer_names, name)}"


def credential_id(completion: Completion) -> str:
    """The certificate's identifier: from the course, the learner and the day it is issued."""
    return urn(completion, f"certificate/{completion.course_id}/{completion.learner_id}/{completion.issued_on.date().isoformat()}")


def verification_code(credential_id: str) -> str:
    """The short code a person types to check a certificate, e.g. ``"7KQ2M-XH0RB"``.

    50 bits of the SHA-256 of the credential's id, in Crockford's base32 (digits and capitals
    without I, L, O and U, which are easily misread), in two groups of five.
    """
    number = int.from_bytes(hashlib.sha256(credential_id.encode("utf-8")).digest(), "big")
    characters = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, 32)
        characters.append(CROCKFORD_BASE32[index])
    return f"{''.join(characters[:5])}-{''.join(characters[5:])}"


def normalize_code(typed: str) -> str:
    """A code as a person typed it, in the form :func:`verification_code` writes it.

    Spaces and dashes are ignored, letters may be lower case, and O, I and L are read as 0, 1 and 1
    (as Crockford's base32 says). Raises ValueError with a message when it cannot be a code.
    """
    text = "".join(typed.split()).replace("-", "").upper().translate(str.maketrans("OIL", "011"))
    if len(text) != CODE_LENGTH or any(character not in CROCKFORD_BASE32 for character in text):
        raise ValueError(
            f"{typed!r} is not a verification code: a code has {CODE_LENGTH} letters and digits, "
            "like 7KQ2M-XH0RB (it is printed under the QR code of the certificate)."
        )
    return f"{text[:5]}-{text[5:]}"


def open_badge_credential(completion: Completion) -> dict:
    """The unsigned Open Badges 3.0 credential of ``completion`` (JSON-compatible; see the module doc)."""
    identifier = credential_id(completion)
    issued = completion.issued_on.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "@context": list(CONTEXT),
        "id": identifier,
        "type": list(TYPE),
        "name": f"Certificate of completion: {completion.course_title}",
        "description": f"Certificate of completion of the course {completion.course_title}, "
                       f"issued by {completion.issuer.name}.",
        "issuer": {
            "id": completion.issuer.url,
            "type": ["Profile"],
            "name": completion.issuer.name,
            "url": completion.issuer.url,
        },
        "validFrom": issued,
        "verificationCode": verification_code(identifier),
        "credentialSubject": {
            "id": urn(completion, f"learner/{completion.learner_id}"),
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityHash": completion.learner_name,
                "identityType": "name",
                "hashed": False,
            }],
            "achievement": achievement(completion),
            "result": results(completion),
        },
    }


def achievement(completion: Completion) -> dict:
    """The course as an Achievement: what every learner who completes it is awarded."""
    modules = completion.modules
    outcomes = "\n".join(f"- {outcome}" for outcome in completion.learning_outcomes)
    return {
        "id": urn(completion, f"achievement/{completion.course_id}"),
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": completion.course_title,
        "description": (
            f"Completion of the online course {completion.course_title}: {len(modules)} "
            f"module{'s' if len(modules) != 1 else ''} and about {completion.workload_text} of work. "
            f"Each module ends with an exercise that the learner passed. {NOT_PROCTORED} The code of "
            "the exercises was graded automatically, and their written answers were assessed by the "
            "learner, by peers or by an instructor, as the results say; the learner worked unsupervised."
        ),
        "criteria": {
            "narrative": (
                f"Pass the exercise of each of the course's modules: {', '.join(m.title for m in modules)}.\n\n"
                f"A learner who completed the course can:\n\n{outcomes}"
            ),
        },
        "inLanguage": "en",
        "resultDescription": [
            *({
                "id": module_result_id(completion, module.slug),
                "type": ["ResultDescription"],
                "name": f"Points in the exercise of the module {module.title}, out of {points(module.max_score)}",
                "resultType": "RawScore",
            } for module in modules),
            {
                "id": written_result_id(completion),
                "type": ["ResultDescription"],
                "name": "How the written answer of each module's exercise was assessed",
                "resultType": "Result",
            },
        ],
    }


def results(completion: Completion) -> list[dict]:
    """One Result per module (``"18 / 25"``), then how each written answer was assessed."""
    assessed = "; ".join(f"{module.title}: {module.assessed_by_text}" for module in completion.modules)
    return [
        *({
            "type": ["Result"],
            "resultDescription": module_result_id(completion, module.slug),
            "value": module.score_text,
        } for module in completion.modules),
        {
            "type": ["Result"],
            "resultDescription": written_result_id(completion),
            "value": f"Written answers: {assessed}.",
        },
    ]


def module_result_id(completion: Completion, slug: str) -> str:
    """The stable id of a module's ResultDescription (the same for every learner of the course)."""
    return urn(completion, f"achievement/{completion.course_id}/module/{slug}")


def written_result_id(completion: Completion) -> str:
    """The stable id of the ResultDescription of how the written answers were assessed."""
    return urn(completion, f"achievement/{completion.course_id}/written-answers")
