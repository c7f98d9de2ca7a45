"""`pip install .` gives a working gateway outside the checkout (issue 14): the wheel carries the rules, the
reply templates and the calendar data as package data, leaves the test-only generators out, and `gateway
--version`, `rules check`, `config check`, `templates preview` and `demo` run from a folder far from the
source tree, with the package imported from the new venv.

The dependencies come from this test run's own venv through a .pth line (so that the test does not download
and build forty packages); the gateway itself comes only from the wheel: the checkout's editable finder is
not on that path."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _run(args, cwd, timeout=600):
    env = {k: v for k, v in os.environ.items() if k not in ("GATEWAY_CONFIG", "PYTHONPATH")}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_the_wheel_installs_and_runs_outside_the_checkout(tmp_path):
    dist = tmp_path / "dist"
    build = _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(REPO)], tmp_path)
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = dist.glob("official_mail_gateway-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "gateway/defaults/rules/national.toml" in names
    assert "gateway/defaults/templates/acknowledgement.txt.j2" in names
    assert "gateway/defaults/calendar/vn-civil-service.toml" in names
    assert not [n for n in names if n.startswith("tests/") or "pdf_tampering" in n]
    pki = zipfile.ZipFile(wheel).read("gateway/samples/pki.py").decode()
    assert "def append_flate_bomb" not in pki and "def make_pki" in pki  # the demo's PKI, not the tests' bombs

    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path).returncode == 0
    python = venv / "bin" / "python"
    install = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)], tmp_path
    )
    assert install.returncode == 0, install.stderr[-2000:]
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path)
    Path(site.stdout.strip(), "_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([str(python), "-c", "import gateway; print(gateway.__file__)"], elsewhere)
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr
    gateway = str(venv / "bin" / "gateway")
    version = _run([gateway, "--version"], elsewhere)
    assert version.returncode == 0 and version.stdout.startswith("official-mail-gateway 0."), version.stdout
    rules = _run([gateway, "rules", "check"], elsewhere)
    assert rules.returncode == 0 and "OK     national" in rules.stdout, rules.stdout + rules.stderr
    assert str(venv) in rules.stdout  # the shipped profiles are read from the installed package
    check = _run([gateway, "config", "check"], elsewhere)
    assert check.returncode == 0 and "OK" in check.stdout, check.stdout + check.stderr
    preview = _run([gateway, "templates", "preview", "refusal_secret"], elsewhere)
    assert preview.returncode == 0 and "bí mật nhà nước" in preview.stdout
    demo = _run([gateway, "demo", "--no-web", "--dir", str(elsewhere / "demo")], elsewhere)
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    assert "Traceback" not in demo.stderr
    assert (elsewhere / "demo" / "config.toml").is_file()  # the demo wrote into its own folder
