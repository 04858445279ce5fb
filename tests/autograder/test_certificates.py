"""Certificates of completion: what is issued (Open Badges 3.0, signed), what a reader sees, and how
anyone checks it, including what they are told when a certificate was changed.

The institution's keys are made once per test module (an RSA 3072 key takes a moment); Chromium
prints the certificate once and takes one screenshot, whose QR code is decoded with zxing-cpp.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jwt
import pytest
import zxingcpp
from bs4 import BeautifulSoup
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from PIL import Image

from autograder.certificates import (
    CertificateExistsError,
    Completion,
    Issuer,
    KeyFileError,
    ModuleResult,
    PdfError,
    credential_id,
    generate_key,
    issue,
    key_id,
    load_private_key,
    load_public_key,
    normalize_code,
    open_badge_credential,
    print_pdf,
    sign,
    verification_code,
    verify,
    verify_file,
)
from autograder.certificates.page import qr_svg
from tests.conftest import COURSE_ROOT

ISSUED_ON = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)
COURSE_TITLE = "Local governance, smart towns and open government"
ISSUER = Issuer("School of Public Administration", "https://school.example.org")
VERIFICATION_URL = "https://hub.example.org/hub/certificates"
OUTCOMES = (
    "Read a municipal budget and explain its balance",
    "Publish a dataset as open data, with its licence",
    "Plan a smart-town project with its risks & costs <and> its users",
)


def completion(**changes) -> Completion:
    """The completion the tests certify: three modules, one written answer assessed each way."""
    values = dict(
        learner_id="learner7",
        learner_name="Ada Lovelace",
        course_id="local-governance",
        course_title=COURSE_TITLE,
        modules=(
            ModuleResult("budgeting", "Municipal budgeting", 18, 25, "self"),
            ModuleResult("open_data", "Open data", 19.5, 20, "peers"),
            ModuleResult("smart_towns", "Smart towns", 10, 10, "instructor"),
        ),
        workload_hours=30,
        learning_outcomes=OUTCOMES,
        issued_on=ISSUED_ON,
        issuer=ISSUER,
        verification_url=VERIFICATION_URL,
    )
    return Completion(**{**values, **changes})


@pytest.fixture(scope="module")
def institution(tmp_path_factory) -> tuple[Path, Path]:
    """The institution's key pair (private, public), outside the repository."""
    return generate_key(tmp_path_factory.mktemp("institution") / "keys")


@pytest.fixture(scope="module")
def other_institution(tmp_path_factory) -> tuple[Path, Path]:
    return generate_key(tmp_path_factory.mktemp("other-institution"))


@pytest.fixture(scope="module")
def issued(institution, tmp_path_factory):
    """The certificate of `completion()`, issued once: JSON, HTML and PDF."""
    return issue(completion(), institution[0], tmp_path_factory.mktemp("issued") / "learner7")


def tampered(issued, tmp_path, change) -> Path:
    """A copy of the issued certificate.json after `change(document)`."""
    document = json.loads(issued.json_path.read_text(encoding="utf-8"))
    change(document)
    copy = tmp_path / "certificate.json"
    copy.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    return copy


# --- Checking a certificate ---------------------------------------------------------------------

def test_a_signed_certificate_verifies_with_the_institutions_public_key(issued, institution):
    verification = verify_file(issued.json_path, institution[1])
    assert verification.valid, verification.problems
    assert verification.problems == []
    assert verification.summary() == f"Valid: Ada Lovelace, {COURSE_TITLE}, issued 2026-12-01 by School of Public Administration"


def test_an_independent_open_badges_library_verifies_the_certificate_and_refuses_a_changed_one(issued, institution):
    from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier

    token = json.loads(issued.json_path.read_text(encoding="utf-8"))["proof"]["jwt"]
    credential = OB3Verifier(institution[1].read_bytes()).verify(token)
    assert credential is not None
    header, payload, signature = token.split(".")
    changed = payload[:40] + ("A" if payload[40] != "A" else "B") + payload[41:]
    with pytest.raises(OB3VerificationError):
        OB3Verifier(institution[1].read_bytes()).verify(".".join([header, changed, signature]))


def test_a_certificate_checked_with_another_institutions_key_fails_and_says_another_key_signed_it(issued, institution, other_institution):
    verification = verify_file(issued.json_path, other_institution[1])
    assert not verification.valid
    [problem] = verification.problems
    assert "signed by another key" in problem
    assert key_id(institution[1].read_bytes()) in problem and key_id(other_institution[1].read_bytes()) in problem


def test_a_certificate_changed_by_one_character_in_a_score_fails_and_says_what_changed(issued, institution, tmp_path):
    text = issued.json_path.read_text(encoding="utf-8")
    assert text.count('"value": "18 / 25"') == 1
    copy = tmp_path / "certificate.json"
    copy.write_text(text.replace('"value": "18 / 25"', '"value": "19 / 25"'), encoding="utf-8")
    verification = verify_file(copy, institution[1])
    assert not verification.valid
    assert "changed after it was signed" in verification.problems[0]
    assert verification.problems[1:] == ['credentialSubject.result[0].value: signed "18 / 25", the file says "19 / 25"']


def test_fields_added_to_or_removed_from_the_readable_certificate_are_each_named(issued, institution, tmp_path):
    def change(document):
        document["credentialSubject"]["achievement"]["description"] += " Proctored by the dean."
        del document["description"]
        document["credentialSubject"]["result"].append({"type": ["Result"], "value": "100 / 100"})
        document["honours"] = True

    problems = verify_file(tampered(issued, tmp_path, change), institution[1]).problems
    assert problems[1:] == [
        'description: signed "Certificate of completion of the course Local governance, smart towns and open…, '
        "missing from the file",
        'credentialSubject.achievement.description: signed "…e learner worked unsupervised.", '
        'the file says "…e learner worked unsupervised. Proctored by the dean."',
        'credentialSubject.result[4]: not signed, the file adds {"type": ["Result"], "value": "100 / 100"}',
        "honours: not signed, the file adds true",
    ]


def test_one_character_changed_inside_the_jwt_fails_and_says_the_signed_part_was_altered(issued, institution, tmp_path):
    def change(document):
        header, payload, signature = document["proof"]["jwt"].split(".")
        middle = len(payload) // 2
        payload = payload[:middle] + ("A" if payload[middle] != "A" else "B") + payload[middle + 1:]
        document["proof"]["jwt"] = ".".join([header, payload, signature])

    verification = verify_file(tampered(issued, tmp_path, change), institution[1])
    assert not verification.valid
    assert verification.problems == [
        "The signature does not match: the signed part of the certificate (proof.jwt) was altered after it was "
        "signed, so nothing in it can be trusted."
    ]


@pytest.mark.parametrize("change, message", [
    (lambda document: document.pop("proof"), "has no signature"),
    (lambda document: document.update(proof={"type": "JwtProof2020"}), "signature is damaged"),
    (lambda document: document.update(proof="signed"), "signature is damaged"),
    (lambda document: document["proof"].update(jwt="eyJhbGciOiJSUzI1NiJ9.garbled"), "is not a readable JWT"),
    (lambda document: document["proof"].update(jwt="e30K.e30K.AAAA"), "is not a readable JWT"),
])
def test_a_missing_or_garbled_proof_gets_its_own_message(issued, institution, tmp_path, change, message):
    verification = verify_file(tampered(issued, tmp_path, change), institution[1])
    assert not verification.valid
    [problem] = verification.problems
    assert message in problem


def test_the_certificate_as_a_bare_jwt_verifies_too(issued, institution, tmp_path):
    token = json.loads(issued.json_path.read_text(encoding="utf-8"))["proof"]["jwt"]
    (tmp_path / "certificate.jwt").write_text(token + "\n", encoding="utf-8")
    assert verify_file(tmp_path / "certificate.jwt", institution[1]).valid


def test_a_signature_with_another_algorithm_is_refused(issued, institution):
    credential = open_badge_credential(completion())
    forged = {**credential, "proof": {"type": "JwtProof2020", "jwt": jwt.encode({**credential, "iss": ISSUER.url}, "a shared secret of more than 32 bytes", algorithm="HS256")}}
    [problem] = verify(forged, institution[1].read_bytes()).problems
    assert "'HS256'" in problem and "RS256 only" in problem


def test_a_certificate_valid_only_from_a_date_to_come_is_refused(institution):
    tomorrow = completion(issued_on=datetime.now(timezone.utc) + timedelta(days=1))
    signed = sign(open_badge_credential(tomorrow), institution[0].read_bytes(), key_id(institution[1].read_bytes()))
    assert verify(signed, institution[1].read_bytes()).problems == [
        "The certificate is valid only from a date still to come. Check the date and time of this computer."
    ]


def test_claims_that_disagree_with_the_signed_credential_are_refused(institution):
    credential = open_badge_credential(completion())
    payload = {**credential, "iss": "https://forger.example.org", "jti": credential["id"],
               "sub": credential["credentialSubject"]["id"], "nbf": int(ISSUED_ON.timestamp()) - 60}
    token = jwt.encode(payload, institution[0].read_bytes(), algorithm="RS256",
                       headers={"kid": key_id(institution[1].read_bytes())})
    problems = verify({**credential, "proof": {"type": "JwtProof2020", "jwt": token}}, institution[1].read_bytes()).problems
    assert problems == [
        "The signature's 'iss' claim ('https://forger.example.org') differs from the signed issuer.id ('https://school.example.org').",
        "The signature's 'nbf' claim differs from the signed validFrom ('2026-12-01T09:30:00Z').",
    ]


# --- What the credential says -------------------------------------------------------------------

def test_the_credential_has_the_open_badges_3_contexts_types_and_every_field():
    credential = open_badge_credential(completion())
    assert credential["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert uuid.UUID(credential["id"].removeprefix("urn:uuid:")).version == 5
    assert credential["name"] == f"Certificate of completion: {COURSE_TITLE}"
    assert credential["issuer"] == {"id": ISSUER.url, "type": ["Profile"], "name": ISSUER.name, "url": ISSUER.url}
    assert credential["validFrom"] == "2026-12-01T09:30:00Z"
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", credential["verificationCode"])
    assert credential["verificationCode"] == verification_code(credential["id"])

    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["id"].startswith("urn:uuid:") and "learner7" not in json.dumps(credential)
    assert subject["identifier"] == [
        {"type": "IdentityObject", "identityHash": "Ada Lovelace", "identityType": "name", "hashed": False}
    ]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["id"].startswith("urn:uuid:")
    assert achievement["achievementType"] == "Certificate"
    assert achievement["name"] == COURSE_TITLE
    assert "Auto-graded, not proctored." in achievement["description"]
    assert "30 hours" in achievement["description"]
    assert all(f"- {outcome}" in achievement["criteria"]["narrative"] for outcome in OUTCOMES)

    descriptions = {description["id"]: description for description in achievement["resultDescription"]}
    assert all(description["type"] == ["ResultDescription"] for description in descriptions.values())
    results = subject["result"]
    assert [result["type"] for result in results] == [["Result"]] * 4
    assert [result["value"] for result in results[:3]] == ["18 / 25", "19.5 / 20", "10 / 10"]
    assert [descriptions[result["resultDescription"]]["resultType"] for result in results] == ["RawScore"] * 3 + ["Result"]
    assert results[3]["value"] == ("Written answers: Municipal budgeting: self-assessed by the learner; "
                                   "Open data: assessed by peers; Smart towns: assessed by an instructor.")


def test_the_signature_is_a_vc_jwt_with_the_header_and_claims_of_open_badges_3(institution):
    credential = open_badge_credential(completion())
    signed = sign(credential, institution[0].read_bytes(), key_id(institution[1].read_bytes()))
    token = signed["proof"]["jwt"]
    assert signed["proof"]["type"] == "JwtProof2020"
    assert {name: value for name, value in signed.items() if name != "proof"} == credential
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "typ": "JWT", "kid": key_id(institution[1].read_bytes())}
    claims = jwt.decode(token, institution[1].read_bytes(), algorithms=["RS256"])
    assert claims["iss"] == ISSUER.url
    assert claims["jti"] == credential["id"]
    assert claims["sub"] == credential["credentialSubject"]["id"]
    assert claims["nbf"] == int(ISSUED_ON.timestamp())
    assert claims["vc"] == credential  # where verifiers of the Data Model 1.1 read it
    assert {name: value for name, value in claims.items() if name not in {"iss", "jti", "sub", "nbf", "vc"}} == credential


def test_a_certificate_issued_again_the_same_day_keeps_its_id_and_code():
    first = open_badge_credential(completion())
    later = open_badge_credential(completion(issued_on=ISSUED_ON + timedelta(hours=5)))
    next_day = open_badge_credential(completion(issued_on=ISSUED_ON + timedelta(days=1)))
    someone_else = open_badge_credential(completion(learner_id="learner8"))
    assert (later["id"], later["verificationCode"]) == (first["id"], first["verificationCode"])
    assert len({first["id"], next_day["id"], someone_else["id"]}) == 3
    assert later["credentialSubject"]["achievement"] == someone_else["credentialSubject"]["achievement"]


def test_a_typed_verification_code_is_read_the_way_it_was_printed():
    code = verification_code(credential_id(completion()))
    assert normalize_code(code.lower().replace("-", " ")) == code
    assert normalize_code("oil01-23456") == "01101-23456"
    with pytest.raises(ValueError, match="printed under the QR code"):
        normalize_code("ABC")


def test_the_qr_link_adds_the_code_to_the_verification_page_address():
    assert completion().verification_link("N3TFA-MBB1J") == f"{VERIFICATION_URL}?code=N3TFA-MBB1J"
    with_query = completion(verification_url="https://hub.example.org/verify?course=lg&code=old")
    assert with_query.verification_link("N3TFA-MBB1J") == "https://hub.example.org/verify?course=lg&code=N3TFA-MBB1J"


def test_a_module_result_is_checked_when_it_is_made():
    with pytest.raises(ValueError, match="written_assessed_by is 'teacher'; it must be one of 'self', 'peers', 'instructor'"):
        ModuleResult("budgeting", "Municipal budgeting", 18, 25, "teacher")
    with pytest.raises(ValueError, match="outside 0 to 25 points"):
        ModuleResult("budgeting", "Municipal budgeting", 26, 25, "self")


@pytest.mark.parametrize("changes, message", [
    ({"issued_on": datetime(2026, 12, 1, 9, 30)}, "must say its time zone"),
    ({"verification_url": "hub.example.org/certificates"}, "must be a web address starting with https://"),
    ({"modules": ()}, "at least one module"),
    ({"learning_outcomes": ()}, "at least one learning outcome"),
])
def test_a_completion_that_cannot_be_certified_is_refused_with_a_message(changes, message):
    with pytest.raises(ValueError, match=message):
        completion(**changes)


# --- The printable certificate ------------------------------------------------------------------

def test_the_page_shows_everything_the_certificate_states(issued):
    html = issued.html_path.read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    text = " ".join(page.get_text(" ").split())
    assert page.html["lang"] == "en"
    assert page.h1.get_text() == "Certificate of completion"
    assert [h2.get_text() for h2 in page.find_all("h2")] == ["Modules and exercises", "Learning outcomes", "Check this certificate"]
    for expected in ["Ada Lovelace", COURSE_TITLE, "about 30 hours", "Auto-graded, not proctored.", "1 December 2026",
                     "School of Public Administration", ISSUER.url, issued.code, *OUTCOMES]:
        assert expected in text, expected
    rows = [[cell.get_text() for cell in row.find_all("td")] for row in page.find("tbody").find_all("tr")]
    assert rows == [
        ["Municipal budgeting", "18 / 25", "self-assessed by the learner"],
        ["Open data", "19.5 / 20", "assessed by peers"],
        ["Smart towns", "10 / 10", "assessed by an instructor"],
    ]
    assert "&lt;and&gt;" in html and "<and>" not in html  # values are escaped
    assert page.find("time")["datetime"] == "2026-12-01"


def test_the_page_needs_nothing_from_the_network_and_prints_on_a4_landscape(issued):
    html = issued.html_path.read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert page.find_all(["script", "link", "img", "iframe", "object"]) == []
    style = page.style.get_text()
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert "@page { size: A4 landscape;" in style
    assert page.find("svg") is not None


def contrast(foreground: str, background: str = "#ffffff") -> float:
    """The WCAG 2 contrast ratio of two colours given as #rrggbb."""
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_every_text_colour_of_the_page_has_enough_contrast_on_white(issued):
    style = BeautifulSoup(issued.html_path.read_text(encoding="utf-8"), "html.parser").style.get_text()
    colours = re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", style)
    assert colours
    assert all(contrast(colour) >= 7 for colour in colours), colours  # WCAG AAA for normal text


def test_the_qr_code_on_the_printed_page_opens_the_verification_page_with_the_code(issued, tmp_path):
    link = f"{VERIFICATION_URL}?code={issued.code}"
    assert qr_svg(link) in issued.html_path.read_text(encoding="utf-8")  # the SVG segno makes of that link
    screenshot = tmp_path / "page.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", "--hide-scrollbars", "--window-size=1123,794",
                        f"--screenshot={screenshot}", issued.html_path.as_uri()],
                       capture_output=True, timeout=120, check=True)
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(Image.open(screenshot))]
    assert decoded == [link]


def test_print_pdf_makes_a_real_pdf_of_one_a4_landscape_page(issued):
    pdf = issued.pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
    width, height = map(float, re.search(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points


def test_print_pdf_says_what_to_install_when_chromium_is_missing(issued, tmp_path):
    with pytest.raises(PdfError, match="apt-get install chromium"):
        print_pdf(issued.html_path, tmp_path / "certificate.pdf", chromium=tmp_path / "no-chromium")


@pytest.mark.parametrize("script, message", [
    ("sleep 60", "took more than 1 seconds to print the certificate and was stopped"),
    ("echo 'no display'", "did not print .* to PDF. What it said:\nno display"),
])
def test_print_pdf_says_when_chromium_hangs_or_prints_nothing(issued, tmp_path, script, message):
    chromium = tmp_path / "chromium"
    chromium.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    chromium.chmod(0o755)
    with pytest.raises(PdfError, match=message):
        print_pdf(issued.html_path, tmp_path / "certificate.pdf", chromium=chromium, timeout=1)
    assert not (tmp_path / "certificate.pdf").exists()


def test_issuing_the_same_certificate_again_changes_nothing(issued, institution):
    pdf_written = issued.pdf_path.stat().st_mtime_ns
    again = issue(completion(issued_on=ISSUED_ON), institution[0], issued.json_path.parent)
    assert again == issued
    assert issued.pdf_path.stat().st_mtime_ns == pdf_written


def test_a_different_certificate_is_never_written_over_an_issued_one(issued, institution):
    before = {path: path.read_bytes() for path in (issued.json_path, issued.html_path, issued.pdf_path)}
    better = completion(modules=(
        ModuleResult("budgeting", "Municipal budgeting", 25, 25, "self"),
        *completion().modules[1:],
    ))
    with pytest.raises(CertificateExistsError, match="already holds another certificate: its certificate.json and certificate.html differ"):
        issue(better, institution[0], issued.json_path.parent)
    assert {path: path.read_bytes() for path in before} == before


# --- The institution's key ----------------------------------------------------------------------

def test_a_new_key_is_rsa_3072_with_a_private_file_only_its_owner_reads(institution):
    private, public = institution
    assert (private.stat().st_mode & 0o777, public.stat().st_mode & 0o777) == (0o600, 0o644)
    key = serialization.load_pem_private_key(load_private_key(private), password=None)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 3072
    assert load_public_key(public) == public.read_bytes()


def test_keygen_refuses_a_folder_inside_the_repository():
    inside = COURSE_ROOT / "certificate-keys"
    with pytest.raises(KeyFileError, match="inside the git work tree .*: a private key there could be committed"):
        generate_key(inside)
    assert not inside.exists()


def test_keygen_refuses_a_folder_inside_any_git_work_tree(tmp_path):
    (tmp_path / ".git").mkdir()
    with pytest.raises(KeyFileError, match="Keep it outside every repository"):
        generate_key(tmp_path / "deploy" / "keys")


def test_keygen_never_replaces_a_key(institution):
    before = [path.read_bytes() for path in institution]
    with pytest.raises(KeyFileError, match="already exist: a key is never replaced"):
        generate_key(institution[0].parent)
    assert [path.read_bytes() for path in institution] == before


def test_a_private_key_readable_by_others_is_refused_with_the_chmod_to_run(institution, tmp_path):
    exposed = tmp_path / "institution-private.pem"
    shutil.copyfile(institution[0], exposed)
    exposed.chmod(0o644)
    with pytest.raises(KeyFileError, match=re.escape("can be read or changed by other users (mode 644)")) as refused:
        load_private_key(exposed)
    assert str(refused.value).endswith(f"run chmod 600 {exposed}")
    with pytest.raises(KeyFileError, match="chmod 600"):
        issue(completion(), exposed, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_keys_of_the_wrong_kind_are_explained(institution, tmp_path):
    public_as_private = tmp_path / "public-as-private.pem"
    shutil.copyfile(institution[1], public_as_private)
    public_as_private.chmod(0o600)
    elliptic = tmp_path / "ec.pem"
    elliptic.write_bytes(ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    elliptic.chmod(0o600)
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a key", encoding="utf-8")
    garbage.chmod(0o600)
    cases = [
        (load_public_key, institution[0], "is a private key. To check a certificate, use the institution's public key"),
        (load_private_key, public_as_private, "is a public key. Certificates are signed with the private key"),
        (load_private_key, elliptic, "is not an RSA key"),
        (load_private_key, garbage, "is not a private key in PEM format"),
        (load_public_key, garbage, "is not a public key in PEM format"),
        (load_private_key, tmp_path / "missing.pem", "There is no private key at .*autograder certificate keygen"),
        (load_public_key, tmp_path / "missing.pem", "There is no public key at .*published on the course site"),
    ]
    for load, path, message in cases:
        with pytest.raises(KeyFileError, match=message):
            load(path)


def test_the_key_id_is_the_rfc_7638_thumbprint_as_an_rfc_9278_uri():
    # The RSA key of RFC 7638, section 3.1, and the thumbprint the RFC gives for it.
    n = ("0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs"
         "tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5"
         "hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw")
    modulus = int.from_bytes(jwt.utils.base64url_decode(n), "big")
    pem = rsa.RSAPublicNumbers(65537, modulus).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert key_id(pem) == "urn:ietf:params:oauth:jwk-thumbprint:sha-256:NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


# --- The autograder certificate command ---------------------------------------------------------

def autograder(tool_environment, cwd, *arguments) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", "certificate", *map(str, arguments)],
                          cwd=cwd, env=tool_environment, capture_output=True, text=True, timeout=120)


def test_verify_exits_0_and_names_learner_course_date_and_issuer(issued, institution, tool_environment, tmp_path):
    run = autograder(tool_environment, tmp_path, "verify", issued.json_path, "--key", institution[1])
    assert (run.returncode, run.stdout, run.stderr) == (
        0, f"Valid: Ada Lovelace, {COURSE_TITLE}, issued 2026-12-01 by School of Public Administration\n", "")


def test_verify_exits_1_with_each_problem_on_its_own_line(issued, institution, tool_environment, tmp_path):
    def change(document):
        document["credentialSubject"]["result"][1]["value"] = "20 / 20"
        document["credentialSubject"]["identifier"][0]["identityHash"] = "Grace Hopper"

    copy = tampered(issued, tmp_path, change)
    run = autograder(tool_environment, tmp_path, "verify", copy, "--key", institution[1])
    lines = run.stdout.splitlines()
    assert run.returncode == 1
    assert lines[0] == f"Not valid: {copy}"
    assert "changed after it was signed" in lines[1]
    assert lines[2:] == ['credentialSubject.identifier[0].identityHash: signed "Ada Lovelace", the file says "Grace Hopper"',
                         'credentialSubject.result[1].value: signed "19.5 / 20", the file says "20 / 20"']


def test_verify_exits_2_with_a_message_when_the_file_or_the_key_cannot_be_read(issued, institution, tool_environment, tmp_path):
    missing_file = autograder(tool_environment, tmp_path, "verify", tmp_path / "nothing.json", "--key", institution[1])
    assert missing_file.returncode == 2
    assert missing_file.stderr == f"autograder: There is no file {tmp_path / 'nothing.json'}: check its name and folder.\n"
    missing_key = autograder(tool_environment, tmp_path, "verify", issued.json_path, "--key", tmp_path / "public.pem")
    assert missing_key.returncode == 2
    assert "There is no public key at" in missing_key.stderr


def test_keygen_makes_a_key_outside_the_repository_and_refuses_one_inside(tool_environment, tmp_path):
    refused = autograder(tool_environment, tmp_path, "keygen", "--out", COURSE_ROOT / "keys")
    assert refused.returncode == 2
    assert "is inside the git work tree" in refused.stderr and "--out /etc/local-governance/certificates" in refused.stderr
    made = autograder(tool_environment, tmp_path, "keygen", "--out", tmp_path / "keys")
    assert made.returncode == 0, made.stderr
    public = tmp_path / "keys" / "institution-public.pem"
    assert f"Key id (kid): {key_id(public.read_bytes())}" in made.stdout
    assert (tmp_path / "keys" / "institution-private.pem").stat().st_mode & 0o777 == 0o600
