"""The raw floor: only the work every correct gateway must do for a letter, in one process (issue 16).

IMAP fetch (batches of 50), MIME parse and sha256 of the message and its PDF, pyHanko validation of one
signature when the PDF has one, one SQLite insert (committed), IMAP MOVE to Processed. No safety scan, no
reading, no rules, no reply. `bench_mailbox.py` runs it against the same Dovecot before the gateway and
prints the ratio; run alone:

    .venv/bin/python bench/bench_floor.py HOST PORT USER PASSWORD [--trust ROOT.pem]
"""

from __future__ import annotations

import argparse
import email
import email.policy
import hashlib
import io
import logging
import sqlite3
import time
from pathlib import Path


def run_floor(host: str, port: int, user: str, password: str, trust_pems: list[Path], db_path: Path) -> int:
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from imapclient import IMAPClient
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    logging.disable(logging.WARNING)
    roots = []
    for path in trust_pems:
        data = path.read_bytes()
        if pem.detect(data):
            data = pem.unarmor(data)[2]
        roots.append(asn1_x509.Certificate.load(data))
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    db = sqlite3.connect(db_path)
    db.execute("CREATE TABLE IF NOT EXISTS letters (id INTEGER PRIMARY KEY, sha256 TEXT UNIQUE, valid INTEGER)")
    done = 0
    with IMAPClient(host, port=port, ssl=False) as imap:
        imap.login(user, password)
        if not imap.folder_exists("Processed"):
            imap.create_folder("Processed")
        imap.select_folder("INBOX")
        uids = imap.search("ALL")
        for start in range(0, len(uids), 50):
            batch = uids[start : start + 50]
            for uid, data in imap.fetch(batch, ["BODY.PEEK[]"]).items():
                raw = data[b"BODY[]"]
                msg = email.message_from_bytes(raw, policy=email.policy.default)
                valid = None
                for part in msg.iter_attachments():
                    pdf = part.get_content()
                    hashlib.sha256(pdf).hexdigest()
                    sigs = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
                    if sigs:
                        valid = int(validate_pdf_signature(sigs[0], context).bottom_line)
                db.execute(
                    "INSERT INTO letters (sha256, valid) VALUES (?, ?)", (hashlib.sha256(raw).hexdigest(), valid)
                )
                db.commit()
                imap.move([uid], "Processed")
                done += 1
    db.close()
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("user")
    parser.add_argument("password")
    parser.add_argument("--trust", type=Path, action="append", default=[])
    parser.add_argument("--db", type=Path, default=Path("floor.sqlite3"))
    args = parser.parse_args()
    started = time.perf_counter()
    n = run_floor(args.host, args.port, args.user, args.password, args.trust, args.db)
    seconds = time.perf_counter() - started
    print(f"floor: {n} letters in {seconds:.1f} s, {n / seconds:.1f} letters/s")


if __name__ == "__main__":
    main()
