"""Benchmark: verifying the signature of a signed two-page scan in a warm process; and, with --real, the
gateway's verdict on real signed government PDFs beside pyHanko's own (issue 10).

    .venv/bin/python bench/bench_signatures.py [--runs 50]
    .venv/bin/python bench/bench_signatures.py --real /work/realdata/signatures [--manifest FILE]

Builds a throw-away PKI and a 200-dpi two-page scan, signs it, builds one `SignatureVerifier` (as the
daemon does, once) and times `verify` after a warm-up: the median is the cost per letter, with no import
or start-up cost in it. Also times a scan signed twice (leader, then the agency, with a timestamp) and
reports the peak memory of one verification (tracemalloc) and the process's maximum RSS.
Target (issue 3): at most 25 ms per signature.

`--real DIR` reads `bench/real_signatures.toml`: the real documents and government CA certificates (their
public source, sha256, and what is expected of each signature). The files themselves live in DIR, never in
the repository. Each certificate's fingerprint is checked before it enters a temporary trust folder (with
the manifest's SHA-1 policy in its trust.toml); every signature is then verified by the gateway and by
pyHanko used directly (same roots, same revocation mode, SHA-1 allowed where the policy allows any), and
one line per signature is printed: field, signer, indication / sub-indication, intact, trusted, coverage,
the weak-algorithm note, the claimed-time note, pyHanko's result, and whether it matches the manifest.
Exit 1 if any signature differs from what the manifest expects.
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
    parser.add_argument("--real", type=Path, help="folder with the real PDFs and certificates of the manifest")
    parser.add_argument("--manifest", type=Path, default=Path(__file__).with_name("real_signatures.toml"))
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # pyHanko logs every validation detail
    if args.real:
        sys.exit(run_real(args.real, args.manifest))

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


# --- real documents ------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _trust_folder(real: Path, manifest: dict, folder: Path) -> list[str]:
    """Copy the manifest's certificates into `folder` after checking file hash and DER fingerprint."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from gateway.trust import fingerprint, parse_pki_bytes

    problems = []
    folder.mkdir()
    for entry in manifest["certificate"]:
        path = real / entry["file"]
        if not path.is_file():
            problems.append(f"missing {path}")
            continue
        if _sha256(path) != entry["sha256"]:
            problems.append(f"{path}: sha256 differs from the manifest")
            continue
        (cert,), _ = parse_pki_bytes(path.read_bytes())
        der = cert.public_bytes(serialization.Encoding.DER)
        if fingerprint(der) != entry["fingerprint"]:
            problems.append(f"{path}: fingerprint {fingerprint(der)} is not the published {entry['fingerprint']}")
            continue
        (folder / f"{entry['fingerprint'][:16]}.cer").write_bytes(der)
        assert isinstance(cert, x509.Certificate)
    policy = manifest.get("policy", {})
    lines = [f'[[root]]\nfingerprint = "{fp}"\nallow_sha1 = true\n' for fp in policy.get("sha1_roots", [])]
    (folder / "trust.toml").write_text("\n".join(lines), encoding="utf-8")
    return problems


def _pyhanko_direct(pdf: bytes, store, revocation: str, sha1: bool) -> dict[str, str]:
    """pyHanko 0.38 used directly: non-strict reader, default diff policy, the same roots."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    out: dict[str, str] = {}
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    for emb in reader.embedded_signatures:
        vc = ValidationContext(
            trust_roots=list(store.roots),
            other_certs=list(store.intermediates),
            allow_fetching=False,
            revocation_mode=revocation,
            weak_hash_algos={"md2", "md5"} if sha1 else None,
        )
        try:
            st = validate_pdf_signature(emb, vc)
            level = st.modification_level.name if st.modification_level is not None else "-"
            out[str(emb.field_name)] = (
                f"intact={int(st.intact)} valid={int(st.valid)} trusted={int(st.trusted)} "
                f"{st.coverage.name} {level} bottom_line={int(st.bottom_line)}"
            )
        except Exception as exc:
            out[str(emb.field_name)] = f"error: {type(exc).__name__}: {str(exc)[:60]}"
    return out


def run_real(real: Path, manifest_path: Path) -> int:
    import tomllib

    from gateway.pdf.signatures import SignatureSettings, SignatureVerifier
    from gateway.revocation import RefreshSettings

    manifest = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
    policy = manifest.get("policy", {})
    revocation = policy.get("revocation", "soft-fail")
    with tempfile.TemporaryDirectory(prefix="real-trust-") as tmp:
        folder = Path(tmp) / "trust"
        problems = _trust_folder(real, manifest, folder)
        if problems:
            print("\n".join(problems))
            return 1
        verifier = SignatureVerifier(
            SignatureSettings(trust_dir=folder, revocation=revocation, refresh=RefreshSettings(cache_dir=None))
        )
        print(f"trust store: {verifier.trust.describe()}; revocation {revocation}")
        header = (
            f"{'document':<30} {'field':<22} {'signer':<30} {'indication / sub-indication':<32} "
            f"{'int':<3} {'tru':<3} {'coverage':<15} {'weak':<5} {'7h':<2} {'pyHanko direct':<68} ok"
        )
        print(header)
        print("-" * len(header))
        totals = {"signatures": 0, "intact": 0, "trusted": 0, "passed": 0, "direct_intact": 0, "direct_trusted": 0}
        mismatches = 0
        for doc in manifest["document"]:
            path = real / doc["file"]
            if not path.is_file() or _sha256(path) != doc["sha256"]:
                print(f"{doc['file']}: missing or not the manifest's file")
                mismatches += 1
                continue
            data = path.read_bytes()
            started = time.perf_counter()
            reports = verifier.verify(data)
            elapsed = time.perf_counter() - started
            direct = _pyhanko_direct(data, verifier.trust, revocation, bool(policy.get("sha1_roots")))
            expected = {e["field"]: e for e in doc["signatures"]}
            for r in reports:
                exp = expected.pop(r.field, None)
                ok = exp is not None and (
                    exp["indication"] == r.indication.value
                    and exp.get("sub_indication") == r.sub_indication
                    and exp.get("coverage", r.coverage) == r.coverage
                    and exp.get("weak_algorithm") == r.weak_algorithm
                    and exp.get("claimed_time_shifted", False) == r.claimed_time_shifted
                    and (r.signer is not None and exp["signer"] == r.signer.common_name)
                )
                mismatches += not ok
                d = direct.get(r.field, "-")
                totals["signatures"] += 1
                totals["intact"] += r.intact
                totals["trusted"] += r.trusted
                totals["passed"] += r.indication.value == "TOTAL_PASSED"
                totals["direct_intact"] += "intact=1" in d
                totals["direct_trusted"] += "trusted=1" in d
                signer = (r.signer.common_name or "?") if r.signer else "?"
                verdict = f"{r.indication.value} {r.sub_indication or ''}".strip()
                print(
                    f"{doc['file'][:30]:<30} {r.field[:22]:<22} {signer[:30]:<30} {verdict:<32} "
                    f"{int(r.intact):<3} {int(r.trusted):<3} {(r.coverage or '-'):<15} {(r.weak_algorithm or '-'):<5} "
                    f"{'y' if r.claimed_time_shifted else '-':<2} {d[:68]:<68} {'✓' if ok else '✗'}"
                )
            for missing in expected:
                print(f"{doc['file'][:30]:<30} {missing:<22} expected by the manifest, not reported ✗")
                mismatches += 1
            print(f"{'':<30} ({len(reports)} signature(s) in {elapsed:.1f} s)")
        t = totals
        print(
            f"\ngateway: {t['intact']}/{t['signatures']} intact, {t['trusted']}/{t['signatures']} trusted, "
            f"{t['passed']} TOTAL_PASSED; pyHanko direct: {t['direct_intact']} intact, {t['direct_trusted']} trusted; "
            f"{mismatches} differ from the manifest"
        )
        return 1 if mismatches else 0


if __name__ == "__main__":
    main()
