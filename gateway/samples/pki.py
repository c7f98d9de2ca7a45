"""A throw-away PKI and PDF/mail signing helpers, for the tests and `gateway demo`.

Nothing here is trusted by default: `make_pki` creates a fresh root CA at run time (RSA-2048), an
intermediate, leaf certificates for the cases the verifier must tell apart, a timestamping authority and
CRLs, and writes a trust folder (root and intermediate, CRLs) that a `[signatures] trust_dir` can point at.
The same module signs PDFs with pyHanko (`sign_pdf`), makes the tampered variants the tests need, and
DKIM-signs mail with dkimpy (`make_dkim_key`, `dkim_sign`). Never use any of it for real documents
(SIGNATURES.md: the shipped trust store is empty).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CRL_BASE_URL = "http://crl.demo-ca.invalid"  # never fetched: validation is offline
ROOT_CRL_URL = f"{CRL_BASE_URL}/root.crl"
SUB_CRL_URL = f"{CRL_BASE_URL}/sub.crl"


@dataclass(frozen=True)
class KeyAndCert:
    """A private key with its certificate and the certificates above it (issuer first, root last)."""

    name: str
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def asn1_cert(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    @property
    def asn1_key(self) -> asn1_keys.PrivateKeyInfo:
        der = self.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return asn1_keys.PrivateKeyInfo.load(der)


@dataclass(frozen=True)
class TestPki:
    """What `make_pki` made. `trust_dir` holds the root, the intermediate and both CRLs."""

    __test__ = False  # not a pytest test class

    root: KeyAndCert
    sub: KeyAndCert  # the intermediate CA that issues every leaf
    tsa: KeyAndCert
    person: KeyAndCert  # a leader's personal certificate: digitalSignature + nonRepudiation
    agency: KeyAndCert  # the agency's own certificate (ký số cơ quan): digitalSignature only
    expired: KeyAndCert
    revoked: KeyAndCert  # listed in the intermediate's CRL
    rogue: KeyAndCert  # issued by a root nobody trusts
    encryption_only: KeyAndCert  # keyEncipherment only: not a signing certificate
    sub_crl: bytes  # DER
    root_crl: bytes  # DER
    trust_dir: Path

    def write_trust_dir(self, path: Path, *, crls: bool = True) -> Path:
        """Another trust folder with the same root and intermediate, with or without the CRLs."""
        path.mkdir(parents=True, exist_ok=True)
        (path / "root.pem").write_bytes(self.root.cert.public_bytes(serialization.Encoding.PEM))
        (path / "sub-ca.cer").write_bytes(self.sub.cert.public_bytes(serialization.Encoding.DER))
        if crls:
            (path / "sub-ca.crl").write_bytes(self.sub_crl)
            pem = x509.load_der_x509_crl(self.root_crl).public_bytes(serialization.Encoding.PEM)
            (path / "root.crl.pem").write_bytes(pem)
        return path


def _name(cn: str, *, o: str | None = None, ou: str | None = None, province: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if province:
        attrs.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province))
    if o:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, o))
    if ou:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _issue(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: KeyAndCert | None,
    *,
    name: str,
    ca: bool = False,
    not_before: datetime,
    not_after: datetime,
    crl_url: str | None = None,
    digital_signature: bool = True,
    non_repudiation: bool = True,
    key_encipherment: bool = False,
    time_stamping: bool = False,
) -> KeyAndCert:
    issuer_name = issuer.cert.subject if issuer else subject
    issuer_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca and issuer else None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca and digital_signature,
                content_commitment=not ca and non_repudiation,
                key_encipherment=not ca and key_encipherment,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    if crl_url:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    if time_stamping:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    cert = builder.sign(issuer_key, hashes.SHA256())
    chain = ((issuer.cert, *issuer.chain)) if issuer else ()
    return KeyAndCert(name=name, key=key, cert=cert, chain=chain)


def _crl(issuer: KeyAndCert, revoked: list[tuple[x509.Certificate, datetime]], now: datetime) -> bytes:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.cert.subject)
        .last_update(now - timedelta(minutes=30))
        .next_update(now + timedelta(days=365))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    )
    for cert, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(cert.serial_number)
            .revocation_date(when)
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build()
        )
    return builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def make_pki(
    tmp_dir: Path,
    *,
    agency_name: str = "Sở Tài chính tỉnh Khánh Hòa",
    person_name: str = "Nguyễn Văn An",
    province: str = "Khánh Hòa",
) -> TestPki:
    """A fresh demo PKI under `tmp_dir`; its trust folder is `tmp_dir / "trust"`."""
    now = datetime.now(UTC).replace(microsecond=0)
    long_ago, far = now - timedelta(days=30), now + timedelta(days=730)
    root = _issue(
        _name("Demo Root CA (thử nghiệm, không tin cậy)", o="Demo PKI"),
        _new_key(),
        None,
        name="root",
        ca=True,
        not_before=long_ago,
        not_after=now + timedelta(days=3650),
    )
    sub = _issue(
        _name("Demo Sub CA (thử nghiệm)", o="Demo PKI"),
        _new_key(),
        root,
        name="sub",
        ca=True,
        not_before=long_ago,
        not_after=now + timedelta(days=1825),
        crl_url=ROOT_CRL_URL,
    )

    def leaf(name: str, subject: x509.Name, **kw) -> KeyAndCert:
        kw.setdefault("not_before", long_ago)
        kw.setdefault("not_after", far)
        return _issue(subject, _new_key(), kw.pop("issuer", sub), name=name, crl_url=SUB_CRL_URL, **kw)

    tsa = leaf("tsa", _name("Demo TSA (thử nghiệm)", o="Demo PKI"), time_stamping=True)
    person = leaf("person", _name(person_name, o=agency_name, ou="Lãnh đạo", province=province))
    agency = leaf("agency", _name(agency_name, o=agency_name, province=province), non_repudiation=False)
    expired = leaf(
        "expired",
        _name("Trần Thị Bình", o=agency_name, province=province),
        not_before=now - timedelta(days=800),
        not_after=now - timedelta(days=2),
    )
    revoked = leaf("revoked", _name("Lê Văn Cường", o=agency_name, province=province))
    encryption_only = leaf(
        "encryption-only",
        _name("Phạm Thị Dung", o=agency_name, province=province),
        digital_signature=False,
        non_repudiation=False,
        key_encipherment=True,
    )
    rogue_root = _issue(
        _name("Rogue Root CA", o="Không rõ"),
        _new_key(),
        None,
        name="rogue-root",
        ca=True,
        not_before=long_ago,
        not_after=far,
    )
    rogue = _issue(
        _name(person_name, o=agency_name, province=province),
        _new_key(),
        rogue_root,
        name="rogue",
        not_before=long_ago,
        not_after=far,
    )
    sub_crl = _crl(sub, [(revoked.cert, now - timedelta(hours=1))], now)
    root_crl = _crl(root, [], now)
    pki = TestPki(
        root=root,
        sub=sub,
        tsa=tsa,
        person=person,
        agency=agency,
        expired=expired,
        revoked=revoked,
        rogue=rogue,
        encryption_only=encryption_only,
        sub_crl=sub_crl,
        root_crl=root_crl,
        trust_dir=tmp_dir / "trust",
    )
    pki.write_trust_dir(pki.trust_dir)
    return pki


def write_p7b(path: Path, certs: list[x509.Certificate]) -> Path:
    """A PKCS#7 certificate bundle (.p7b, DER), as CAs publish their chains."""
    path.write_bytes(pkcs7.serialize_certificates(certs, serialization.Encoding.DER))
    return path


# --- PDF signing ----------------------------------------------------------------------------------------

SUBFILTERS = ("adbe.pkcs7.detached", "ETSI.CAdES.detached")


def sign_pdf(
    pdf: bytes,
    signer: KeyAndCert,
    *,
    field_name: str = "Signature1",
    visible: bool = False,
    timestamp: KeyAndCert | None = None,
    md_algorithm: str = "sha256",
    embed_chain: bool = False,
    subfilter: str = "adbe.pkcs7.detached",
    on_page: int = -1,
    box: tuple[int, int, int, int] = (330, 120, 560, 190),
) -> bytes:
    """`pdf` with one more signature, as an incremental update (earlier signatures stay valid).

    By default only the leaf certificate is embedded, as VGCA signing tools do: the verifier must take
    the intermediate from its trust store. `timestamp` is a TSA key and certificate (e.g. `pki.tsa`).
    Synchronous (pyHanko runs its own event loop): call it from plain code, not from a coroutine.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    def asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    embedded = [asn1(c) for c in signer.chain[:-1]] if embed_chain else []
    cms_signer = signers.SimpleSigner(
        signing_cert=signer.asn1_cert,
        signing_key=signer.asn1_key,
        cert_registry=SimpleCertificateStore.from_certs(embedded),
        embed_roots=False,
    )
    timestamper = DummyTimeStamper(tsa_cert=timestamp.asn1_cert, tsa_key=timestamp.asn1_key) if timestamp else None
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm=md_algorithm,
        subfilter=fields.SigSeedSubFilter(f"/{subfilter}"),
        reason="Ký số văn bản",
        location="Việt Nam",
    )
    spec = fields.SigFieldSpec(field_name, on_page=on_page, box=box if visible else None)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    pdf_signer = signers.PdfSigner(meta, signer=cms_signer, timestamper=timestamper, new_field_spec=spec)
    out = pdf_signer.sign_pdf(writer, in_place=False)
    return out.getvalue()


def add_document_timestamp(pdf: bytes, tsa: KeyAndCert) -> bytes:
    """`pdf` with a PAdES document timestamp (/DocTimeStamp) appended, as LTA tools do."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    stamper = signers.PdfTimeStamper(DummyTimeStamper(tsa_cert=tsa.asn1_cert, tsa_key=tsa.asn1_key))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    return stamper.timestamp_pdf(writer, "sha256", in_place=False).getvalue()


def _last_byte_range(pdf: bytes) -> tuple[int, int, int, int]:
    matches = list(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf))
    if not matches:
        raise ValueError("no /ByteRange in this PDF")
    a, b, c, d = (int(x) for x in matches[-1].groups())
    return a, b, c, d


def flip_byte_in_signed_range(pdf: bytes) -> bytes:
    """One byte changed inside the data of the first stream covered by the last signature's /ByteRange.

    The change is inside stream data, so the file still parses: only the digest can catch it.
    """
    start, length, _, _ = _last_byte_range(pdf)
    m = re.search(rb"stream\r?\n", pdf[start : start + length])
    if not m:
        raise ValueError("no stream inside the signed range")
    at = start + m.end() + 16
    out = bytearray(pdf)
    out[at] ^= 0x01
    return bytes(out)


def draw_on_page_after_signing(pdf: bytes, *, page: int = 0, text: str = "DA SUA") -> bytes:
    """An incremental update appended after signing that draws text on `page` (the classic shadow edit)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    font = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Font"),
            generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
            generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
        }
    )
    ops = f"q BT /FTamper 36 Tf 1 0 0 rg 120 700 Td ({text}) Tj ET Q".encode("ascii")
    stream = generic.StreamObject(stream_data=ops)
    ref = writer.add_object(stream)
    resources = generic.DictionaryObject(
        {generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/FTamper"): font})}
    )
    writer.add_stream_to_page(page, ref, resources=resources)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def add_empty_signature_field(pdf: bytes, field_name: str = "Empty") -> bytes:
    """An incremental update that only adds an empty signature field (no new signature covers it)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    fields.append_signature_field(writer, fields.SigFieldSpec(field_name))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def form_pdf(field_name: str = "GhiChu") -> bytes:
    """A one-page born-digital form (a phiếu with one empty text field), for form-filling cases."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    c.drawString(72, 760, "PHIEU TRINH GIAI QUYET CONG VIEC")
    c.drawString(72, 630, "Y kien:")
    c.acroForm.textfield(name=field_name, x=72, y=600, width=300, height=24, value="")
    c.showPage()
    c.save()
    return buf.getvalue()


def fill_form_field_after_signing(pdf: bytes, field_name: str = "GhiChu", value: str = "Da sua") -> bytes:
    """An incremental update (pypdf) that fills a text field, with no signature over the change."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(PdfReader(io.BytesIO(pdf)), incremental=True)
    writer.update_page_form_field_values(writer.pages[0], {field_name: value}, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def set_subfilter(pdf: bytes, subfilter: str = "adbe.pkcs7.sha1") -> bytes:
    """The last signature's /SubFilter rewritten in place (same length, so the xref stays right)."""
    m = list(re.finditer(rb"/SubFilter\s*/([A-Za-z0-9.]+)", pdf))
    if not m:
        raise ValueError("no /SubFilter in this PDF")
    old = m[-1]
    new = f"/{subfilter}".encode("ascii")
    slot = old.end() - old.start(1) + 1  # the name with its slash
    if len(new) > slot:
        raise ValueError(f"{subfilter} is longer than the SubFilter it replaces")
    start = old.start(1) - 1
    return pdf[:start] + new + b" " * (slot - len(new)) + pdf[old.end() :]


def append_flate_bomb(pdf: bytes, *, mib: int = 200) -> bytes:
    """`pdf` with an incremental update whose catalogue sits in an object stream that inflates to `mib` MiB.

    About 200 KB on disk; any reader that opens the document must decode that stream, so it tests the
    decode limits (SIGNATURES.md: pyHanko's defaults would decode all of it).
    """
    import zlib

    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    root_ref = reader.trailer.raw_get("/Root")
    size = int(reader.trailer["/Size"])
    prev = reader.last_startxref
    catalog = io.BytesIO()
    reader.root.write_to_stream(catalog)
    objstm_num, xref_num = size, size + 1
    header = f"{root_ref.idnum} 0 ".encode("ascii")
    deflate = zlib.compressobj(9)
    parts = [deflate.compress(header + catalog.getvalue() + b"\n")]
    padding = b" " * (1024 * 1024)
    parts += [deflate.compress(padding) for _ in range(mib)]
    parts.append(deflate.flush())
    data = b"".join(parts)
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    objstm_at = len(out)
    out += (
        f"{objstm_num} 0 obj\n<< /Type /ObjStm /N 1 /First {len(header)} /Filter /FlateDecode "
        f"/Length {len(data)} >>\nstream\n"
    ).encode("ascii")
    out += data + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = [
        bytes([2]) + objstm_num.to_bytes(4, "big") + (0).to_bytes(2, "big"),
        bytes([1]) + objstm_at.to_bytes(4, "big") + (0).to_bytes(2, "big"),
        bytes([1]) + xref_at.to_bytes(4, "big") + (0).to_bytes(2, "big"),
    ]
    table = b"".join(rows)
    out += (
        f"{xref_num} 0 obj\n<< /Type /XRef /Size {xref_num + 1} /W [1 4 2] "
        f"/Index [{root_ref.idnum} 1 {objstm_num} 2] /Root {root_ref.idnum} 0 R /Prev {prev} "
        f"/Length {len(table)} >>\nstream\n"
    ).encode("ascii")
    out += table + b"\nendstream\nendobj\n"
    out += f"startxref\n{xref_at}\n%%EOF\n".encode("ascii")
    return bytes(out)


def encrypt_pdf(pdf: bytes, *, user_password: str = "1234", owner_password: str = "owner") -> bytes:
    """`pdf` rewritten with AES-256 encryption (pypdf)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- DKIM -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DkimKey:
    """A DKIM key pair; its public key is written where `[authenticity] dkim_keys_dir` looks for it."""

    selector: str
    domain: str
    private_pem: bytes
    keys_dir: Path

    @property
    def record_file(self) -> Path:
        return self.keys_dir / f"{self.selector}._domainkey.{self.domain}.txt"


def make_dkim_key(keys_dir: Path, domain: str, selector: str = "mail") -> DkimKey:
    """A fresh RSA-2048 DKIM key; the TXT record goes to `<keys_dir>/<selector>._domainkey.<domain>.txt`."""
    import base64

    key = _new_key()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public_der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    keys_dir.mkdir(parents=True, exist_ok=True)
    dkim_key = DkimKey(selector=selector, domain=domain, private_pem=private_pem, keys_dir=keys_dir)
    record = f"v=DKIM1; k=rsa; p={base64.b64encode(public_der).decode('ascii')}\n"
    dkim_key.record_file.write_text(record, encoding="ascii")
    return dkim_key


def dkim_sign(message: bytes, key: DkimKey) -> bytes:
    """`message` with a DKIM-Signature header (relaxed/relaxed, rsa-sha256) prepended."""
    import dkim

    header = dkim.sign(
        message,
        key.selector.encode("ascii"),
        key.domain.encode("ascii"),
        key.private_pem,
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=[
            b"from",
            b"to",
            b"subject",
            b"date",
            b"message-id",
            b"mime-version",
            b"content-type",
        ],
    )
    return header + message
