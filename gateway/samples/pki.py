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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

if TYPE_CHECKING:
    from PIL import Image

CRL_BASE_URL = "http://crl.demo-ca.invalid"  # the revocation refresher cannot reach it: tests serve their own
ROOT_CRL_PATH = "/root.crl"
SUB_CRL_PATH = "/sub.crl"
ROOT_CRL_URL = f"{CRL_BASE_URL}{ROOT_CRL_PATH}"
SUB_CRL_URL = f"{CRL_BASE_URL}{SUB_CRL_PATH}"
PUBLISHER_NAME = "Trung tâm Thông tin - Công báo"


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
    publisher: KeyAndCert  # a publishing unit (the provincial gazette centre) that signs what it publishes
    expired: KeyAndCert
    revoked: KeyAndCert  # listed in the intermediate's CRL
    rogue: KeyAndCert  # issued by a root nobody trusts
    encryption_only: KeyAndCert  # keyEncipherment only: not a signing certificate
    sub_crl: bytes  # DER
    root_crl: bytes  # DER
    trust_dir: Path

    def write_trust_dir(self, path: Path, *, crls: bool = True) -> Path:
        """Another trust folder with the same root and intermediate, with or without the CRLs."""
        return _write_hierarchy(path, "", self.root, self.sub, (self.sub_crl, self.root_crl) if crls else None)


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
    sha1: bool = False,
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
    if sha1:
        cert = _resign_sha1(cert, issuer_key)
    chain = ((issuer.cert, *issuer.chain)) if issuer else ()
    return KeyAndCert(name=name, key=key, cert=cert, chain=chain)


def _resign_sha1(cert: x509.Certificate, key: rsa.RSAPrivateKey) -> x509.Certificate:
    """`cert` signed again with sha1WithRSA, as the older government hierarchy signs its certificates.

    `cryptography` no longer signs certificates with SHA-1, so the TBS is relabelled and signed by hand.
    """
    from asn1crypto import algos
    from cryptography.hazmat.primitives.asymmetric import padding

    asn1 = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    tbs = asn1["tbs_certificate"]
    tbs["signature"] = algos.SignedDigestAlgorithm({"algorithm": "sha1_rsa"})
    signature = key.sign(tbs.dump(force=True), padding.PKCS1v15(), hashes.SHA1())
    out = asn1_x509.Certificate(
        {
            "tbs_certificate": tbs,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha1_rsa"}),
            "signature_value": signature,
        }
    )
    return x509.load_der_x509_certificate(out.dump(force=True))


def make_crl(
    issuer: KeyAndCert,
    revoked: Iterable[tuple[x509.Certificate, datetime]] = (),
    *,
    this_update: datetime,
    next_update: datetime,
    number: int = 1,
    sha1: bool = False,
) -> bytes:
    """A DER CRL of `issuer` listing `revoked` (certificate, revocation date), key compromise; `sha1`:
    signed with sha1WithRSA, as the older government CAs sign theirs."""
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.cert.subject)
        .last_update(this_update)
        .next_update(next_update)
        .add_extension(x509.CRLNumber(number), critical=False)
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
    der = builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    return _resign_crl_sha1(der, issuer.key) if sha1 else der


def _resign_crl_sha1(der: bytes, key: rsa.RSAPrivateKey) -> bytes:
    from asn1crypto import algos
    from asn1crypto import crl as asn1_crl
    from cryptography.hazmat.primitives.asymmetric import padding

    crl = asn1_crl.CertificateList.load(der)
    tbs = crl["tbs_cert_list"]
    tbs["signature"] = algos.SignedDigestAlgorithm({"algorithm": "sha1_rsa"})
    signature = key.sign(tbs.dump(force=True), padding.PKCS1v15(), hashes.SHA1())
    out = asn1_crl.CertificateList(
        {
            "tbs_cert_list": tbs,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha1_rsa"}),
            "signature": signature,
        }
    )
    return out.dump(force=True)


def _crl(issuer: KeyAndCert, revoked: list[tuple[x509.Certificate, datetime]], now: datetime) -> bytes:
    return make_crl(issuer, revoked, this_update=now - timedelta(minutes=30), next_update=now + timedelta(days=365))


def make_pki(
    tmp_dir: Path,
    *,
    agency_name: str = "Sở Tài chính tỉnh Khánh Hòa",
    person_name: str = "Nguyễn Văn An",
    province: str = "Khánh Hòa",
    crl_base_url: str = CRL_BASE_URL,
) -> TestPki:
    """A fresh demo PKI under `tmp_dir`; its trust folder is `tmp_dir / "trust"`.

    Certificates name their CRLs at `crl_base_url` + `/root.crl` (the intermediate's issuer) and `/sub.crl`
    (the leaves' issuer): a test can serve them over HTTP for the revocation refresher.
    """
    now = datetime.now(UTC).replace(microsecond=0)
    long_ago, far = now - timedelta(days=30), now + timedelta(days=730)
    root, sub = _root_and_sub(
        "Demo Root CA (thử nghiệm, không tin cậy)",
        "Demo Sub CA (thử nghiệm)",
        now=now,
        root_crl_url=crl_base_url + ROOT_CRL_PATH,
    )

    def leaf(name: str, subject: x509.Name, **kw) -> KeyAndCert:
        kw.setdefault("not_before", long_ago)
        kw.setdefault("not_after", far)
        return _issue(subject, _new_key(), kw.pop("issuer", sub), name=name, crl_url=crl_base_url + SUB_CRL_PATH, **kw)

    tsa = leaf("tsa", _name("Demo TSA (thử nghiệm)", o="Demo PKI"), time_stamping=True)
    person = leaf("person", _name(person_name, o=agency_name, ou="Lãnh đạo", province=province))
    agency = leaf("agency", _name(agency_name, o=agency_name, province=province), non_repudiation=False)
    publisher = leaf(
        "publisher",
        _name(PUBLISHER_NAME, o=f"Văn phòng Ủy ban nhân dân tỉnh {province}", province=province),
        non_repudiation=False,
    )
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
        publisher=publisher,
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


@dataclass(frozen=True)
class Sha1Pki:
    """A hierarchy like the older government one: a root and an intermediate signed with sha1WithRSA,
    a leaf and a TSA under them, SHA-1 CRLs. `trust_dir` holds the root and the intermediate only."""

    __test__ = False

    root: KeyAndCert
    sub: KeyAndCert
    agency: KeyAndCert
    tsa: KeyAndCert
    sub_crl: bytes
    root_crl: bytes
    trust_dir: Path

    def write_trust_dir(self, path: Path, *, crls: bool = True) -> Path:
        return _write_hierarchy(path, "old-", self.root, self.sub, (self.sub_crl, self.root_crl) if crls else None)


def _write_hierarchy(
    path: Path, prefix: str, root: KeyAndCert, sub: KeyAndCert, crls: tuple[bytes, bytes] | None
) -> Path:
    """A trust folder in several formats at once: the root as PEM, the intermediate as DER, the
    intermediate's CRL as DER and the root's as PEM."""
    path.mkdir(parents=True, exist_ok=True)
    (path / f"{prefix}root.pem").write_bytes(root.cert.public_bytes(serialization.Encoding.PEM))
    (path / f"{prefix}sub-ca.cer").write_bytes(sub.cert.public_bytes(serialization.Encoding.DER))
    if crls is not None:
        sub_crl, root_crl = crls
        (path / f"{prefix}sub-ca.crl").write_bytes(sub_crl)
        pem = x509.load_der_x509_crl(root_crl).public_bytes(serialization.Encoding.PEM)
        (path / f"{prefix}root.crl.pem").write_bytes(pem)
    return path


def _root_and_sub(
    root_cn: str, sub_cn: str, *, now: datetime, root_crl_url: str, sha1: bool = False
) -> tuple[KeyAndCert, KeyAndCert]:
    """A root CA (ten years) and the intermediate it issues (five), naming the root's CRL."""
    root = _issue(
        _name(root_cn, o="Demo PKI"),
        _new_key(),
        None,
        name="root",
        ca=True,
        not_before=now - timedelta(days=30),
        not_after=now + timedelta(days=3650),
        sha1=sha1,
    )
    sub = _issue(
        _name(sub_cn, o="Demo PKI"),
        _new_key(),
        root,
        name="sub",
        ca=True,
        not_before=now - timedelta(days=30),
        not_after=now + timedelta(days=1825),
        crl_url=root_crl_url,
        sha1=sha1,
    )
    return root, sub


def make_sha1_pki(
    tmp_dir: Path, *, agency_name: str = "Ủy ban nhân dân tỉnh Khánh Hòa", crl_base_url: str = CRL_BASE_URL
) -> Sha1Pki:
    """A fresh SHA-1 hierarchy under `tmp_dir` (trust folder `tmp_dir / "trust"`): everything the verifier
    needs a per-root SHA-1 policy for — certificate signatures, CRL signatures, and (with
    `sign_pdf(md_algorithm="sha1", timestamp_md="sha1")`) signature and timestamp digests."""
    now = datetime.now(UTC).replace(microsecond=0)
    long_ago, far = now - timedelta(days=30), now + timedelta(days=730)
    root, sub = _root_and_sub(
        "Old Root CA (SHA-1, thử nghiệm)",
        "Old Sub CA (SHA-1, thử nghiệm)",
        now=now,
        root_crl_url=crl_base_url + "/old-root.crl",
        sha1=True,
    )
    leaf_url = crl_base_url + "/old-sub.crl"
    agency = _issue(
        _name(agency_name, o=agency_name),
        _new_key(),
        sub,
        name="old-agency",
        not_before=long_ago,
        not_after=far,
        crl_url=leaf_url,
        non_repudiation=False,
        sha1=True,
    )
    tsa = _issue(
        _name("Old TSA (SHA-1, thử nghiệm)", o="Demo PKI"),
        _new_key(),
        sub,
        name="old-tsa",
        not_before=long_ago,
        not_after=far,
        crl_url=leaf_url,
        time_stamping=True,
        sha1=True,
    )
    this, nxt = now - timedelta(minutes=30), now + timedelta(days=365)
    pki = Sha1Pki(
        root=root,
        sub=sub,
        agency=agency,
        tsa=tsa,
        sub_crl=make_crl(sub, this_update=this, next_update=nxt, sha1=True),
        root_crl=make_crl(root, this_update=this, next_update=nxt, sha1=True),
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
    timestamp_at: datetime | None = None,
    timestamp_md: str | None = None,
    claimed_time: datetime | None = None,
    certify: bool = False,
    tagged: bool = False,
    stamp_image: Image.Image | None = None,
) -> bytes:
    """`pdf` with one more signature, as an incremental update (earlier signatures stay valid).

    By default only the leaf certificate is embedded, as VGCA signing tools do: the verifier must take
    the intermediate from its trust store. `timestamp` is a TSA key and certificate (e.g. `pki.tsa`);
    `timestamp_at` fixes the time it certifies, `timestamp_md` its own digest (e.g. "sha1"). The traits of
    real Vietnamese signing tools: `claimed_time` is what the signer's clock writes (`signingTime` and
    `/M`; Vietnam time labelled UTC is 7 h off), `certify` makes a certification signature that allows
    form filling and signing (DocMDP P=2), `tagged` files the new widget in the document's structure tree
    (a `/Form` element and a rewritten `/ParentTree`, as iText does; the PDF must be tagged, see
    `tagged_form_pdf`). `stamp_image` is the visible signature's appearance, as e-office systems draw it: the
    signature and the signer's name in one image. Synchronous (pyHanko runs its own event loop): call it from
    plain code.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import MDPPerm
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
    timestamper = (
        DummyTimeStamper(
            tsa_cert=timestamp.asn1_cert, tsa_key=timestamp.asn1_key, fixed_dt=timestamp_at, override_md=timestamp_md
        )
        if timestamp
        else None
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm=md_algorithm,
        subfilter=fields.SigSeedSubFilter(f"/{subfilter}"),
        reason="Ký số văn bản",
        location="Việt Nam",
        certify=certify,
        docmdp_permissions=MDPPerm.FILL_FORMS,
    )
    spec: fields.SigFieldSpec | None = fields.SigFieldSpec(field_name, on_page=on_page, box=box if visible else None)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if tagged and spec is not None:
        fields.append_signature_field(writer, spec)
        _file_in_structure_tree(writer, field_name)
        spec = None
    style = None
    if stamp_image is not None:
        from pyhanko.pdf_utils.images import PdfImage
        from pyhanko.stamp import TextStampStyle

        style = TextStampStyle(stamp_text="", border_width=0, background=PdfImage(stamp_image), background_opacity=1)
    pdf_signer = _clocked_signer_class()(
        meta, signer=cms_signer, timestamper=timestamper, new_field_spec=spec, stamp_style=style
    )
    pdf_signer.claimed_time = claimed_time
    out = pdf_signer.sign_pdf(writer, in_place=False)
    return out.getvalue()


@cache
def _clocked_signer_class():
    from pyhanko.sign import signers

    class ClockedPdfSigner(signers.PdfSigner):
        """A PdfSigner whose clock can be set: what the signer's software claims, never a proof."""

        claimed_time: datetime | None = None

        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
            if self.claimed_time is not None:
                session.system_time = self.claimed_time
            return session

    return ClockedPdfSigner


def vietnam_time_as_utc(moment: datetime) -> datetime:
    """What a signing tool that writes local time as UTC claims at `moment`: 7 h ahead of the truth."""
    return (moment.astimezone(UTC) + timedelta(hours=7)).replace(microsecond=0)


def _file_in_structure_tree(writer, field_name: str) -> None:
    """Give the new signature widget a `/Form` structure element and a parent-tree key, rewriting the
    parent tree (new objects for its arrays, one more key), as iText-based Vietnamese signing tools do."""
    from pyhanko.pdf_utils import generic

    root = writer.root
    form = root["/AcroForm"]
    widget_ref = next(
        form["/Fields"].raw_get(i) for i in range(len(form["/Fields"])) if form["/Fields"][i].get("/T") == field_name
    )
    widget = widget_ref.get_object()
    tree_ref = root.raw_get("/StructTreeRoot")
    tree = tree_ref.get_object()
    key = int(tree["/ParentTreeNextKey"])
    widget["/StructParent"] = generic.NumberObject(key)
    writer.update_container(widget)
    doc_ref = tree.raw_get("/K")
    doc = doc_ref.get_object()
    elem = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/StructElem"),
                generic.NameObject("/S"): generic.NameObject("/Form"),
                generic.NameObject("/P"): doc_ref,
                generic.NameObject("/Pg"): widget.raw_get("/P"),
                generic.NameObject("/K"): generic.DictionaryObject(
                    {generic.NameObject("/Type"): generic.NameObject("/OBJR"), generic.NameObject("/Obj"): widget_ref}
                ),
            }
        )
    )
    doc["/K"].append(elem)
    writer.update_container(doc)
    nums = generic.ArrayObject()
    old = tree["/ParentTree"]["/Nums"]
    for i in range(0, len(old), 2):
        value = old.raw_get(i + 1)
        if isinstance(value.get_object(), generic.ArrayObject):
            value = writer.add_object(generic.ArrayObject(value.get_object()))  # rewritten, same content
        nums.extend([old[i], value])
    nums.extend([generic.NumberObject(key), elem])
    tree["/ParentTree"] = writer.add_object(generic.DictionaryObject({generic.NameObject("/Nums"): nums}))
    tree["/ParentTreeNextKey"] = generic.NumberObject(key + 1)
    writer.update_container(tree)


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
