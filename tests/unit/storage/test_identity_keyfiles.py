"""Key files: 0600 from the first byte, atomic, sealed with a passphrase, refused when open."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline.protocol import NodeSecretKey, PartySecretKeys
from hotline.storage import keyfiles
from hotline.storage.keyfiles import (
    DEFAULT_KDF,
    KdfParams,
    KeyFileError,
    KeyFileExistsError,
    KeyFilePermissionError,
    PassphraseRequiredError,
    WrongPassphraseError,
    make_private_directory,
    read_node_key,
    read_party_keys,
    read_passphrase_file,
    read_secret,
    write_node_key,
    write_party_keys,
    write_public,
    write_secret,
)

CHEAP = KdfParams(iterations=1, lanes=1, memory_kib=8)  # tests only; the default is untouched


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def wide_umask() -> Iterator[None]:
    """A umask that lets everyone read new files: the key writer must not rely on it."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_node_key_round_trips_with_mode_0600(tmp_path: Path, wide_umask: None) -> None:
    key = NodeSecretKey.generate("US", "hq")
    path = tmp_path / "node-hq.key"
    write_node_key(path, key)
    assert _mode(path) == 0o600
    again = read_node_key(path)
    assert (again.party, again.node, again.key_id) == ("US", "hq", key.key_id)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["node-hq.key"]  # no temporary left


def test_the_file_is_0600_while_its_secret_is_being_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wide_umask: None
) -> None:
    """Observe the real temporary file at fsync time: already 0600, not yet at its name."""
    seen: list[tuple[int, int]] = []
    real_fsync = os.fsync

    def observing_fsync(fd: int) -> None:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode):
            seen.append((stat.S_IMODE(info.st_mode), info.st_size))
        real_fsync(fd)

    monkeypatch.setattr(keyfiles.os, "fsync", observing_fsync)
    write_secret(tmp_path / "k", b"x" * 100)
    assert seen
    assert all(mode == 0o600 for mode, _ in seen)
    assert seen[0][1] > 100  # the whole secret was in the file while it was 0600


def test_existing_key_is_never_replaced_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "party.key"
    first = PartySecretKeys.generate("US")
    write_party_keys(path, first)
    before = path.read_bytes()
    with pytest.raises(KeyFileExistsError, match="refusing to replace"):
        write_party_keys(path, PartySecretKeys.generate("US"))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["party.key"]
    second = PartySecretKeys.generate("US")
    write_party_keys(path, second, overwrite=True)
    assert read_party_keys(path).public_keys().same_keys(second.public_keys())


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o666])
def test_key_file_open_to_others_is_refused_with_the_fix(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "node.key"
    write_node_key(path, NodeSecretKey.generate("US", "hq"))
    path.chmod(mode)
    with pytest.raises(KeyFilePermissionError, match=f"fix with: chmod 600 {path}"):
        read_node_key(path)


def test_read_only_owner_mode_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "node.key"
    write_node_key(path, NodeSecretKey.generate("US", "hq"))
    path.chmod(0o400)
    assert read_node_key(path).node == "hq"


def test_sealed_key_needs_its_passphrase(tmp_path: Path) -> None:
    keys = PartySecretKeys.generate("US")
    path = tmp_path / "party.key"
    write_party_keys(path, keys, passphrase=b"correct horse", kdf=CHEAP)
    text = path.read_text()
    assert keys.to_bytes().decode() not in text
    assert json.loads(text)["encryption"]["kdf"] == "argon2id"
    again = read_party_keys(path, passphrase=b"correct horse")
    assert again.public_keys().same_keys(keys.public_keys())
    with pytest.raises(WrongPassphraseError, match="wrong passphrase") as caught:
        read_party_keys(path, passphrase=b"correct horse ")
    assert str(caught.value).count("\n") == 0
    with pytest.raises(PassphraseRequiredError, match="--passphrase-file"):
        read_party_keys(path)


def test_unsealed_key_ignores_no_passphrase_and_empty_passphrase_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="passphrase is empty"):
        write_secret(tmp_path / "k", b"s", passphrase=b"", kdf=CHEAP)
    assert not (tmp_path / "k").exists()


def test_default_kdf_is_rfc9106_second_option_and_is_what_gets_written(tmp_path: Path) -> None:
    assert KdfParams(iterations=3, lanes=4, memory_kib=65536) == DEFAULT_KDF
    path = tmp_path / "k"
    write_secret(path, b"secret", passphrase=b"pw")
    params = json.loads(path.read_text())["encryption"]
    assert (params["iterations"], params["lanes"], params["memory_kib"]) == (3, 4, 65536)
    assert read_secret(path, passphrase=b"pw") == b"secret"


def test_altered_parameters_are_detected_as_alteration(tmp_path: Path) -> None:
    path = tmp_path / "k"
    write_secret(path, b"secret", passphrase=b"pw", kdf=CHEAP)
    document = json.loads(path.read_text())
    document["encryption"]["iterations"] = 2
    path.write_text(json.dumps(document, separators=(",", ":"), sort_keys=True) + "\n")
    path.chmod(0o600)
    with pytest.raises(WrongPassphraseError, match="altered"):
        read_secret(path, passphrase=b"pw")


def test_hostile_kdf_parameters_are_refused_before_deriving(tmp_path: Path) -> None:
    path = tmp_path / "k"
    write_secret(path, b"secret", passphrase=b"pw", kdf=CHEAP)
    document = json.loads(path.read_text())
    document["encryption"]["memory_kib"] = 1 << 40
    path.write_text(json.dumps(document, separators=(",", ":"), sort_keys=True) + "\n")
    path.chmod(0o600)
    with pytest.raises(KeyFileError, match="Argon2id memory"):
        read_secret(path, passphrase=b"pw")


def test_wrong_kind_of_key_and_garbage_are_clear_errors(tmp_path: Path) -> None:
    path = tmp_path / "node.key"
    write_node_key(path, NodeSecretKey.generate("US", "hq"))
    with pytest.raises(KeyFileError, match="does not hold party keys"):
        read_party_keys(path)
    garbage = tmp_path / "garbage"
    write_secret(garbage, b"")
    garbage.write_bytes(b"\x00\xff not json")
    with pytest.raises(KeyFileError, match="not a hotline key file"):
        read_secret(garbage)
    with pytest.raises(KeyFileError, match="no such file"):
        read_secret(tmp_path / "missing")
    make_private_directory(tmp_path / "dir")
    with pytest.raises(KeyFileError, match="not a regular file"):
        read_secret(tmp_path / "dir")


def test_passphrase_file_is_private_and_trimmed(tmp_path: Path) -> None:
    path = tmp_path / "pass"
    write_secret(path, b"")  # any 0600 file will do
    path.write_bytes(b"s3cret phrase\n")
    assert read_passphrase_file(path) == b"s3cret phrase"
    path.write_bytes(b"\n")
    with pytest.raises(KeyFileError, match="empty"):
        read_passphrase_file(path)
    path.chmod(0o644)
    with pytest.raises(KeyFilePermissionError, match="chmod 600"):
        read_passphrase_file(path)


def test_key_directory_is_0700_and_an_open_one_is_refused(tmp_path: Path, wide_umask: None) -> None:
    home = tmp_path / "home" / "keys"
    make_private_directory(home)
    assert _mode(home) == 0o700
    home.chmod(0o755)
    with pytest.raises(KeyFilePermissionError, match="chmod 700"):
        make_private_directory(home)


def test_public_files_are_0644_and_replaced_atomically(tmp_path: Path, wide_umask: None) -> None:
    path = tmp_path / "US.card"
    write_public(path, b"one\n")
    write_public(path, b"two\n")
    assert path.read_bytes() == b"two\n"
    assert _mode(path) == 0o644
    with pytest.raises(KeyFileExistsError):
        write_public(path, b"three\n", overwrite=False)


def test_a_key_file_edited_in_any_byte_is_refused(tmp_path: Path) -> None:
    """Even whitespace: a key file has one byte form, so an edit is never silently ignored."""
    path = tmp_path / "k"
    write_secret(path, b"secret", passphrase=b"pw", kdf=CHEAP)
    path.write_bytes(path.read_bytes()[:-1] + b"\r")
    path.chmod(0o600)
    with pytest.raises(KeyFileError, match="not in canonical form"):
        read_secret(path, passphrase=b"pw")


@pytest.mark.parametrize("field", ["secret", "salt"])
def test_unused_bits_of_a_base64_field_cannot_be_changed(tmp_path: Path, field: str) -> None:
    """base64's last character carries bits a decoder ignores (strict or not): flipping them
    decodes to the same bytes, so the file's bytes would change unnoticed. Refused instead."""
    path = tmp_path / "k"
    write_secret(path, b"secret!", passphrase=b"pw", kdf=CHEAP)
    document = json.loads(path.read_bytes())
    holder = document if field == "secret" else document["encryption"]
    text = holder[field]
    body = text.rstrip("=")
    assert len(body) % 4 != 0, "needs padding to have unused bits"
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = alphabet.index(body[-1])
    holder[field] = body[:-1] + alphabet[last ^ 1] + text[len(body) :]
    path.write_bytes(json.dumps(document, separators=(",", ":"), sort_keys=True).encode() + b"\n")
    path.chmod(0o600)
    with pytest.raises(KeyFileError, match="not canonical base64"):
        read_secret(path, passphrase=b"pw")
