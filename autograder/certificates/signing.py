"""Signing a credential with Open Badges 3.0's VC-JWT proof (RS256), and checking it, saying what changed.

:func:`sign` makes the compact JWS that OB 3.0 §8.2 ("JSON Web Token Proof Format") describes:
the JOSE header has only ``alg`` ("RS256"), ``typ`` ("JWT") and ``kid`` (the key's id, see
:func:`autograder.certificates.keys.key_id`). The JWT payload is the credential itself (without
its proof), as OB 3.0 says for credentials on the Verifiable Credentials Data Model 2.0, with the
claims ``iss`` (``issuer.id``), ``jti`` (the credential's ``id``), ``nbf`` (``validFrom``) and
``sub`` (``credentialSubject.id``); it also carries the same credential in the ``vc`` claim, where
verifiers written for the Data Model 1.1 look for it (OB 3.0 §8.2 tells verifiers to accept
both). That JWT *is* the verifiable credential; the certificate
file (``certificate.json``) is the same credential in readable JSON with the JWT in its
``proof`` (``{"type": "JwtProof2020", "jwt": ...}``), so that people and programs can read it
without decoding anything.

:func:`verify` checks the signature with the institution's public key, then the claims against
the signed credential as §8.2 requires, then compares the readable JSON with the signed one. Its
problems are sentences for a person: a signature that does not match (the signed part was altered,
or another key signed it), a missing or damaged proof, or each field of the readable JSON that
differs from what was signed, as a JSON path with both values.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import jwt

from autograder.certificates.errors import CertificateFileError
from autograder.certificates.keys import key_id, load_public_key, public_key_of

ALGORITHM = "RS256"
PROOF_TYPE = "JwtProof2020"
REQUIRED_CLAIMS = ["iss", "jti", "nbf", "sub"]
#: Registered JWT claims: the other members of a payload are the credential's.
JWT_CLAIMS = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "vc"}
COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
LONGEST_VALUE = 80  # characters of a value shown in a problem; longer ones show where they differ


@dataclass(frozen=True)
class Verification:
    """The result of checking a certificate.

    valid : bool, True when the signature is the institution's and the file says what was signed
    problems : list of str, one plain sentence each, empty when valid
    credential : dict or None, the credential as signed (read from the JWT) once the signature is good
    key_id : str or None, the ``kid`` of the signature's header, when it could be read
    """

    valid: bool
    problems: list[str] = field(default_factory=list)
    credential: dict | None = None
    key_id: str | None = None

    def summary(self) -> str:
        """``"Valid: <learner>, <course>, issued <date> by <issuer>"``, or the problems, one a line."""
        if not self.valid:
            return "\n".join(self.problems)
        credential = self.credential or {}
        subject = credential.get("credentialSubject", {})
        names = [identity.get("identityHash") for identity in subject.get("identifier", [])
                 if identity.get("identityType") == "name" and not identity.get("hashed")]
        learner = names[0] if names else subject.get("id", "an unnamed learner")
        course = subject.get("achievement", {}).get("name", "an unnamed course")
        issuer = credential.get("issuer", {})
        issuer_name = issuer.get("name", issuer.get("id")) if isinstance(issuer, dict) else issuer
        return f"Valid: {learner}, {course}, issued {str(credential.get('validFrom', ''))[:10]} by {issuer_name}"


def sign(credential: dict, private_key_pem: bytes, key_id: str) -> dict:
    """The credential with ``"proof": {"type": "JwtProof2020", "jwt": <compact JWS, RS256>}``.

    ``credential`` is not changed; a proof it already has is replaced. ``key_id`` goes in the JOSE
    header's ``kid`` (normally :func:`autograder.certificates.keys.key_id` of the public key).
    """
    unsigned = {name: value for name, value in credential.items() if name != "proof"}
    payload = {
        **unsigned,
        "iss": issuer_id(unsigned),
        "jti": unsigned["id"],
        "nbf": timestamp(unsigned["validFrom"]),
        "sub": unsigned["credentialSubject"]["id"],
        "vc": unsigned,
    }
    token = jwt.encode(payload, private_key_pem, algorithm=ALGORITHM, headers={"kid": key_id, "typ": "JWT"})
    return {**unsigned, "proof": {"type": PROOF_TYPE, "jwt": token}}


def verify(document: dict, public_key_pem: bytes) -> Verification:
    """Check a signed certificate (the JSON of ``certificate.json``) with the institution's public key."""
    proof = document.get("proof") if isinstance(document, dict) else None
    if not isinstance(document, dict) or proof is None:
        return Verification(False, [
            "The certificate has no signature (no \"proof\" with a \"jwt\"), so nothing shows that the "
            "institution issued it. Ask the institution for the signed certificate.json."
        ])
    token = proof.get("jwt") if isinstance(proof, dict) else None
    if not isinstance(token, str):
        return Verification(False, [
            "The certificate's signature is damaged: its \"proof\" has no \"jwt\" text, so it cannot be "
            "checked. Ask the institution for the original certificate.json."
        ])
    checked = verify_jwt(token, public_key_pem)
    if not checked.valid:
        return checked
    readable = {name: value for name, value in document.items() if name != "proof"}
    changes = differences(checked.credential, readable)
    if not changes:
        return checked
    return Verification(False, [
        "The signature is the institution's, but the readable part of the file was changed after it was "
        "signed. Where the file differs from what the institution signed:",
        *changes,
    ], checked.credential, checked.key_id)


def verify_jwt(token: str, public_key_pem: bytes) -> Verification:
    """Check a credential given as a compact JWS alone (OB 3.0's VC-JWT), signature and claims."""
    public_key_pem = public_key_of(public_key_pem)
    token = token.strip()
    damaged = (
        "The certificate's signature (proof.jwt) is damaged: it is not a readable JWT ({why}). Ask the "
        "institution for the original certificate.json."
    )
    if not COMPACT_JWS.match(token):
        return Verification(False, [damaged.format(why="a JWT is three parts of letters, digits, - and _, separated by dots")])
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError as error:
        return Verification(False, [damaged.format(why=str(error).rstrip("."))])
    signed_by = header.get("kid")
    if "alg" not in header:
        return Verification(False, [damaged.format(why="its header names no signing algorithm")])
    if header.get("alg") != ALGORITHM:
        return Verification(False, [
            f"The certificate's signature uses the algorithm {header.get('alg')!r}; the institution signs "
            f"with {ALGORITHM} only, so it did not make this signature."
        ], key_id=signed_by)
    try:
        claims = jwt.decode(token, public_key_pem, algorithms=[ALGORITHM], options={"require": REQUIRED_CLAIMS})
    except jwt.InvalidSignatureError:
        return Verification(False, [wrong_signature(signed_by, key_id(public_key_pem))], key_id=signed_by)
    except jwt.ImmatureSignatureError:
        return Verification(False, [
            "The certificate is valid only from a date still to come. Check the date and time of this computer."
        ], key_id=signed_by)
    except jwt.MissingRequiredClaimError as error:
        return Verification(False, [
            f"The signed part has no {error.claim!r} claim, which Open Badges 3.0 requires: the institution's "
            "tools did not make it."
        ], key_id=signed_by)
    except jwt.InvalidTokenError as error:
        return Verification(False, [damaged.format(why=str(error).rstrip("."))], key_id=signed_by)
    credential, problems = signed_credential(claims)
    if credential is not None:
        problems += claims_problems(claims, credential)
    return Verification(not problems, problems, credential, signed_by)


def signed_credential(claims: dict) -> tuple[dict | None, list[str]]:
    """The credential of a JWT payload: its own members (OB 3.0 on VCDM 2.0), or its ``vc`` claim alone (VCDM 1.1)."""
    credential = {name: value for name, value in claims.items() if name not in JWT_CLAIMS}
    wrapped = claims.get("vc")
    if not credential and isinstance(wrapped, dict):
        return wrapped, []
    if not credential:
        return None, ["The signed part holds no credential, only JWT claims."]
    if wrapped is not None and wrapped != credential:
        return None, ["The signed part holds two different credentials (its members and its \"vc\" claim), "
                      "so it cannot say which one the institution issued."]
    return credential, []


def wrong_signature(signed_by: str | None, given: str) -> str:
    """Why a signature does not match, told from the key it names and the key given."""
    if signed_by == given:
        return ("The signature does not match: the signed part of the certificate (proof.jwt) was altered after "
                "it was signed, so nothing in it can be trusted.")
    return ("The signature does not match the key you gave: either the certificate was signed by another key "
            f"(it names the key {signed_by}; yours is {given}), or its signed part (proof.jwt) was altered. "
            "If the institution has changed keys, check it with the public key it used at the time.")


def claims_problems(claims: dict, credential: dict) -> list[str]:
    """What OB 3.0 §8.2 requires of the JWT claims: ``iss``, ``jti``, ``sub`` and ``nbf`` match the credential."""
    problems = []
    if "OpenBadgeCredential" not in credential.get("type", []):
        problems.append("The signed credential is not an Open Badges credential (its type has no \"OpenBadgeCredential\").")
    subject = credential.get("credentialSubject")
    expected = {
        "iss": ("issuer.id", issuer_id(credential)),
        "jti": ("id", credential.get("id")),
        "sub": ("credentialSubject.id", subject.get("id") if isinstance(subject, dict) else None),
    }
    for claim, (path, value) in expected.items():
        if claims[claim] != value:
            problems.append(f"The signature's {claim!r} claim ({claims[claim]!r}) differs from the signed {path} ({value!r}).")
    try:
        valid_from = timestamp(credential.get("validFrom", ""))
    except ValueError:
        valid_from = None
    if claims["nbf"] != valid_from:
        problems.append(f"The signature's 'nbf' claim differs from the signed validFrom ({credential.get('validFrom')!r}).")
    return problems


def differences(signed, readable, path: str = "") -> list[str]:
    """Each difference between the signed credential and the file's, as ``path: signed ..., the file says ...``."""
    if isinstance(signed, dict) and isinstance(readable, dict):
        found = []
        for name, value in signed.items():
            where = member(path, name)
            if name in readable:
                found += differences(value, readable[name], where)
            else:
                found.append(f"{where}: signed {shown(value)}, missing from the file")
        found += [f"{member(path, name)}: not signed, the file adds {shown(value)}"
                  for name, value in readable.items() if name not in signed]
        return found
    if isinstance(signed, list) and isinstance(readable, list):
        found = []
        for index in range(max(len(signed), len(readable))):
            where = f"{path}[{index}]"
            if index >= len(readable):
                found.append(f"{where}: signed {shown(signed[index])}, missing from the file")
            elif index >= len(signed):
                found.append(f"{where}: not signed, the file adds {shown(readable[index])}")
            else:
                found += differences(signed[index], readable[index], where)
        return found
    if same(signed, readable):
        return []
    before, after = excerpts(signed, readable)
    return [f"{path or 'the whole certificate'}: signed {before}, the file says {after}"]


def member(path: str, name: str) -> str:
    """The JSON path of member ``name``: ``a.b``, or ``a["odd name"]`` when the name has odd characters."""
    if re.fullmatch(r"[A-Za-z0-9_@$-]+", name):
        return f"{path}.{name}" if path else name
    return f"{path}[{json.dumps(name, ensure_ascii=False)}]"


def same(signed, readable) -> bool:
    """Equal as JSON values: 18 and 18.0 are the same number, but true is not 1."""
    if isinstance(signed, bool) or isinstance(readable, bool):
        return type(signed) is type(readable) and signed == readable
    if isinstance(signed, (int, float)) and isinstance(readable, (int, float)):
        return signed == readable
    return type(signed) is type(readable) and signed == readable


def shown(value) -> str:
    """A JSON value as a problem shows it, shortened past LONGEST_VALUE characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= LONGEST_VALUE else text[:LONGEST_VALUE - 1] + "…"


def excerpts(signed, readable) -> tuple[str, str]:
    """Both values as shown in a problem; for long texts, the part around their first difference."""
    if not (isinstance(signed, str) and isinstance(readable, str)) or max(len(signed), len(readable)) <= LONGEST_VALUE:
        return shown(signed), shown(readable)
    start = next((i for i, (a, b) in enumerate(zip(signed, readable)) if a != b), min(len(signed), len(readable)))
    first = max(0, start - 30)

    def around(text: str) -> str:
        part = json.dumps(text[first:first + 60], ensure_ascii=False)[1:-1]
        return f"\"{'…' if first else ''}{part}{'…' if first + 60 < len(text) else ''}\""

    return around(signed), around(readable)


def issuer_id(credential: dict):
    """``issuer.id`` (the issuer may also be given as its id alone)."""
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def timestamp(date_time: str) -> int:
    """Seconds since 1970 (a JWT NumericDate) of an ISO date-time such as ``2026-12-01T09:30:00Z``."""
    moment = datetime.fromisoformat(date_time.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


def verify_file(path: Path, public_key_path: Path) -> Verification:
    """Check a certificate file with a public key file.

    The file may be ``certificate.json`` (the signed JSON) or a bare VC-JWT (compact JWS). Raises
    CertificateFileError or KeyFileError, with a message, when a file is missing or unreadable.
    """
    public_key_pem = load_public_key(Path(public_key_path))
    document = read_certificate(Path(path))
    if isinstance(document, str):
        return verify_jwt(document, public_key_pem)
    return verify(document, public_key_pem)


def read_certificate(path: Path) -> dict | str:
    """The JSON object of a certificate file, or the compact JWS it holds."""
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise CertificateFileError(f"There is no file {path}: check its name and folder.") from None
    except IsADirectoryError:
        raise CertificateFileError(f"{path} is a folder; give the certificate file in it (certificate.json).") from None
    except PermissionError:
        raise CertificateFileError(f"You may not read {path}: ask its owner for a copy.") from None
    try:
        text = content.decode("utf-8")
    except UnicodeError:  # not text at all
        raise CertificateFileError(
            f"{path} is not a certificate: it is not text (a PDF or an image?). Check certificate.json instead."
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        if COMPACT_JWS.match(text.strip()):
            return text.strip()
        raise CertificateFileError(
            f"{path} is not a certificate: it is neither JSON nor a JWT (reading it as JSON stopped at line "
            f"{error.lineno}, column {error.colno}: {error.msg})."
        ) from None
    if not isinstance(document, dict):
        raise CertificateFileError(f"{path} is not a certificate: its JSON is not an object with a credential.")
    return document

