"""The outbox's TLS context is built once (loading the CAs is costly, issue 16) and read again when the
admin replaces the CA file."""

from __future__ import annotations

import os
import ssl
import time
from pathlib import Path

from gateway.tls import shared_client_context


def _ca_pem(tmp_path: Path, name: str) -> Path:
    from gateway.samples.pki import make_pki

    pki = make_pki(tmp_path / name)
    return pki.trust_dir / "root.pem"


def test_the_context_is_shared_until_the_ca_file_changes(tmp_path):
    first = _ca_pem(tmp_path, "a")
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(first.read_bytes())
    one = shared_client_context(ca_file=ca_file)
    assert shared_client_context(ca_file=ca_file) is one
    assert one.verify_mode == ssl.CERT_REQUIRED and len(one.get_ca_certs()) == 1

    ca_file.write_bytes(_ca_pem(tmp_path, "b").read_bytes())  # the admin puts the new CA in place
    later = time.time() + 5
    os.utime(ca_file, (later, later))
    two = shared_client_context(ca_file=ca_file)
    assert two is not one
    assert two.get_ca_certs() != one.get_ca_certs()
    assert shared_client_context(ca_file=ca_file, verify=False).verify_mode == ssl.CERT_NONE
