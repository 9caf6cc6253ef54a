"""Private keys on disk: mode 0600 from the first byte, optionally sealed with a passphrase.

A key file is one line of JSON (ASCII) and a newline::

    {"encryption":null,"secret":"<base64>","type":"hotline.keyfile/1"}
    {"encryption":{"aead":"chacha20-poly1305","iterations":3,"kdf":"argon2id","lanes":4,
      "memory_kib":65536,"nonce":"<base64>","salt":"<base64>"},"secret":"<base64>",...}

``secret`` holds ``PartySecretKeys.to_bytes()`` or ``NodeSecretKey.to_bytes()``, in the clear or
sealed: Argon2id (RFC 9106) derives a 32-byte key from the passphrase, and ChaCha20-Poly1305
encrypts with every other field of the line as associated data, so the parameters cannot be
altered either. A wrong passphrase and a corrupted file look the same to an AEAD: one error says
so.

Files are written atomically: a temporary file created with ``O_CREAT|O_EXCL`` and mode 0600
(never readable by others, not even for an instant), written, fsynced, then linked into place
(refusing to replace an existing key unless asked) and the directory fsynced. A key file that
group or others can read, or that another user owns, is refused on load.
"""

from __future__ import annotations

import binascii
import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from hotline.errors import KeyMaterialError
from hotline.protocol.identity_errors import MalformedStatementError
from hotline.protocol.keys import NodeSecretKey, PartySecretKeys

KEYFILE_TYPE = "hotline.keyfile/1"
MAX_KEYFILE_BYTES = 64 * 1024
SECRET_MODE = 0o600
PUBLIC_MODE = 0o644
_SALT_BYTES = 16
_NONCE_BYTES = 12


class KeyFileError(KeyMaterialError):
    """A key file that cannot be written or used."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"key file {path}: {reason}")


class KeyFilePermissionError(KeyFileError):
    """A key file others could read (or another user owns): refused until fixed."""


class KeyFileExistsError(KeyFileError):
    """Refused to replace an existing key file."""


class PassphraseRequiredError(KeyFileError):
    """The key file is encrypted and no passphrase was given."""


class WrongPassphraseError(KeyFileError):
    """The passphrase does not open the key file (or the file was altered)."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The default is RFC 9106's second recommended option (64 MiB, t=3, p=4)."""

    iterations: int = 3
    lanes: int = 4
    memory_kib: int = 64 * 1024

    def check(self, path: Path) -> None:
        # Bounds keep a hostile file from asking for unbounded memory or time.
        if not (1 <= self.iterations <= 64 and 1 <= self.lanes <= 64):
            raise KeyFileError(path, "Argon2id iterations and lanes must be 1..64")
        if not 8 * self.lanes <= self.memory_kib <= 4 * 1024 * 1024:
            raise KeyFileError(path, "Argon2id memory must be 8 KiB per lane .. 4 GiB")

    def derive(self, passphrase: bytes, salt: bytes) -> bytes:
        return Argon2id(
            salt=salt,
            length=32,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        ).derive(passphrase)


DEFAULT_KDF = KdfParams()


def _canonical(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=True).encode()


def _b64(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).decode("ascii")


def _unb64(text: object, path: Path, name: str) -> bytes:
    if not isinstance(text, str):
        raise KeyFileError(path, f"field {name} must be a base64 string")
    try:
        data = binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise KeyFileError(path, f"field {name} is not valid base64") from None
    # strict_mode still ignores the unused low bits of the last character ("QQ==" and "QR=="
    # are both b"A"): only the one canonical spelling is accepted, so no edit goes unnoticed
    if _b64(data) != text:
        raise KeyFileError(path, f"field {name} is not canonical base64: the file was altered")
    return data


def seal(
    secret: bytes, passphrase: bytes | None, kdf: KdfParams = DEFAULT_KDF, *, path: Path
) -> bytes:
    """The key-file bytes for ``secret``: in the clear, or sealed with ``passphrase``."""
    if passphrase is None:
        return (
            _canonical({"type": KEYFILE_TYPE, "encryption": None, "secret": _b64(secret)}) + b"\n"
        )
    if not passphrase:
        raise KeyFileError(path, "the passphrase is empty")
    kdf.check(path)
    salt = secrets.token_bytes(_SALT_BYTES)
    nonce = secrets.token_bytes(_NONCE_BYTES)
    header: dict[str, object] = {
        "type": KEYFILE_TYPE,
        "encryption": {
            "kdf": "argon2id",
            "iterations": kdf.iterations,
            "lanes": kdf.lanes,
            "memory_kib": kdf.memory_kib,
            "salt": _b64(salt),
            "aead": "chacha20-poly1305",
            "nonce": _b64(nonce),
        },
    }
    sealed = ChaCha20Poly1305(kdf.derive(passphrase, salt)).encrypt(
        nonce, secret, _canonical(header)
    )
    return _canonical({**header, "secret": _b64(sealed)}) + b"\n"


def is_sealed(data: bytes, *, path: Path) -> bool:
    """Whether key-file bytes need a passphrase."""
    return _parse(data, path)[0] is not None


def _parse(data: bytes, path: Path) -> tuple[dict[str, object] | None, bytes]:
    try:
        document = json.loads(data.decode("ascii"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise KeyFileError(path, "not a hotline key file (not ASCII JSON)") from None
    if not isinstance(document, dict) or document.get("type") != KEYFILE_TYPE:
        raise KeyFileError(path, f"not a hotline key file (type is not {KEYFILE_TYPE})")
    if set(document) != {"type", "encryption", "secret"}:
        raise KeyFileError(path, "unexpected or missing fields")
    if data != _canonical(document) + b"\n":  # one byte form: any edit is refused, not ignored
        raise KeyFileError(path, "not in canonical form: the file was altered")
    encryption = document["encryption"]
    if encryption is not None and not isinstance(encryption, dict):
        raise KeyFileError(path, "field encryption must be an object or null")
    return encryption, _unb64(document["secret"], path, "secret")


def unseal(data: bytes, passphrase: bytes | None, *, path: Path) -> bytes:
    """The secret inside key-file bytes; raises a KeyFileError subclass that says what to do."""
    encryption, secret = _parse(data, path)
    if encryption is None:
        return secret
    if passphrase is None:
        raise PassphraseRequiredError(
            path, "it is encrypted: give its passphrase (e.g. --passphrase-file FILE)"
        )
    expected = {"kdf", "iterations", "lanes", "memory_kib", "salt", "aead", "nonce"}
    if set(encryption) != expected or (encryption["kdf"], encryption["aead"]) != (
        "argon2id",
        "chacha20-poly1305",
    ):
        raise KeyFileError(path, "unsupported encryption (expected argon2id + chacha20-poly1305)")
    iterations, lanes, memory_kib = (encryption[k] for k in ("iterations", "lanes", "memory_kib"))
    if not (type(iterations) is int and type(lanes) is int and type(memory_kib) is int):
        raise KeyFileError(path, "Argon2id parameters must be integers")
    kdf = KdfParams(iterations, lanes, memory_kib)
    kdf.check(path)
    salt = _unb64(encryption["salt"], path, "salt")
    nonce = _unb64(encryption["nonce"], path, "nonce")
    if len(nonce) != _NONCE_BYTES or len(salt) < 8:
        raise KeyFileError(path, "bad salt or nonce length")
    header = {"type": KEYFILE_TYPE, "encryption": encryption}
    try:
        return ChaCha20Poly1305(kdf.derive(passphrase, salt)).decrypt(
            nonce, secret, _canonical(header)
        )
    except InvalidTag:
        raise WrongPassphraseError(
            path, "wrong passphrase (or the file was altered): nothing was decrypted"
        ) from None


# --- files ----------------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes, *, mode: int, overwrite: bool) -> None:
    """Write ``data`` to ``path`` atomically with ``mode``; never visible with wider permissions."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(temporary, flags, mode)
    try:
        try:
            os.fchmod(fd, mode)  # the umask may have removed bits; it can never have added any
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails if path exists: never replaces a key by accident
            os.unlink(temporary)
    except FileExistsError:
        os.unlink(temporary)
        raise KeyFileExistsError(path, "already exists; refusing to replace it") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_private(path: Path, *, max_bytes: int = MAX_KEYFILE_BYTES) -> bytes:
    """Read a secret file; refuse it if group or others have any access, or another user owns it."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise KeyFileError(path, "no such file") from None
    except OSError as exc:
        raise KeyFileError(path, f"cannot open ({exc.strerror})") from None
    try:
        info = os.fstat(fd)  # the file actually opened, not whatever the name points to later
        if not stat.S_ISREG(info.st_mode):
            raise KeyFileError(path, "not a regular file")
        if info.st_mode & 0o077:
            raise KeyFilePermissionError(
                path,
                f"permissions {stat.filemode(info.st_mode)} let other users read it; "
                f"fix with: chmod 600 {path}",
            )
        if info.st_uid != os.geteuid():
            raise KeyFilePermissionError(
                path, f"owned by user id {info.st_uid}, not by you; fix with: chown $USER {path}"
            )
        if info.st_size > max_bytes:
            raise KeyFileError(path, f"{info.st_size} bytes, larger than {max_bytes}")
        chunks: list[bytes] = []
        while chunk := os.read(fd, max_bytes + 1):
            chunks.append(chunk)
        data = b"".join(chunks)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise KeyFileError(path, f"larger than {max_bytes} bytes")
    return data


def make_private_directory(path: Path) -> None:
    """Create ``path`` (and parents) with mode 0700; an existing one must not be open to others."""
    path = Path(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        raise KeyFilePermissionError(
            path, f"the key directory is open to other users; fix with: chmod 700 {path}"
        )


def read_passphrase_file(path: Path) -> bytes:
    """A passphrase from a file (one trailing newline ignored); the file must be mode 0600."""
    data = read_private(Path(path), max_bytes=4096)
    passphrase = data.removesuffix(b"\n").removesuffix(b"\r")
    if not passphrase:
        raise KeyFileError(Path(path), "the passphrase file is empty")
    return passphrase


def write_secret(
    path: Path,
    secret: bytes,
    *,
    passphrase: bytes | None = None,
    kdf: KdfParams = DEFAULT_KDF,
    overwrite: bool = False,
) -> None:
    """Write a key file (mode 0600), sealed if a passphrase is given."""
    path = Path(path)
    write_atomic(
        path, seal(secret, passphrase, kdf, path=path), mode=SECRET_MODE, overwrite=overwrite
    )


def read_secret(path: Path, *, passphrase: bytes | None = None) -> bytes:
    path = Path(path)
    return unseal(read_private(path), passphrase, path=path)


def write_party_keys(
    path: Path,
    keys: PartySecretKeys,
    *,
    passphrase: bytes | None = None,
    kdf: KdfParams = DEFAULT_KDF,
    overwrite: bool = False,
) -> None:
    write_secret(path, keys.to_bytes(), passphrase=passphrase, kdf=kdf, overwrite=overwrite)


def read_party_keys(path: Path, *, passphrase: bytes | None = None) -> PartySecretKeys:
    secret = read_secret(path, passphrase=passphrase)
    try:
        return PartySecretKeys.from_bytes(secret)
    except MalformedStatementError as exc:
        raise KeyFileError(Path(path), f"does not hold party keys ({exc})") from None


def write_node_key(
    path: Path,
    key: NodeSecretKey,
    *,
    passphrase: bytes | None = None,
    kdf: KdfParams = DEFAULT_KDF,
    overwrite: bool = False,
) -> None:
    write_secret(path, key.to_bytes(), passphrase=passphrase, kdf=kdf, overwrite=overwrite)


def read_node_key(path: Path, *, passphrase: bytes | None = None) -> NodeSecretKey:
    secret = read_secret(path, passphrase=passphrase)
    try:
        return NodeSecretKey.from_bytes(secret)
    except MalformedStatementError as exc:
        raise KeyFileError(Path(path), f"does not hold a node key ({exc})") from None


def write_public(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write a public file (card, rotation, revocation) atomically, mode 0644."""
    write_atomic(Path(path), data, mode=PUBLIC_MODE, overwrite=overwrite)


__all__ = [
    "DEFAULT_KDF",
    "KdfParams",
    "KeyFileError",
    "KeyFileExistsError",
    "KeyFilePermissionError",
    "PassphraseRequiredError",
    "WrongPassphraseError",
    "is_sealed",
    "make_private_directory",
    "read_node_key",
    "read_party_keys",
    "read_passphrase_file",
    "read_private",
    "read_secret",
    "seal",
    "unseal",
    "write_atomic",
    "write_node_key",
    "write_party_keys",
    "write_public",
    "write_secret",
]
