"""The secrets a simulated device holds, in plain text: local users, the super/enable password,
SNMP communities and users, AAA and NTP keys, IKE pre-shared keys. The platform renderers print
them hashed or ciphered the way each platform does, and the redaction tests look for them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LocalUser:
    name: str
    password: str  # plain in the model; renderers print it hashed/ciphered as the platform does
    level: int = 15
    services: list[str] = field(default_factory=lambda: ["ssh", "terminal"])


@dataclass
class SnmpCommunity:
    name: str
    access: str = "read"  # read | write


@dataclass
class SnmpUser:
    name: str
    group: str
    auth_key: str
    priv_key: str


@dataclass
class AaaServer:
    kind: str  # radius | hwtacacs | tacacs
    scheme: str
    host: str
    key: str


@dataclass
class IkePeer:
    name: str
    address: str
    psk: str


@dataclass
class NtpServer:
    address: str
    key_id: int | None = None
    key: str | None = None


@dataclass
class Secrets:
    users: list[LocalUser] = field(default_factory=list)
    super_password: str | None = None  # Comware `super password`, IOS enable secret
    snmp_communities: list[SnmpCommunity] = field(default_factory=list)
    snmp_users: list[SnmpUser] = field(default_factory=list)
    aaa_servers: list[AaaServer] = field(default_factory=list)
    ike_peers: list[IkePeer] = field(default_factory=list)
    ntp_servers: list[NtpServer] = field(default_factory=list)
