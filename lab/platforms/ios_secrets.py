"""How Cisco IOS prints secrets: type 7 (reversible), type 5 (MD5-crypt), type 8 (PBKDF2), type 9 (scrypt).

The model keeps plain text. Each form here is the real algorithm, so a type-7 decoder recovers the
plain text and a type-5/8/9 verifier accepts the hash; only the salt is derived (from the device
name and the plain text) instead of random, because IOS prints the same string every time.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

# The fixed key of the type-7 cipher (public since the 1990s; every decoder uses it).
TYPE7_KEY = b"dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"
# The crypt(3) alphabet IOS uses for salts and for type 8/9 hash encoding.
CRYPT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_B64_STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_TO_CRYPT = str.maketrans(_B64_STANDARD, CRYPT_ALPHABET)


def _seed(device: str, plain: str, purpose: str) -> bytes:
    return hashlib.sha256(f"{device}\0{purpose}\0{plain}".encode()).digest()


def _salt(device: str, plain: str, purpose: str, length: int) -> str:
    return "".join(CRYPT_ALPHABET[b % 64] for b in _seed(device, plain, purpose)[:length])


def type7_encode(plain: str, device: str = "") -> str:
    """`password 7 0822455D0A16`: two decimal salt digits, then hex of each byte XOR the key."""
    salt = _seed(device, plain, "type7")[0] % 16
    data = plain.encode("utf-8")
    body = "".join(f"{b ^ TYPE7_KEY[(salt + i) % len(TYPE7_KEY)]:02X}" for i, b in enumerate(data))
    return f"{salt:02d}{body}"


def type7_decode(cipher: str) -> str:
    salt = int(cipher[:2])
    data = bytes.fromhex(cipher[2:])
    return bytes(b ^ TYPE7_KEY[(salt + i) % len(TYPE7_KEY)] for i, b in enumerate(data)).decode("utf-8")


def _crypt_b64(value: int, count: int) -> str:
    out = []
    for _ in range(count):
        out.append(CRYPT_ALPHABET[value & 0x3F])
        value >>= 6
    return "".join(out)


def md5_crypt(plain: str, salt: str) -> str:
    """The FreeBSD MD5-crypt (`$1$`) that IOS type 5 is, with IOS's 4-character salt."""
    pw, sb, magic = plain.encode(), salt.encode(), b"$1$"
    alt = hashlib.md5(pw + sb + pw).digest()
    ctx = hashlib.md5(pw + magic + sb)
    for i in range(len(pw), 0, -16):
        ctx.update(alt[: min(16, i)])
    i = len(pw)
    while i:
        ctx.update(b"\0" if i & 1 else pw[:1])
        i >>= 1
    final = ctx.digest()
    for i in range(1000):
        step = hashlib.md5()
        step.update(pw if i & 1 else final)
        if i % 3:
            step.update(sb)
        if i % 7:
            step.update(pw)
        step.update(final if i & 1 else pw)
        final = step.digest()
    f = final
    encoded = "".join(
        _crypt_b64((f[a] << 16) | (f[b] << 8) | f[c], 4)
        for a, b, c in ((0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5))
    )
    encoded += _crypt_b64(f[11], 2)
    return f"$1${salt}${encoded}"


def _cisco_b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode().rstrip("=").translate(_TO_CRYPT)


@cache
def type5(plain: str, device: str = "") -> str:
    return md5_crypt(plain, _salt(device, plain, "type5", 4))


@cache
def type8(plain: str, device: str = "") -> str:
    """PBKDF2-HMAC-SHA256, 20000 rounds, 14-character salt used as its ASCII bytes."""
    salt = _salt(device, plain, "type8", 14)
    digest = hashlib.pbkdf2_hmac("sha256", plain.encode(), salt.encode(), 20000, 32)
    return f"$8${salt}${_cisco_b64(digest)}"


@cache
def type9(plain: str, device: str = "") -> str:
    """scrypt N=16384, r=1, p=1, 14-character salt used as its ASCII bytes."""
    salt = _salt(device, plain, "type9", 14)
    digest = hashlib.scrypt(plain.encode(), salt=salt.encode(), n=16384, r=1, p=1, dklen=32)
    return f"$9${salt}${_cisco_b64(digest)}"


def verify(plain: str, hashed: str) -> bool:
    """Check a plain text against a type 5/8/9 string (used by the tests and by `enable`)."""
    kind, salt = hashed.split("$")[1:3]
    if kind == "1":
        return md5_crypt(plain, salt) == hashed
    if kind == "8":
        raw = hashlib.pbkdf2_hmac("sha256", plain.encode(), salt.encode(), 20000, 32)
    elif kind == "9":
        raw = hashlib.scrypt(plain.encode(), salt=salt.encode(), n=16384, r=1, p=1, dklen=32)
    else:
        return False
    return f"${kind}${salt}${_cisco_b64(raw)}" == hashed
