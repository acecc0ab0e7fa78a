"""keygen / sign / verify / trust on hostile paths and corrupt keys and signatures: a
FIFO as a key or signature (a hang), /dev/zero (an OOM kill), a folder or a missing
folder as output (tracebacks), `keygen ../x` (writes outside --dir). Nothing the user had
is lost: a failed sign leaves the module, a refused keygen the old key."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tests.wat import wat
from workbench.cli import main
from workbench.core.errors import WorkbenchError
from workbench.core.sign import keys as K
from workbench.core.sign.signer import sign
from workbench.core.sign.verify import verify

MODULE = wat('(module (func (export "f")))')


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.wasm").write_bytes(MODULE)
    os.mkfifo(tmp_path / "fifo")
    assert main(["keygen", "k"]) == 0
    return tmp_path


@pytest.mark.parametrize("args,words", [
    (["sign", "m.wasm", "--key", "fifo"], "cannot read key file: not a regular file (a FIFO)"),
    (["sign", "m.wasm", "--key", "/dev/zero"], "not a regular file (a character device)"),
    (["sign", "m.wasm", "--key", "k.key", "--detached", "fifo"], "cannot read signature"),
    (["sign", "m.wasm", "--key", "k.key", "--detached", "."], "not a regular file (a folder)"),
    (["sign", "m.wasm", "--key", "k.key", "-o", "."], "cannot write"),
    (["verify", "m.wasm", "--key", "fifo"], "not a regular file (a FIFO)"),
    (["verify", "m.wasm", "--key", "k.pub", "--detached", "fifo"], "cannot read signature"),
    (["keygen", "../outside"], "cannot be a key name"),
    (["keygen", ""], "cannot be a key name"),
    (["keygen", "x", "--dir", "m.wasm"], "is not a folder"),
])
def test_refused_with_a_message(here: Path, capsys, args: list[str], words: str) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert (here / "m.wasm").read_bytes() == MODULE
    assert not (here.parent / "outside.key").exists()


def test_sign_to_a_new_folder_creates_it(here: Path) -> None:
    assert main(["sign", "m.wasm", "--key", "k.key", "-o", "out/signed.wasm"]) == 0
    assert main(["verify", "out/signed.wasm", "--key", "k.pub"]) == 0


def test_keygen_force_never_replaces_a_folder(here: Path, capsys) -> None:
    (here / "d.key").mkdir()
    assert main(["keygen", "d", "--force"]) == 2
    assert "not a file" in capsys.readouterr().err and (here / "d.key").is_dir()


def test_keygen_force_replaces_both_files(here: Path) -> None:
    old = (here / "k.key").read_bytes()
    assert main(["keygen", "k", "--force"]) == 0
    assert (here / "k.key").read_bytes() != old
    assert K.load_secret(here / "k.key").public == K.load_public(here / "k.pub")
    assert oct((here / "k.key").stat().st_mode & 0o777) == "0o600"
    assert not [p for p in here.iterdir() if p.name.endswith(".tmp")]


def test_trust_records_in_a_config_folder_that_is_a_file(tmp_path: Path, capsys,
                                                        monkeypatch) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "module.toml").write_text('toolchain = "command"\ncommand = "true"\n')
    (tmp_path / "cfg").write_text("a file")
    monkeypatch.setenv("WORKBENCH_CONFIG_DIR", str(tmp_path / "cfg"))
    assert main(["trust", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "cannot write the trust records" in err and "WORKBENCH_CONFIG_DIR" in err


def test_mutated_signatures_and_modules_give_verdicts_or_typed_errors() -> None:
    rng = random.Random(20261127)
    k1, k2 = K.generate("a", b"\x01" * 32), K.generate("b", b"\x02" * 32)
    signed = sign(sign(MODULE, k1).module, k2).module
    detached = sign(MODULE, k1, detached=True).signature
    outcomes = {"verdict": 0, "refused": 0}

    def mutate(b: bytes) -> bytes:
        out = bytearray(b)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(out) + 1)
            op = rng.randrange(3)
            if op == 0 and out:
                out[min(i, len(out) - 1)] ^= 1 << rng.randrange(8)
            elif op == 1:
                out[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))
            else:
                del out[i:i + rng.randint(1, 12)]
        return bytes(out)

    for n in range(1500):
        try:
            if n % 2:
                v = verify(mutate(signed), [k1.public, k2.public])
            else:
                v = verify(MODULE, [k1.public], detached=mutate(detached))
            outcomes["verdict"] += 1
            assert isinstance(v.reason, str) and v.reason
        except WorkbenchError as e:
            outcomes["refused"] += 1
            assert e.where is not None
    assert outcomes["verdict"] > 100 and outcomes["refused"] > 10, outcomes
