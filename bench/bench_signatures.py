"""Benchmark: verifying the signature of a signed two-page scan in a warm process.

    .venv/bin/python bench/bench_signatures.py [--runs 50]

Builds a throw-away PKI and a 200-dpi two-page scan, signs it, builds one `SignatureVerifier` (as the
daemon does, once) and times `verify` after a warm-up: the median is the cost per letter, with no import
or start-up cost in it. Also times a scan signed twice (leader, then the agency, with a timestamp) and
reports the peak memory of one verification (tracemalloc) and the process's maximum RSS.
Target (issue 3): at most 25 ms per signature.
"""

from __future__ import annotations

import argparse
import logging
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _time(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # pyHanko logs every validation detail

    started = time.perf_counter()
    from gateway.pdf.signatures import SignatureSettings, SignatureVerifier
    from gateway.samples import pki as pkimod
    from gateway.samples.render import SampleDoc, render_document, render_scan

    import_ms = (time.perf_counter() - started) * 1000

    with tempfile.TemporaryDirectory(prefix="bench-signatures-") as tmp:
        pki = pkimod.make_pki(Path(tmp))
        scan = render_scan(render_document(SampleDoc(pages=2)))
        one = pkimod.sign_pdf(scan, pki.person, visible=True)
        two = pkimod.sign_pdf(one, pki.agency, field_name="KySoCoQuan", timestamp=pki.tsa)

        started = time.perf_counter()
        verifier = SignatureVerifier(SignatureSettings(trust_dir=pki.trust_dir))
        build_ms = (time.perf_counter() - started) * 1000

        for pdf, count in ((one, 1), (two, 2)):
            reports = verifier.verify(pdf)
            assert len(reports) == count and all(r.indication == "TOTAL_PASSED" for r in reports), reports
        for _ in range(5):
            verifier.verify(one)
            verifier.verify(two)

        t_one = _time(lambda: verifier.verify(one), args.runs)
        t_two = _time(lambda: verifier.verify(two), args.runs)

        tracemalloc.start()
        verifier.verify(one)
        peak_one = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        verifier.verify(two)
        peak_two = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"import (once per process)           {import_ms:8.1f} ms")
    print(f"verifier built (once per process)   {build_ms:8.1f} ms")
    print(f"scan: 2 pages, {len(scan) / 1024:.0f} KiB; signed once {len(one) / 1024:.0f} KiB")
    print(
        f"1 signature         median {statistics.median(t_one):6.1f} ms   "
        f"p90 {statistics.quantiles(t_one, n=10)[-1]:6.1f} ms   min {min(t_one):6.1f} ms   "
        f"peak {peak_one / 2**20:5.1f} MiB"
    )
    print(
        f"2 signatures + TSA  median {statistics.median(t_two):6.1f} ms   "
        f"p90 {statistics.quantiles(t_two, n=10)[-1]:6.1f} ms   min {min(t_two):6.1f} ms   "
        f"peak {peak_two / 2**20:5.1f} MiB   ({statistics.median(t_two) / 2:.1f} ms per signature)"
    )
    print(f"process max RSS                     {rss:8.1f} MiB")
    print(f"runs: {args.runs}; target: <= 25 ms per signature")


if __name__ == "__main__":
    main()
