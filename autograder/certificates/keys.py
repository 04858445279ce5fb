"""The institution's signing key: made once, kept secret outside the repository, loaded with checks.

Certificates are signed with RS256 (RSA, SHA-256), the algorithm that every Open Badges 3.0
verifier supports. :func:`generate_key` writes a 3072-bit RSA key pair as PEM files:

- ``institution-private.pem``, mode 0600: it signs certificates; only its owner (root, who runs
  the grading service) may read it, and it never enters the repository, where it could be
  committed and published;
- ``institution-public.pem``, mode 0644: anyone may have it to check certificates; publish it on
  the course site.

:func:`key_id` names a public key by its JWK thumbprint (RFC 7638, SHA-256) written as a URI
(RFC 9278, ``urn:ietf:params:oauth:jwk-thumbprint:sha-256:...``): the JOSE header's ``kid`` of
every certificate, so that after a key is replaced one can tell which public key checks an older
certificate. The loaders refuse, with a message saying what to do, a missing file, a file that
is not the expected kind of key, and a private key that other users could read.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from autograder.certificates.errors import KeyFileError

PRIVATE_NAME = "institution-private.pem"
PUBLIC_NAME = "institution-public.pem"
KEY_BITS = 3072
MINIMUM_BITS = 2048  # RS256 with a shorter RSA key is refused by RFC 7518
PRIVATE_MODE, PUBLIC_MODE = 0o600, 0o644
EXAMPLE_FOLDER = "/etc/local-governance/certificates"
KEYGEN = f"autograder certificate keygen --out {EXAMPLE_FOLDER}"
#: The folder that holds the ``autograder`` package: the course's repository, or site-packages.
PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def generate_key(directory: Path) -> tuple[Path, Path]:
    """Write a new key pair into ``directory`` (made if missing, mode 0700); return (private, public).

    Refuses a folder inside a git work tree or the folder of the course's package, and never
    replaces an existing key file: certificates signed with it could no longer be checked.
    """
    directory = Path(directory).expanduser().absolute()
    refuse_inside_repository(directory)
    private_path, public_path = directory / PRIVATE_NAME, directory / PUBLIC_NAME
    existing = [str(path) for path in (private_path, public_path) if path.exists() or path.is_symlink()]
    if existing:
        raise KeyFileError(
            f"{' and '.join(existing)} already exist{'s' if len(existing) == 1 else ''}: a key is never "
            "replaced, because the certificates it signed could no longer be checked. To change keys, "
            "make the new one in a new folder and keep publishing the old public key (see 'Certificates: "
            "the institution's signing key' in the hosting guide)."
        )
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    write_new(private_path, private_pem, PRIVATE_MODE)
    try:
        write_new(public_path, public_pem(private_pem), PUBLIC_MODE)
    except BaseException:
        private_path.unlink()  # no private key without its public one
        raise
    return private_path, public_path


def refuse_inside_repository(directory: Path) -> None:
    """Raise KeyFileError when ``directory`` is in a git work tree or in the package's own folder."""
    resolved = directory.resolve()
    for folder in (resolved, *resolved.parents):
        if (folder / ".git").exists():
            raise KeyFileError(
                f"{directory} is inside the git work tree {folder}: a private key there could be committed "
                f"and published. Keep it outside every repository, for example: {KEYGEN}"
            )
    if resolved == PACKAGE_ROOT or PACKAGE_ROOT in resolved.parents:
        raise KeyFileError(
            f"{directory} is inside {PACKAGE_ROOT}, the folder of the course's code. Keep the key outside "
            f"it, for example: {KEYGEN}"
        )


def write_new(path: Path, content: bytes, mode: int) -> None:
    """Create ``path`` with ``mode`` and write ``content``; fail if it exists (no overwrite, no race)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), mode)  # the umask may have removed bits of 0644
        file.write(content)


def load_private_key(path: Path) -> bytes:
    """The PEM of the institution's RSA private key at ``path``, after checking who can read it."""
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        raise KeyFileError(
            f"There is no private key at {path}. If the institution has no key yet, make one with: {KEYGEN}"
        ) from None
    if path.is_dir():
        raise KeyFileError(f"{path} is a folder; give the private key file in it ({PRIVATE_NAME}).")
    if mode & 0o077:
        raise KeyFileError(
            f"The private key {path} can be read or changed by other users (mode {mode:03o}): anyone who "
            f"reads it can sign certificates in the institution's name. Only its owner may read it: run "
            f"chmod 600 {path}"
        )
    data = read(path, "private key", f"If the institution has no key yet, make one with: {KEYGEN}")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise KeyFileError(
            f"The private key {path} is protected by a password. The grading service signs without anyone "
            f"present, so it needs a key without one, readable by root only: {KEYGEN}"
        ) from None
    except ValueError:
        if b"PUBLIC KEY" in data:
            raise KeyFileError(
                f"{path} is a public key. Certificates are signed with the private key ({PRIVATE_NAME})."
            ) from None
        raise KeyFileError(
            f"{path} is not a private key in PEM format (a text file starting with -----BEGIN PRIVATE KEY-----)."
        ) from None
    require_rsa(key, path)
    return data


def load_public_key(path: Path) -> bytes:
    """The PEM of the RSA public key at ``path``, that checks the institution's certificates."""
    path = Path(path)
    if path.is_dir():
        raise KeyFileError(f"{path} is a folder; give the public key file ({PUBLIC_NAME}).")
    data = read(path, "public key", f"Use the institution's public key ({PUBLIC_NAME}), published on the course site.")
    return public_key_of(data, str(path))


def public_key_of(data: bytes, where: str = "The key") -> bytes:
    """Check that ``data`` is an RSA public key in PEM; return it (``where`` names it in messages)."""
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        if b"PRIVATE KEY" in data:
            raise KeyFileError(
                f"{where} is a private key. To check a certificate, use the institution's public key "
                f"({PUBLIC_NAME}); a private key must never leave the institution."
            ) from None
        raise KeyFileError(
            f"{where} is not a public key in PEM format (a text file starting with -----BEGIN PUBLIC KEY-----)."
        ) from None
    require_rsa(key, where)
    return data


def read(path: Path, what: str, where_to_find: str) -> bytes:
    """The bytes of a key file, or KeyFileError saying why it cannot be read (and ``where_to_find`` it)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"There is no {what} at {path}. {where_to_find}") from None
    except PermissionError:
        raise KeyFileError(
            f"You may not read the {what} {path}. Run the command as the key's owner (root for the "
            "institution's private key)."
        ) from None
    except OSError as error:
        raise KeyFileError(f"The {what} {path} cannot be read: {error.strerror}.") from None


def require_rsa(key, where) -> None:
    """Refuse a key that RS256 cannot use: not RSA, or shorter than 2048 bits."""
    if not isinstance(key, (rsa.RSAPrivateKey, rsa.RSAPublicKey)):
        raise KeyFileError(
            f"{where} is not an RSA key. Certificates are signed with RS256, which needs RSA; make a key with: {KEYGEN}"
        )
    if key.key_size < MINIMUM_BITS:
        raise KeyFileError(f"{where} is an RSA key of {key.key_size} bits; RS256 needs at least {MINIMUM_BITS}.")


def public_pem(private_pem: bytes) -> bytes:
    """The public key (PEM, SubjectPublicKeyInfo) of a private key given as PEM."""
    key = serialization.load_pem_private_key(private_pem, password=None)
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def key_id(public_pem: bytes) -> str:
    """The key's RFC 9278 URI: ``urn:ietf:params:oauth:jwk-thumbprint:sha-256:`` and its JWK thumbprint.

    The thumbprint (RFC 7638) is the SHA-256 of the key's required JWK members (``e``, ``kty``,
    ``n``) as compact JSON in that order, base64url without padding: the same key always has the
    same id, whatever file or format it comes in.
    """
    numbers = serialization.load_pem_public_key(public_pem).public_numbers()
    members = {"e": base64url(numbers.e), "kty": "RSA", "n": base64url(numbers.n)}
    digest = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode("ascii")).digest()
    return "urn:ietf:params:oauth:jwk-thumbprint:sha-256:" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def base64url(number: int) -> str:
    """An unsigned integer as JWK writes it: big-endian bytes, base64url without padding."""
    octets = number.to_bytes(max(1, (number.bit_length() + 7) // 8), "big")
    return base64.urlsafe_b64encode(octets).rstrip(b"=").decode("ascii")
