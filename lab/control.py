"""The lab's control socket: one JSON request per line, one JSON answer per line.

The running lab process serves it (`serve_control`); `netkb lab status|fault|stop` and the
tests use `request()` to talk to it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
from pathlib import Path
from typing import Any

from netkb.errors import OneLineError
from netkb.lab.faults import FaultError
from netkb.lab.model import Fault
from netkb.lab.operations import set_clock, upgrade
from netkb.lab.server import Lab


class LabNotRunning(OneLineError):
    pass


async def serve_control(lab: Lab, path: Path, stop: asyncio.Event) -> asyncio.AbstractServer:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await reader.readline()
            answer = await _dispatch(lab, json.loads(line), stop)
        except (FaultError, KeyError, ValueError) as exc:
            answer = {"ok": False, "error": str(exc).strip("\"'")}
        writer.write(json.dumps(answer, ensure_ascii=False).encode() + b"\n")
        await writer.drain()
        writer.close()

    path.unlink(missing_ok=True)
    return await asyncio.start_unix_server(handle, path=str(path))


async def _dispatch(lab: Lab, req: dict[str, Any], stop: asyncio.Event) -> dict[str, Any]:
    op = req.get("op")
    if op == "status":
        return {"ok": True, **lab.status()}
    if op == "fault":
        return {"ok": True, "message": await lab.set_fault(req["device"], _fault(req["kind"]))}
    if op == "clear":
        which = _fault(req["kind"]) if req.get("kind") else None
        return {"ok": True, "message": await lab.clear_fault(req["device"], which)}
    if op == "clock":  # {"at": ISO 8601 with zone}
        return {"ok": True, "message": set_clock(lab.net, dt.datetime.fromisoformat(req["at"]))}
    if op == "upgrade":  # {"device": name, "version": new software version}
        return {"ok": True, "message": upgrade(lab.device(req["device"]), str(req["version"]))}
    if op == "stop":
        stop.set()
        return {"ok": True, "message": "lab stopping"}
    raise ValueError(f"unknown control operation {op!r}")


def _fault(kind: str) -> Fault:
    try:
        return Fault(kind)
    except ValueError:
        raise ValueError(f"unknown fault {kind!r}; one of: {', '.join(f.value for f in Fault)}") from None


def request(path: Path, payload: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
    """Send one request to a running lab and return its answer."""
    if not path.exists():
        raise LabNotRunning(
            f"no lab is running (no control socket at {path}); start one with `netkb lab start`"
        )
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(str(path))
        except (ConnectionRefusedError, FileNotFoundError) as exc:
            raise LabNotRunning(
                f"the lab at {path.parent} is not answering; start it with `netkb lab start`"
            ) from exc
        sock.sendall(json.dumps(payload).encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    return json.loads(data)  # type: ignore[no-any-return]
