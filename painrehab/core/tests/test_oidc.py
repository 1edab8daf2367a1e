"""The id_token check both sign-ins rely on (core.oidc.verify_id_token):
tokens signed here with a key of our own, and with the test provider's key
against the keys it publishes."""

import base64
import hashlib
import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from painrehab.core import oidc
from tests.oidc_provider.fixtures import STAFF_CLIENT

ISSUER = "https://idp.region.example/oidc"
CLIENT = "painrehab"
NOW = 1_800_000_000.0  # an explicit clock: no test here reads the real time


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KEY, OTHER_KEY = _key(), _key()


def _jwks(key: rsa.RSAPrivateKey, kid: str = "k1") -> dict:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {"keys": [{**public, "kid": kid, "use": "sig", "alg": "RS256"}]}


def _token(key=KEY, kid="k1", algorithm="RS256", **changes) -> str:  # noqa: ANN001
    claims = {
        "iss": ISSUER,
        "aud": CLIENT,
        "sub": "user-1",
        "iat": int(NOW) - 10,
        "exp": int(NOW) + 300,
        "nonce": "n-123",
        **changes,
    }
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": kid})


def _verify(token: str, *, jwks=None, nonce="n-123", now=NOW) -> dict:  # noqa: ANN001
    return oidc.verify_id_token(
        token,
        jwks=jwks or _jwks(KEY),
        issuer=ISSUER,
        audience=CLIENT,
        nonce=nonce,
        now=now,
    )


def test_a_token_that_passes_every_check_gives_its_claims():
    assert _verify(_token())["sub"] == "user-1"


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (_token(aud="another-client"), "wrong audience"),
        (_token(aud=["another-client", CLIENT]), "wrong authorised party"),
        (_token(iss="https://evil.example"), "wrong issuer"),
        (_token(exp=int(NOW) - 61), "expired"),
        (_token(iat=int(NOW) + 61), "issued in the future"),
        (_token(nbf=int(NOW) + 61), "issued in the future"),
        (_token(nonce="another-login"), "wrong nonce"),
        (_token(nonce=None), "wrong nonce"),
        (_token(exp=None), "claim missing: exp"),
        (_token(sub=None), "claim missing: sub"),
        (_token(key=OTHER_KEY), "signature does not verify"),
        (_token(kid="unknown"), "no matching key of the provider"),
        ("not-a-token", "not a signed token"),
    ],
)
def test_a_token_failing_one_check_is_refused_naming_it(token, reason):
    with pytest.raises(oidc.IdTokenRefused) as refused:
        _verify(token)
    assert refused.value.reason == reason


def test_expiry_allows_a_minute_of_clock_difference():
    assert _verify(_token(exp=int(NOW) - 59))
    with pytest.raises(oidc.IdTokenRefused, match="expired"):
        _verify(_token(exp=int(NOW) - 59), now=NOW + 2)


def test_several_audiences_pass_when_we_are_the_authorised_party():
    assert _verify(_token(aud=["another-client", CLIENT], azp=CLIENT))


def test_only_rs256_is_accepted():
    """Neither an unsigned token nor an HMAC over the public key (the
    algorithm-confusion attack) nor another RSA variant passes."""
    unsigned = jwt.encode(
        {"iss": ISSUER, "aud": CLIENT}, "", algorithm="none", headers={"kid": "k1"}
    )
    hmac_token = jwt.encode(
        {"iss": ISSUER, "aud": CLIENT},
        "k" * 32,
        algorithm="HS256",
        headers={"kid": "k1"},
    )
    for token in (unsigned, hmac_token, _token(algorithm="RS512")):
        with pytest.raises(oidc.IdTokenRefused, match="algorithm is not RS256"):
            _verify(token)


def test_a_key_set_with_two_keys_picks_the_one_named_by_kid():
    jwks = {"keys": _jwks(OTHER_KEY, "k0")["keys"] + _jwks(KEY, "k1")["keys"]}
    assert _verify(_token(), jwks=jwks)
    with pytest.raises(oidc.IdTokenRefused, match="signature"):
        _verify(_token(key=OTHER_KEY), jwks=jwks)


def test_an_empty_nonce_refuses_even_a_token_without_one():
    with pytest.raises(oidc.IdTokenRefused, match="wrong nonce"):
        _verify(_token(nonce=None), nonce="")


def test_pkce_challenge_is_the_s256_of_the_verifier():
    verifier, challenge = oidc.new_pkce_pair()
    assert len(verifier) >= 43
    assert oidc.new_pkce_pair() != (verifier, challenge)
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    assert challenge == expected.rstrip(b"=").decode()


def test_tokens_signed_with_the_providers_key_against_its_published_keys(
    oidc_provider,
):
    """The provider's own key (from its directory) and the key set it serves:
    a right token passes, a wrong audience and an expired one do not."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    key = load_pem_private_key(oidc_provider.private_key_pem, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    jwks = oidc.fetch_json(oidc_provider.endpoint("jwks"))
    kid = jwks["keys"][0]["kid"]
    claims = {
        "iss": oidc_provider.issuer,
        "sub": "1",
        "iat": int(NOW) - 5,
        "exp": int(NOW) + 300,
        "nonce": "n",
    }

    def check(**changes: object) -> dict:
        token = jwt.encode(
            {"aud": STAFF_CLIENT[0], **claims, **changes},
            key,
            algorithm="RS256",
            headers={"kid": kid},
        )
        return oidc.verify_id_token(
            token,
            jwks=jwks,
            issuer=oidc_provider.issuer,
            audience=STAFF_CLIENT[0],
            nonce="n",
            now=NOW,
        )

    assert check()["sub"] == "1"
    with pytest.raises(oidc.IdTokenRefused, match="wrong audience"):
        check(aud="painrehab-eid")
    with pytest.raises(oidc.IdTokenRefused, match="expired"):
        check(exp=int(NOW) - 3600)
