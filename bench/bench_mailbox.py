"""Benchmark: a whole mailbox through the gateway and through the raw floor, in the same run (issue 16).

    .venv/bin/python bench/bench_mailbox.py --kind text|signed|scan --letters N --processes P [--workers W] \\
        [--postgres postgresql://127.0.0.1:5432/test] [--latency M --rate 2]

Starts a throw-away Dovecot (the tests' server) and SMTP sink and makes N distinct letters of one kind:
`text` (a one-page công văn with a text layer), `signed` (a 200-dpi one-page scan signed with the test CA,
OCR off, as measured in the issue) or `scan` (the same scan unsigned, OCR on). Then, against the same
Dovecot:
1. the floor (`bench_floor.py`: fetch, parse and hash, one pyHanko validation, one SQLite insert, MOVE)
   on one mailbox holding the N letters;
2. P `gateway run --once` processes at once on another mailbox holding the same N letters (P > 1 needs
   `--postgres`: a fresh database is created and dropped); wall time from start to the last exit,
   peak RSS of the process tree (every gateway process and its workers, summed, sampled every 0.1 s);
   the CPU of each run (the floor's and the gateway's) is also counted on the whole machine (/proc/stat:
   Dovecot, the database and the pool workers included), so the two are compared on the same work;
   `--workers W` sets each gateway process's pool (two processes of one worker on a 2-core machine);
3. per-stage milliseconds, measured in this process on up to 20 of the letters with the gateway's own
   stage functions (parse, authenticity, inspect, signatures, text/OCR, the rest of the evaluation), on
   a fresh storage folder, and the whole evaluation again on the gateway's (the same documents seen
   before: their stored OCR text is reused, `gateway.derived`);
4. the parent process's own serial stages (`parent_stages.py`: intake, claim, waiting for the workers,
   the commit with dispose / register / reply render inside it, SMTP, move), from one more `run --once`
   on a mailbox of its own holding up to `--stage-letters` of the letters: ms per letter, wall and the
   parent's CPU, and its SQL statements a letter by kind (`--profile FILE` also writes a cProfile);
5. with `--latency M`: `gateway run` as a daemon on a third mailbox, M letters APPENDed at `--rate`
   letters/s; arrival→acknowledgement is APPEND time to the reply reaching the sink; p50/p95.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


class TreeRss:
    """Peak resident memory of a set of processes and their descendants, summed (sampled)."""

    def __init__(self, pids: list[int]):
        self.pids, self.peak, self._stop = pids, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self, pid: int) -> list[int]:
        out = [pid]
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split():
                    out += self._tree(int(child))
        except OSError:
            pass
        return out

    def _rss(self, pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            total = sum(self._rss(p) for pid in self.pids for p in self._tree(pid))
            self.peak = max(self.peak, total)
            self._stop.wait(0.1)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def make_letters(kind: str, n: int, work: Path) -> tuple[list[bytes], str, list[Path]]:
    """N distinct letters of `kind`, the config lines they need, and the trust roots for the floor."""
    from gateway.samples import pki as pkimod
    from gateway.samples.render import SampleDoc, render_document, render_scan
    from tests.e2e_helpers import numbered_letter
    from tests.hostile_samples import good_letter

    if kind == "text":
        return [numbered_letter(i) for i in range(1, n + 1)], "", []
    pki = pkimod.make_pki(work / "pki")
    letters = []
    for i in range(1, n + 1):
        doc = SampleDoc(
            issuer="SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
            parent_issuer="UBND THÀNH PHỐ HÀ NỘI",
            number=f"{i}/STTTT-VP",
            date=date(2026, 3, 2),
            title="",
            subject=f"V/v triển khai nhiệm vụ chuyển đổi số đợt {i}",
        )
        pdf = render_scan(render_document(doc), seed=i)
        if kind == "signed":
            pdf = pkimod.sign_pdf(pdf, pki.agency, visible=True)
        letters.append(
            good_letter(
                [(f"{i}-STTTT-VP.pdf", pdf)],
                subject=f"Công văn số {i}/STTTT-VP",
                message_id=f"<{kind}{i}.{uuid.uuid4().hex[:8]}@sotttt.hanoi.gov.vn>",
            )
        )
    ocr = "false" if kind == "signed" else "true"
    extra = f'[signatures]\ntrust_dir = "{pki.trust_dir}"\n[reading]\nocr = {ocr}\n'
    return letters, extra, [pki.trust_dir / "root.pem"]


def cached_letters(kind: str, n: int, work: Path, cache: Path | None) -> tuple[list[bytes], str, list[Path]]:
    """`make_letters`, kept in `cache` (with the PKI that signed them) for the next run: making 240 signed
    scans takes minutes on a loaded machine, and A/B runs want the very same letters."""
    if cache is None:
        return make_letters(kind, n, work)
    import pickle

    for saved in sorted(cache.glob(f"{kind}-*/letters.pickle"), key=lambda p: int(p.parent.name.split("-")[1])):
        if int(saved.parent.name.split("-")[1]) >= n:  # the first n of a larger set are the same letters
            letters, extra, roots = pickle.loads(saved.read_bytes())
            return letters[:n], extra, roots
    folder = cache / f"{kind}-{n}"
    saved = folder / "letters.pickle"
    folder.mkdir(parents=True, exist_ok=True)
    made = make_letters(kind, n, folder)
    saved.write_bytes(pickle.dumps(made))
    return made


def stage_times(letters: list[bytes], settings) -> dict[str, float]:
    """Median ms per stage, with the gateway's own functions, in this process (warm)."""
    import dataclasses

    from gateway.authenticity import check_authenticity
    from gateway.letter import parse_letter
    from gateway.pdf.inspect import inspect_pdf
    from gateway.pdf.text import extract_text
    from gateway.pipeline import build_stages, evaluate_letter

    seen = build_stages(settings)  # the gateway's storage: these documents' texts are stored there
    fresh = tempfile.mkdtemp(prefix="bench-stages-")
    stages = build_stages(dataclasses.replace(settings, storage_dir=Path(fresh)))  # nothing read before
    times: dict[str, list[float]] = {}

    def timed(name, fn):
        t = time.perf_counter()
        out = fn()
        times.setdefault(name, []).append(1000 * (time.perf_counter() - t))
        return out

    evaluate_letter(letters[0], received_at=datetime.now(UTC), stages=stages)  # warm
    for raw in letters[:20]:
        letter = timed("parse", lambda raw=raw: parse_letter(raw))
        timed(
            "authenticity",
            lambda raw=raw, letter=letter: check_authenticity(
                raw, letter.from_address, stages.authenticity, stages.directory
            ),
        )
        for att in letter.attachments[:1]:
            timed("inspect", lambda att=att: inspect_pdf(att.data))
            timed("signatures", lambda att=att: stages.verifier.verify(att.data))
            timed("text/OCR", lambda att=att: extract_text(att.data, stages.reading))
        timed("evaluate (all)", lambda raw=raw: evaluate_letter(raw, received_at=datetime.now(UTC), stages=stages))
        timed(  # the same document again (issue 16: its stored OCR text is reused, gateway.derived)
            "evaluate (seen before)", lambda raw=raw: evaluate_letter(raw, received_at=datetime.now(UTC), stages=seen)
        )
    med = {k: statistics.median(v) for k, v in times.items()}
    med["reading+rules (rest)"] = med["evaluate (all)"] - sum(
        med.get(k, 0) for k in ("parse", "authenticity", "inspect", "signatures", "text/OCR")
    )
    return med


def _postgres_db(base: str) -> tuple[str, object]:
    """A fresh database on the server of `base` (postgresql://host:port/db); dropped by the caller."""
    import psycopg

    name = f"bench_i16_{uuid.uuid4().hex[:10]}"
    conn = psycopg.connect(base, autocommit=True)
    conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name, (conn, name)


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's reaped descendants: a gateway's parent and its fork
    server. The pool's workers are not counted (the fork server does not wait for them); `machine_cpu` is."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_cpu() -> float:
    """Busy CPU seconds of the whole machine (/proc/stat: every process, Dovecot and the database included),
    so that the floor and the gateway are compared on the same count of work."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    busy = sum(fields[:8]) - fields[3] - fields[4]  # all but idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def fetches(cwd: Path) -> tuple[int, int]:
    """(messages spooled, of which already known: fetched again by a second process) from the logs."""
    lines = [line for log in cwd.glob("gateway*.log") for line in log.read_text().splitlines() if "spooled UID" in line]
    return len(lines), sum("already known" in line for line in lines)


def run_gateway(config: Path, processes: int, cwd: Path) -> tuple[float, int]:
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "gateway", "run", "--once", "--config", str(config)],
            cwd=cwd,
            stderr=open(cwd / f"gateway{i}.log", "ab"),
        )
        for i in range(processes)
    ]
    rss = TreeRss([p.pid for p in procs])
    for p in procs:
        p.wait()
    seconds = time.perf_counter() - started
    return seconds, rss.stop()


def parent_stages(server, sink, letters: list[bytes], work: Path, extra: str, profile: Path | None) -> dict:
    """The parent's serial stages on a mailbox of its own (`parent_stages.py`), as its JSON report."""
    import json

    from tests.e2e_helpers import write_config

    user = server.add_user()
    (work / "stages").mkdir()
    env = write_config(work / "stages", server, user, sink, extra=extra, mailbox_extra="batch_size = 50")
    for raw in letters:
        server.append(user, "INBOX", raw)
    command = [sys.executable, str(ROOT / "bench" / "parent_stages.py"), str(env.config)]
    if profile is not None:
        command += ["--profile", str(profile.resolve())]
    out = subprocess.run(
        command, cwd=work / "stages", stdout=subprocess.PIPE, stderr=open(work / "stages" / "gateway.log", "ab")
    )
    out.check_returncode()
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def print_parent_stages(report: dict, letters: int) -> None:
    print(
        f"parent ({letters} letters, run --once in-process, start-up included): "
        f"CPU {1000 * report['cpu_s'] / letters:.1f} ms/letter, wall {1000 * report['wall_s'] / letters:.1f} ms/letter"
    )
    for name, fig in report["stages"].items():
        print(
            f"  parent {name:<20} {1000 * fig['wall_s'] / letters:8.1f} ms wall {1000 * fig['cpu_s'] / letters:8.1f} "
            f"ms CPU per letter ({fig['calls']} calls)"
        )
    print("parent timeline (s from the start of the run: first start - last end):")
    for name, (first, last) in report.get("timeline", {}).items():
        print(f"  at {name:<20} {first:7.2f} - {last:7.2f}")
    statements = report.get("statements", {})
    print(f"parent SQL statements: {sum(statements.values()) / letters:.1f} per letter")
    for what, n in statements.items():
        print(f"  {what:<40} {n / letters:6.2f} per letter")


def latency(server, sink, letters: list[bytes], work: Path, extra: str, rate: float) -> tuple[list[float], int]:
    from tests.e2e_helpers import write_config

    user = server.add_user()
    (work / "daemon").mkdir()
    env = write_config(work / "daemon", server, user, sink, extra=extra)
    before = len(sink.received)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway", "run", "--config", str(env.config)],
        cwd=work / "daemon",
        stderr=open(work / "daemon" / "gateway.log", "ab"),
    )
    rss = TreeRss([proc.pid])
    arrived: dict[str, float] = {}
    stop = threading.Event()

    def watch() -> None:
        seen = before
        while not stop.is_set():
            while seen < len(sink.received):
                msg = email.message_from_bytes(sink.received[seen].raw, policy=email.policy.default)
                arrived[str(msg["In-Reply-To"])] = time.monotonic()
                seen += 1
            time.sleep(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    time.sleep(8)  # start-up, pool and IDLE connected
    appended: dict[str, float] = {}
    for raw in letters:
        mid = str(email.message_from_bytes(raw, policy=email.policy.default)["Message-ID"])
        appended[mid] = time.monotonic()
        server.append(user, "INBOX", raw)
        time.sleep(max(0.0, 1 / rate - (time.monotonic() - appended[mid])))
    deadline = time.monotonic() + 120
    while len([m for m in appended if m in arrived]) < len(appended) and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    proc.terminate()
    proc.wait(60)
    return [arrived[m] - appended[m] for m in appended if m in arrived], rss.stop()


def main() -> None:
    from bench_floor import run_floor

    from gateway.config import load_settings
    from gateway.samples.sink import SmtpSink
    from tests.e2e_helpers import write_config
    from tests.servers.dovecot import DovecotServer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=("text", "signed", "scan"), default="text")
    parser.add_argument("--letters", type=int, default=100)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="[processing] workers of each gateway process (0: one per core). With --processes 2 --workers 1, "
        "two processes share the cores as one process with two workers does: whether claims scale across "
        "processes, on a machine too small for two full pools",
    )
    parser.add_argument("--postgres", help="base URL of a PostgreSQL server (needed for --processes > 1)")
    parser.add_argument("--latency", type=int, default=0, help="letters for the daemon-mode latency run")
    parser.add_argument("--rate", type=float, default=2.0, help="letters/s APPENDed in the latency run")
    parser.add_argument("--no-floor", action="store_true")
    parser.add_argument("--no-stages", action="store_true", help="skip the per-stage timings")
    parser.add_argument("--cache", type=Path, help="keep the letters made (and their PKI) here for the next run")
    parser.add_argument("--stage-letters", type=int, default=60, help="letters for the parent-stages run (0: none)")
    parser.add_argument("--profile", type=Path, help="write the parent-stages run's cProfile here")
    args = parser.parse_args()
    if args.processes > 1 and not args.postgres:
        parser.error("--processes > 1 needs --postgres (two processes on one SQLite file are not supported)")
    server = DovecotServer.start()
    sink = SmtpSink().start()
    pg = None
    try:
        with tempfile.TemporaryDirectory(prefix="bench-mailbox-") as tmp:
            work = Path(tmp)
            t = time.perf_counter()
            letters, extra, roots = cached_letters(args.kind, args.letters + args.latency, work, args.cache)
            if args.workers:
                extra += f"[processing]\nworkers = {args.workers}\n"
            letters, late = letters[: args.letters], letters[args.letters :]
            size = statistics.mean(len(r) for r in letters) / 1024
            print(f"{args.kind}: {args.letters} letters, mean {size:.0f} KiB, made in {time.perf_counter() - t:.1f} s")
            floor_rate = None
            if not args.no_floor:
                user = server.add_user()
                for raw in letters:
                    server.append(user, "INBOX", raw)
                t, floor_cpu, busy = time.perf_counter(), time.process_time(), machine_cpu()
                n = run_floor(server.host, server.port, user, server.users[user], roots, work / "floor.sqlite3")
                floor_s, floor_cpu = time.perf_counter() - t, time.process_time() - floor_cpu
                busy = machine_cpu() - busy
                floor_rate = n / floor_s
                print(
                    f"floor:   {n} letters in {floor_s:.1f} s = {floor_rate:.2f} letters/s (1 process), "
                    f"CPU {1000 * floor_cpu / n:.0f} ms/letter, machine {1000 * busy / n:.0f} ms/letter"
                )
            user = server.add_user()
            (work / "gw").mkdir()
            url = None
            if args.postgres:
                url, pg = _postgres_db(args.postgres)
            env = write_config(
                work / "gw", server, user, sink, database_url=url, extra=extra, mailbox_extra="batch_size = 50"
            )
            if url:
                from gateway.register.db import open_database

                open_database(url)  # the schema first, so the processes do not race on the migration
            for raw in letters:
                server.append(user, "INBOX", raw)
            before = len(sink.received)
            cpu, busy = children_cpu(), machine_cpu()
            seconds, peak = run_gateway(env.config, args.processes, work / "gw")
            cpu, busy = children_cpu() - cpu, machine_cpu() - busy
            rate = args.letters / seconds
            replies = sink.wait_for(before + args.letters, timeout=30)[before:]
            folders = {f: len(server.folder_uids(user, f)) for f in ("INBOX", "Processed", "Refused", "Quarantine")}
            print(
                f"gateway: {args.letters} letters in {seconds:.1f} s = {rate:.2f} letters/s "
                f"({args.processes} process(es), start-up included), peak RSS {peak / 2**20:.0f} MiB (tree)"
            )
            spooled, again = fetches(work / "gw")
            print(
                f"gateway CPU: {cpu:.1f} s = {1000 * cpu / args.letters:.0f} ms/letter (parent and fork server), "
                f"machine {1000 * busy / args.letters:.0f} ms/letter; "
                f"{spooled} messages spooled, {again} of them fetched twice"
            )
            if floor_rate:
                print(f"ratio gateway/floor: {rate / floor_rate:.2f}")
            print(f"replies: {len(replies)}; folders: " + ", ".join(f"{k} {v}" for k, v in folders.items()))
            for name, ms in ({} if args.no_stages else stage_times(letters, load_settings(env.config))).items():
                print(f"  stage {name:<22} {ms:8.1f} ms (median, in-process)")
            if args.stage_letters > 0:
                few = letters[: args.stage_letters]
                print_parent_stages(parent_stages(server, sink, few, work, extra, args.profile), len(few))
            if late:
                lat, peak = latency(server, sink, late, work, extra, args.rate)
                lat.sort()
                p50, p95 = statistics.median(lat), lat[max(0, round(0.95 * len(lat)) - 1)]
                print(
                    f"daemon: {len(lat)}/{len(late)} acknowledged; arrival→ack p50 {p50:.2f} s, p95 {p95:.2f} s "
                    f"at {args.rate:g} letters/s; peak RSS {peak / 2**20:.0f} MiB (tree)"
                )
    finally:
        sink.stop()
        server.stop()
        if pg is not None:
            conn, name = pg
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.close()


if __name__ == "__main__":
    main()
