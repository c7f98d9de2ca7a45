"""`gateway trust …`: what the trust store holds, adding a CA after checking its fingerprint, checking the
signatures of one PDF in words a clerk understands, and refreshing the CRLs now (SIGNATURES.md, issue 10).

Every command reads `[signatures]` of the configuration; `--trust DIR` uses another trust folder instead.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gateway.cli.common import ConfigOption, JsonOption, load
from gateway.config import ConfigError, Settings

app = typer.Typer(help="The trust store: CA certificates, their CRLs, and checking signatures against them.")

TrustOption = Annotated[
    Path | None,
    typer.Option(
        "--trust", help="Use this trust folder instead of [signatures] trust_dir.", file_okay=False, exists=True
    ),
]


def with_trust_dir(settings: Settings, trust_dir: Path | None) -> Settings:
    """`settings` with `[signatures] trust_dir` replaced (an absolute path), for `--trust DIR`."""
    if trust_dir is None:
        return settings
    raw = dict(settings.raw)
    raw["signatures"] = {**raw.get("signatures", {}), "trust_dir": str(trust_dir.resolve())}
    return dataclasses.replace(settings, raw=raw)


def _signature_settings(config: Path | None, trust_dir: Path | None):
    from gateway.logs import setup_logging
    from gateway.pdf.signatures import signature_settings

    setup_logging(verbose=False)
    logging.getLogger().setLevel(logging.WARNING)  # the command prints its findings; the log would bury them

    settings = with_trust_dir(load(config), trust_dir)
    try:
        return signature_settings(settings.section("signatures"), storage_dir=settings.storage_dir)
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _store(sig_settings):
    from gateway.pdf.signatures import load_trust

    try:
        return load_trust(sig_settings)
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _console() -> Console:
    return Console(width=None if sys.stdout.isatty() else 160, highlight=False)


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


# --- list -----------------------------------------------------------------------------------------------


def _describe(store, cert, now: datetime) -> dict[str, Any]:
    from gateway.trust import GOVERNMENT_CAS, crl_state, fingerprint

    fp = fingerprint(cert.dump())
    anchor = store.anchor_of(cert)
    crl = crl_state(store, cert)
    return {
        "role": "root" if cert.dump() in {r.dump() for r in store.roots} else "intermediate",
        "subject": cert.subject.human_friendly,
        "common_name": cert.subject.native.get("common_name"),
        "sha256": fp,
        "known_as": GOVERNMENT_CAS.get(fp),
        "not_before": cert.not_valid_before.isoformat(),
        "not_after": cert.not_valid_after.isoformat(),
        "signed_with": cert.hash_algo,
        "sha1_allowed": anchor is not None and store.sha1_allowed(anchor),
        "crl": {
            "state": crl.state(now),
            "this_update": crl.this_update.isoformat() if crl.this_update else None,
            "next_update": crl.next_update.isoformat() if crl.next_update else None,
        },
    }


@app.command("list")
def list_cmd(config: ConfigOption = None, trust: TrustOption = None, json_: JsonOption = False) -> None:
    """The roots and intermediates in the trust store: SHA-256 fingerprint, validity, SHA-1 policy, and how
    fresh the CRL of each CA is (fresh, stale, missing)."""
    from gateway.revocation import load_state

    sig = _signature_settings(config, trust)
    store = _store(sig)
    now = datetime.now(UTC)
    rows = [_describe(store, c, now) for c in store.certificates]
    fetches = load_state(sig.refresh.cache_dir)
    if json_:
        out = {"trust_dir": str(sig.trust_dir), "certificates": rows, "crl_fetches": fetches}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    console = _console()
    console.print(f"[bold]Trust store[/bold] {escape(str(sig.trust_dir))}: {store.describe()}")
    if not rows:
        console.print("Empty: no signature can be trusted. Add roots with `gateway trust add FILE` (trust/README.md).")
        return
    table = Table(show_lines=True)
    for column in ("Role", "Certificate", "SHA-256 fingerprint", "Valid", "SHA-1", "CRL"):
        table.add_column(column, overflow="fold", no_wrap=column == "SHA-256 fingerprint")
    for r in rows:
        crl = r["crl"]
        if crl["state"] == "fresh":
            crl_text = f"[green]fresh[/] until {crl['next_update'][:16]}"
        elif crl["state"] == "stale":
            crl_text = f"[red]stale[/] since {crl['next_update'][:16]}"
        else:
            crl_text = "[yellow]missing[/]"
        name = escape(str(r["common_name"] or r["subject"]))
        if r["known_as"]:
            name += f"\n[dim]{escape(r['known_as'])}: fingerprint as published[/]"
        sha1 = "allowed" if r["sha1_allowed"] else "no"
        if r["signed_with"] == "sha1":
            sha1 += " (signed with SHA-1)"
        valid = f"{r['not_before'][:10]} → {r['not_after'][:10]}"
        table.add_row(r["role"], name, r["sha256"], valid, sha1, crl_text)
    console.print(table)
    mode = "on" if sig.refresh.fetch else "off (CRLs dropped in by hand)"
    console.print(f"CRL fetching {mode}; cache {escape(str(sig.refresh.cache_dir))}")
    for url, entry in sorted(fetches.items()):
        status = f"[red]{escape(str(entry['error']))}[/]" if entry.get("error") else "[green]ok[/]"
        last = (entry.get("last_success") or "never")[:16]
        console.print(f"  {escape(url)}: {status} (last success {last})")


# --- add ------------------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    from gateway.vntext import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text, strip_diacritics=True)).strip("-")[:40] or "ca"


def _common_name(name: x509.Name) -> str:
    cns = name.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)
    return str(cns[0].value) if cns else name.rfc4514_string()


def _policy_with_sha1(existing: str, fp: str, name: str) -> str:
    """`trust.toml` text with SHA-1 allowed for the root `fp` (added, or switched on)."""
    block = re.compile(r'(\[\[root\]\]\s*\nfingerprint\s*=\s*"' + fp + r'"[^\[]*)', re.IGNORECASE)
    if block.search(existing):
        return block.sub(
            lambda m: (
                re.sub(r"allow_sha1\s*=\s*false", "allow_sha1 = true", m.group(1))
                if "allow_sha1" in m.group(1)
                else m.group(1).rstrip("\n") + "\nallow_sha1 = true\n\n"
            ),
            existing,
        )
    entry = f'[[root]]\nfingerprint = "{fp}"\nname = {json.dumps(name, ensure_ascii=False)}\nallow_sha1 = true\n'
    return (existing.rstrip("\n") + "\n\n" if existing.strip() else "") + entry


@app.command("add")
def add_cmd(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A CA certificate, bundle or CRL.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    allow_sha1: Annotated[
        bool, typer.Option("--allow-sha1", help="Accept SHA-1 under this root (trust.toml); noted in every verdict.")
    ] = False,
    config: ConfigOption = None,
    trust: TrustOption = None,
) -> None:
    """Add the CA certificates (PEM, DER, P7B) or CRLs in FILE to the trust store, after showing each
    one's SHA-256 fingerprint: compare it with the issuer's official publication before you confirm."""
    from gateway.trust import GOVERNMENT_CAS, fingerprint, load_trust_store, read_pki_file, self_signed

    sig = _signature_settings(config, trust)
    folder = sig.trust_dir
    try:
        certs, crls = read_pki_file(file)
    except (ValueError, TypeError, OSError) as exc:
        typer.echo(f"{file}: not a certificate or CRL: {exc}", err=True)
        raise typer.Exit(1) from exc
    console = _console()
    writes: list[tuple[Path, bytes]] = []
    sha1_roots: list[tuple[str, str]] = []
    for cert in certs:
        der = cert.public_bytes(serialization.Encoding.DER)
        fp = fingerprint(der)
        cn = cert.subject.rfc4514_string()
        try:
            is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        except x509.ExtensionNotFound:
            is_ca = False
        root = self_signed(cert)
        console.print(f"[bold]{'Root' if root else 'Intermediate'} CA[/bold] {escape(cn)}")
        console.print(f"  issued by  {escape(cert.issuer.rfc4514_string())}")
        console.print(f"  valid      {cert.not_valid_before_utc:%Y-%m-%d} → {cert.not_valid_after_utc:%Y-%m-%d}")
        console.print(f"  signed     {cert.signature_hash_algorithm.name if cert.signature_hash_algorithm else '?'}")
        console.print(f"  SHA-256    [bold]{fp}[/bold]")
        if fp in GOVERNMENT_CAS:
            console.print(f"  [green]the published fingerprint of the {escape(GOVERNMENT_CAS[fp])}[/green]")
        if not is_ca:
            typer.echo(f"{file}: {cn} is not a CA certificate; the trust store holds CAs only", err=True)
            raise typer.Exit(1)
        pem = cert.public_bytes(serialization.Encoding.PEM)
        writes.append((folder / f"{_slug(_common_name(cert.subject))}-{fp[:12]}.pem", pem))
        if allow_sha1 and root:
            sha1_roots.append((fp, _common_name(cert.subject)))
    for crl in crls:
        der = crl.public_bytes(serialization.Encoding.DER)
        console.print(f"[bold]CRL[/bold] of {escape(crl.issuer.rfc4514_string())}")
        console.print(f"  issued {_when(crl.last_update_utc)}, next update {_when(crl.next_update_utc)}")
        writes.append((folder / f"{_slug(_common_name(crl.issuer))}-{fingerprint(der)[:12]}.crl", der))
    if allow_sha1 and not sha1_roots:
        typer.echo("--allow-sha1 applies to root certificates only; none in this file", err=True)
        raise typer.Exit(1)
    if sha1_roots:
        console.print("[yellow]SHA-1 will be accepted under this root, with a 'thuật toán yếu' note[/yellow]")
    if not yes and not typer.confirm(f"Add to the trust store {folder}?", default=False):
        typer.echo("nothing added")
        raise typer.Exit(1)
    folder.mkdir(parents=True, exist_ok=True)
    policy = folder / "trust.toml"
    old_policy = policy.read_text(encoding="utf-8") if policy.is_file() else None
    written = []
    for path, data in writes:
        if not path.exists():
            path.write_bytes(data)
            written.append(path)
    if sha1_roots:
        text = old_policy or ""
        for fp, name in sha1_roots:
            text = _policy_with_sha1(text, fp, name)
        policy.write_text(text, encoding="utf-8")
    try:
        store = load_trust_store(folder)
    except ConfigError as exc:  # never leave a broken store behind
        for path in written:
            path.unlink()
        if sha1_roots and old_policy is not None:
            policy.write_text(old_policy, encoding="utf-8")
        elif sha1_roots:
            policy.unlink()
        typer.echo(f"not added: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"added {len(written)} file(s); trust store now: {store.describe()}")
    typer.echo("restart the gateway (or wait for the next CRL refresh) to use it")


# --- check ----------------------------------------------------------------------------------------------


@app.command("check")
def check_cmd(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A signed PDF.")],
    config: ConfigOption = None,
    trust: TrustOption = None,
    json_: JsonOption = False,
) -> None:
    """The signatures of FILE against the trust store, and why any is not trusted, in Vietnamese.
    Exit 0 when every signature passed, 1 when one did not or there is none."""
    from gateway.models import Indication, to_jsonable
    from gateway.pdf.signatures import SignatureVerifier
    from gateway.wording import signature_explanation

    sig = _signature_settings(config, trust)
    verifier = SignatureVerifier(sig, trust=_store(sig))
    reports = verifier.verify(file.read_bytes())
    ok = bool(reports) and all(r.indication == Indication.TOTAL_PASSED for r in reports)
    if json_:
        out = [to_jsonable(r) | {"explanation": signature_explanation(r)} for r in reports]
        typer.echo(json.dumps({"file": str(file), "signatures": out}, ensure_ascii=False, indent=2))
        raise typer.Exit(0 if ok else 1)
    console = _console()
    console.print(f"[bold]{escape(file.name)}[/bold] — kho tin cậy {escape(str(sig.trust_dir))} ({sig.revocation})")
    if not reports:
        console.print("Văn bản không có chữ ký số.")
        raise typer.Exit(1)
    for r in reports:
        colour = {"TOTAL_PASSED": "green", "TOTAL_FAILED": "red"}.get(r.indication.value, "yellow")
        signer = r.signer.common_name if r.signer and r.signer.common_name else "?"
        org = f" — {r.signer.organization}" if r.signer and r.signer.organization else ""
        head = f"[{colour}]{r.indication.value}[/] {r.sub_indication or ''}"
        console.print(f"\n[bold]{escape(r.field)}[/bold]: {escape(signer + org)}  {head}")
        details = [f"phủ {r.coverage or '-'}"]
        if r.timestamp_time:
            details.append(f"dấu thời gian {_when(r.timestamp_time)}")
        if r.claimed_signing_time:
            details.append(f"giờ ký tự khai {_when(r.claimed_signing_time)}")
        if r.weak_algorithm:
            details.append(f"thuật toán yếu {r.weak_algorithm}")
        console.print(f"  [dim]{escape('; '.join(details))}[/dim]")
        for line in signature_explanation(r):
            console.print(f"  {escape(line)}")
    raise typer.Exit(0 if ok else 1)


# --- refresh --------------------------------------------------------------------------------------------


@app.command("refresh")
def refresh_cmd(config: ConfigOption = None, trust: TrustOption = None, json_: JsonOption = False) -> None:
    """Download the CRLs of the trust store's CAs now (the daemon does it every `refresh_minutes`)."""
    from gateway.models import to_jsonable
    from gateway.revocation import crl_states, refresh_revocation

    sig = _signature_settings(config, trust)
    report = refresh_revocation(sig.refresh, _store(sig))  # with the URLs learned from signatures seen
    states = crl_states(_store(sig))
    now = datetime.now(UTC)
    if json_:
        out = {
            "skipped": report.skipped,
            "results": [to_jsonable(r) for r in report.results],
            "cas": [{"ca": s.ca.subject.human_friendly, "crl": s.state(now)} for s in states],
        }
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        if report.skipped:
            typer.echo(report.skipped)
        for r in report.results:
            stale = " (stale)" if r.stale else ""
            typer.echo(f"{r.outcome:<11} {r.url}{stale} {r.detail}".rstrip())
        for s in states:
            typer.echo(f"CRL of {s.ca.subject.native.get('common_name')}: {s.state(now)}")
    bad = any(r.outcome in ("unreachable", "rejected") for r in report.results)
    raise typer.Exit(1 if bad else 0)
