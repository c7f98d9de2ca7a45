"""Benchmark: peak memory of the gateway over a long backlog and on one large attachment (issue 16 item 7).

    .venv/bin/python bench/bench_memory.py --backlog 2000 --big-mb 50 [--arena 0]

Starts a throw-away Dovecot (the tests' server) and SMTP sink, then, each with `gateway run --once`:
1. backlog: N small text letters (distinct one-page công văn) in the INBOX; the resident memory of the
   gateway's process tree (the gateway, its fork server and pool workers, Tesseract children), summed and
   sampled every 0.1 s, is reported at its peak and per tenth of the run, so growth shows as a slope;
2. big: one letter carrying a PDF of about `--big-mb` MB (a rendered công văn as first and last page,
   incompressible scanned-looking pages between, so the size is real), after one small letter in the
   same mailbox to have the baseline; reports the peak of the tree against the attachment's size.
`--arena N` runs the gateway with MALLOC_ARENA_MAX=N (default 0: unset, the gateway limits itself to 2 since
issue 16; 16 is glibc's own limit on two cores, as before).
Target (issue 16): peak RSS flat and <= 300 MB over 2,000 letters; a 50 MB attachment within 3x its size.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

MiB = 2**20


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Sampler:
    """The summed RSS of a process tree, sampled every 0.1 s, with the time of each sample."""

    def __init__(self, pid: int):
        from bench_mailbox import TreeRss

        self.tree = TreeRss.__new__(TreeRss)  # its /proc readers only; the sampling loop is here
        self.pid, self.samples, self._stop = pid, [], threading.Event()
        self.pss: list[int] = []  # proportional set size: pages shared by the fork server's children counted once
        self.parent_peak = 0  # the gateway's own process (fetching, spooling, the serial commits)
        self.child_peak = 0  # the largest single process under it (a pool worker evaluating the letter)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        start = time.monotonic()
        while not self._stop.is_set():
            pids = self.tree._tree(self.pid)
            each = [self.tree._rss(p) for p in pids]
            rss = sum(each)
            self.parent_peak = max(self.parent_peak, each[0] if each else 0)
            self.child_peak = max([self.child_peak, *each[1:]])
            self.samples.append((time.monotonic() - start, rss))
            self.pss.append(sum(_pss(p) for p in pids))
            self._stop.wait(0.1)

    def stop(self) -> list[tuple[float, int]]:
        self._stop.set()
        self._thread.join()
        return self.samples


@dataclass(frozen=True)
class Run:
    seconds: float
    samples: list[tuple[float, int]]  # (time, RSS of the tree summed)
    pss: int  # peak PSS of the tree
    parent: int  # peak RSS of the gateway's own process
    child: int  # peak RSS of its largest descendant

    def split(self) -> str:
        return f"parent alone {self.parent / MiB:.0f} MiB, largest child {self.child / MiB:.0f} MiB"


def run_once(config: Path, cwd: Path, arena: int) -> Run:
    env = dict(os.environ)
    env.pop("MALLOC_ARENA_MAX", None)  # 0: whatever the gateway sets itself (2, issue 16)
    if arena:
        env["MALLOC_ARENA_MAX"] = str(arena)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway", "run", "--once", "--config", str(config)],
        cwd=cwd,
        env=env,
        stderr=open(cwd / "gateway.log", "ab"),
    )
    sampler = Sampler(proc.pid)
    proc.wait()
    samples = sampler.stop()
    seconds = time.perf_counter() - started
    return Run(seconds, samples, max(sampler.pss, default=0), sampler.parent_peak, sampler.child_peak)


def big_pdf(megabytes: int) -> bytes:
    """A công văn whose first and last pages are a rendered document and whose middle pages are
    incompressible greyscale JPEG scans (noise), about `megabytes` MB in all."""
    import pypdfium2
    from PIL import Image

    from gateway.samples.render import SampleDoc, render_document

    doc = render_document(SampleDoc(number="88/STTTT-VP", title="", subject="V/v hồ sơ lưu trữ số hóa"))
    page = pypdfium2.PdfDocument(doc)[0].render(scale=150 / 72).to_pil().convert("L")
    rng = random.Random(16)
    filler = []
    size = 0
    while size < megabytes * MiB - 2 * MiB:  # under the 50 MB limit: read in full, not refused as too large
        noise = Image.frombytes("L", (1240, 1754), rng.randbytes(1240 * 1754))
        out = io.BytesIO()
        noise.save(out, format="JPEG", quality=75)
        filler.append(noise)
        size += out.tell()
    out = io.BytesIO()
    page.save(out, format="PDF", save_all=True, append_images=[*filler, page], resolution=150, quality=75)
    return out.getvalue()


def profile(samples: list[tuple[float, int]]) -> str:
    """RSS (MiB) at the peak of each tenth of the run."""
    if not samples:
        return "no samples"
    end = samples[-1][0] or 1
    tenths = [max((r for t, r in samples if k * end / 10 <= t < (k + 1) * end / 10), default=0) for k in range(10)]
    return " ".join(f"{r / MiB:.0f}" for r in tenths)


def main() -> None:
    from gateway.samples.sink import SmtpSink
    from tests.e2e_helpers import numbered_letter, write_config
    from tests.hostile_samples import good_letter
    from tests.servers.dovecot import DovecotServer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backlog", type=int, default=2000, help="small letters in the backlog run (0: skip)")
    parser.add_argument("--big-mb", type=int, default=50, help="size of the large attachment (0: skip)")
    parser.add_argument("--arena", type=int, default=0, help="MALLOC_ARENA_MAX for the gateway (0: unset)")
    args = parser.parse_args()
    server = DovecotServer.start()
    sink = SmtpSink().start()
    box = "batch_size = 50\nmax_message_bytes = 157286400\n"
    try:
        with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
            work = Path(tmp)
            if args.backlog:
                user = server.add_user()
                (work / "backlog").mkdir()
                env = write_config(work / "backlog", server, user, sink, mailbox_extra=box)
                t = time.perf_counter()
                for n in range(1, args.backlog + 1):
                    server.append(user, "INBOX", numbered_letter(n))
                print(f"backlog: {args.backlog} letters appended in {time.perf_counter() - t:.0f} s")
                run = run_once(env.config, work / "backlog", args.arena)
                seconds, samples, pss = run.seconds, run.samples, run.pss
                done = len(server.folder_uids(user, "Processed")) + len(server.folder_uids(user, "Refused"))
                peak = max(r for _, r in samples)
                print(
                    f"backlog: {done}/{args.backlog} letters filed in {seconds:.0f} s; peak RSS {peak / MiB:.0f} MiB "
                    f"(tree, summed), peak PSS {pss / MiB:.0f} MiB; RSS peak per tenth of the run (MiB): "
                    f"{profile(samples)}"
                )
                print(f"backlog: peak {run.split()}")
            if args.big_mb:
                pdf = big_pdf(args.big_mb)
                raw = good_letter([("ho-so-88.pdf", pdf)], subject="Công văn số 88/STTTT-VP", message_id="<big88@x>")
                user = server.add_user()
                (work / "small").mkdir()
                env = write_config(work / "small", server, user, sink, mailbox_extra=box)
                server.append(user, "INBOX", numbered_letter(1))
                first = run_once(env.config, work / "small", args.arena)
                small, small_pss = first.samples, first.pss
                base = max(r for _, r in small)
                user = server.add_user()
                (work / "big").mkdir()
                env = write_config(work / "big", server, user, sink, mailbox_extra=box)
                server.append(user, "INBOX", raw)
                run = run_once(env.config, work / "big", args.arena)
                seconds, samples, pss = run.seconds, run.samples, run.pss
                peak = max(r for _, r in samples)
                folders = {f: len(server.folder_uids(user, f)) for f in ("Processed", "Refused", "Quarantine")}
                print(
                    f"big: a {len(pdf) / MiB:.1f} MiB PDF ({len(raw) / MiB:.1f} MiB letter) in {seconds:.0f} s; "
                    f"peak RSS {peak / MiB:.0f} MiB (tree) against {base / MiB:.0f} MiB for one small letter: "
                    f"+{(peak - base) / MiB:.0f} MiB = {(peak - base) / len(pdf):.2f}x the attachment; "
                    f"peak/attachment {peak / len(pdf):.2f}x; filed: {folders}"
                )
                print(f"big: peak PSS {pss / MiB:.0f} MiB against {small_pss / MiB:.0f} MiB for one small letter")
                print(f"big: peak {run.split()}; one small letter: {first.split()}")
                median = statistics.median(r for _, r in samples)
                print(f"big: median RSS over the run {median / MiB:.0f} MiB; per tenth: {profile(samples)}")
    finally:
        sink.stop()
        server.stop()


if __name__ == "__main__":
    main()
