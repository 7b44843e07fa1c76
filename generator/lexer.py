"""A Pygments lexer for Comware, VRP and IOS configurations (Pygments has none).

Registered as `netconfig` through the `pygments.lexers` entry point, so pymdownx.highlight finds
it by name. It marks only what helps reading a config: comment/separator lines, the section
that a top-level command opens, addresses, `shutdown`/`undo`/`no`, descriptions and the
redaction markers; everything else stays plain text (fewer spans keep large pages small).
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups
from pygments.token import Comment, Keyword, Name, Number, String, Text


class NetConfigLexer(RegexLexer):  # Pygments declares lexers with (mutable) class attributes
    name = "Network device configuration"
    aliases = ["netconfig"]  # noqa: RUF012
    filenames: list[str] = []  # noqa: RUF012

    tokens = {  # noqa: RUF012
        "root": [
            (r"^[#!].*\n", Comment),
            (r"^(return|end)\n", Keyword),
            (r"<secret:[^>\n]*>", String.Escape),
            (r"^(\s*)(description|name)( .*\n)", bygroups(Text, Keyword, String)),
            (r"^(\s*)(undo|no)\b", bygroups(Text, Keyword.Pseudo)),
            (r"\bshutdown\b", Keyword.Pseudo),
            (
                r"^(interface|vlan|ospf|router|bgp|acl|ip access-list|user-interface|line|aaa|radius scheme|"
                r"hwtacacs scheme|domain|local-user|snmp-agent|wlan|port-group|irf|sysname|hostname)\b.*\n",
                Name.Class,
            ),
            (r"\b\d{1,3}(\.\d{1,3}){3}(/\d{1,2})?\b", Number),
            (r"[^\n<]+?(?=<secret:|\b\d{1,3}(?:\.\d{1,3}){3}\b|\bshutdown\b|\n)", Text),
            (r"\n", Text),
            (r".", Text),
        ]
    }
