"""SHA-1 accepted per root, never silently (SIGNATURES.md; issue 10).

The older government hierarchy ("Co quan chung thuc so chuyen dung Chinh phu (RootCA)" → "Co quan chung
thuc so Chinh phu") signs its intermediate with sha1WithRSA, and most agency signatures and timestamps
made under it use SHA-1 digests. That is what agencies really send, so an admin may accept SHA-1 for the
roots that need it (`trust.toml`, `allow_sha1 = true`) — and only for them: a SHA-1 signature under any
other root still fails with CRYPTO_CONSTRAINTS_FAILURE. Whatever SHA-1 was accepted is recorded, so the
verdict can say "thuật toán yếu".

pyHanko asks its algorithm policy about every signature it checks, with the public key that verifies it
(a CA's key for a certificate or a CRL, the signer's key for the CMS signature); digests alone come without
a key. `WeakAlgorithmPolicy` therefore allows SHA-1 for keys that belong to the store under an allowing
root, and for the digest of one signer (or TSA) whose issuer is such a key — one policy object per
signature and per timestamp, as validation contexts are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import algos, keys
from asn1crypto import x509 as asn1_x509
from pyhanko_certvalidator.policy_decl import AlgorithmUsageConstraint, DisallowWeakAlgorithmsPolicy

from gateway.trust import TrustStore

WEAK = frozenset({"sha1"})  # accepted only where the trust policy says so
BROKEN = frozenset({"md2", "md5"})  # never


@dataclass
class WeakUse:
    """Where SHA-1 was accepted during one validation."""

    places: set[str] = field(default_factory=set)


class WeakAlgorithmPolicy(DisallowWeakAlgorithmsPolicy):
    """pyHanko's default policy (MD5 and small keys refused), with SHA-1 allowed for listed keys only."""

    def __init__(self, sha1_keys: frozenset[bytes], *, own_key: bytes | None, use: WeakUse, what: str):
        super().__init__(weak_hash_algos=BROKEN | WEAK)
        self.sha1_keys = sha1_keys
        # the signer's (or TSA's) own key, when its certificate was issued under an allowing root
        self.own_key = own_key
        self.use = use
        self.what = what

    @property
    def sha1_digest(self) -> bool:
        return self.own_key is not None

    def digest_algorithm_allowed(
        self, algo: algos.DigestAlgorithm, moment: datetime | None
    ) -> AlgorithmUsageConstraint:
        name = algo["algorithm"].native
        if name in WEAK and self.sha1_digest:
            self.use.places.add(self.what)
            return AlgorithmUsageConstraint(allowed=True)
        return super().digest_algorithm_allowed(algo, moment)

    def signature_algorithm_allowed(
        self, algo: algos.SignedDigestAlgorithm, moment: datetime | None, public_key: keys.PublicKeyInfo | None
    ) -> AlgorithmUsageConstraint:
        try:
            hash_algo = algo.hash_algo
        except ValueError:
            hash_algo = None
        if hash_algo in WEAK and public_key is not None:
            key = public_key.dump()
            place = "certificate chain" if key in self.sha1_keys else self.what if key == self.own_key else None
            if place is not None:
                verdict = _RELAXED.signature_algorithm_allowed(algo, moment, public_key)
                if verdict:
                    self.use.places.add(place)
                return verdict
        return super().signature_algorithm_allowed(algo, moment, public_key)


_RELAXED = DisallowWeakAlgorithmsPolicy(weak_hash_algos=BROKEN)


def policy_for(
    store: TrustStore, sha1_keys: frozenset[bytes], cert: asn1_x509.Certificate | None, *, use: WeakUse, what: str
) -> WeakAlgorithmPolicy:
    """The policy for validating a signature (or timestamp) made with `cert`'s key.

    Its own digest may be SHA-1 when `cert` was issued by a key under an allowing root (checked by name
    here; path validation then proves the issuer really signed it).
    """
    issued_under = False
    if cert is not None and sha1_keys:
        issued_under = any(
            c.public_key.dump() in sha1_keys for c in store.certificates if c.subject.dump() == cert.issuer.dump()
        )
    own_key = cert.public_key.dump() if cert is not None and issued_under else None
    return WeakAlgorithmPolicy(sha1_keys, own_key=own_key, use=use, what=what)
