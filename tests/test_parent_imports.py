"""The daemon's parent leaves evaluation to its worker pool: it must not import the PDF, image, signature
and mail-parsing libraries the workers use (issue 16: each `run --once` paid ~1 s for them, and the
parent's memory with them) — only what it uses itself (the trust store for the CRL refresh, edXML for
the DMS)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pyhanko", "pyhanko_certvalidator", "pypdf", "pypdfium2", "PIL", "mailparser", "dkim")


def test_the_daemon_parent_imports_no_evaluation_library():
    code = (
        "import sys\n"
        "import gateway.cli, gateway.daemon, gateway.processor, gateway.derived, gateway.workers\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_an_evaluation_result_is_read_without_them():
    """What a worker sends back (`Evaluation` with its `Letter` and `DocumentText`s) unpickles in a process
    that has not imported them."""
    code = (
        "import pickle, sys\n"
        "from gateway.letter import Letter\n"
        "from gateway.pdf.document_text import DocumentText\n"
        "letter, text = pickle.loads(pickle.dumps((Letter(defects=('d',)), DocumentText('x'))))\n"
        "assert text.first_page == 'x' and letter.defects == ('d',)\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
