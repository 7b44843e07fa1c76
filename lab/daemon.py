"""Starting, finding and stopping the lab process in the background.

`netkb lab start` spawns `python -m netkb.lab.daemon` detached from the terminal and waits until
it reports ready in `lab.json`; `stop` asks it through the control socket (then signals, if
it does not answer). The state folder holds host keys, the inventory, the log, the socket.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netkb.errors import OneLineError
from netkb.lab.control import LabNotRunning, request, serve_control
from netkb.lab.inventory import write_lab_files
from netkb.lab.server import Lab
from netkb.lab.topology import DEFAULT_DEVICES, build_network

DEFAULT_STATE = Path(".lab")
# Below Linux's ephemeral range (32768-60999), so client sockets never take a device's port.
DEFAULT_BASE_PORT = 16000
START_TIMEOUT = 180.0


class LabError(OneLineError):
    pass


@dataclass(frozen=True)
class LabOptions:
    state: Path = DEFAULT_STATE
    devices: int = DEFAULT_DEVICES
    seed: int = 0
    latency_ms: int = 0
    base_port: int = DEFAULT_BASE_PORT


def _info_path(state: Path) -> Path:
    return state / "lab.json"


def socket_path(state: Path) -> Path:
    return state / "control.sock"


def read_info(state: Path) -> dict[str, Any] | None:
    try:
        return json.loads(_info_path(state).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours is dead for our purposes.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def start(options: LabOptions) -> dict[str, Any]:
    """Start the lab in the background; returns its info once every device listens."""
    state = options.state.resolve()
    info = read_info(state)
    if info and _alive(int(info["pid"])):
        raise LabError(
            f"a lab is already running from {state} (pid {info['pid']}); stop it with `netkb lab stop`"
        )
    state.mkdir(parents=True, exist_ok=True)
    _info_path(state).unlink(missing_ok=True)
    log_path = state / "lab.log"
    cmd = [
        sys.executable,
        "-m",
        "netkb.lab.daemon",
        "--state",
        str(state),
        "--devices",
        str(options.devices),
        "--seed",
        str(options.seed),
        "--latency",
        str(options.latency_ms),
        "--base-port",
        str(options.base_port),
    ]
    with log_path.open("ab") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        info = read_info(state)
        if info and info.get("pid") == proc.pid:
            return info
        if proc.poll() is not None:
            tail = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
            raise LabError(f"the lab did not start: {' | '.join(tail) or 'no output'} (log: {log_path})")
        time.sleep(0.1)
    proc.kill()
    raise LabError(f"the lab did not report ready within {START_TIMEOUT:.0f} s (log: {log_path})")


def stop(state: Path) -> bool:
    """Stop the lab; False if none was running."""
    state = state.resolve()
    info = read_info(state)
    if info is None:
        return False
    pid = int(info["pid"])
    try:
        request(socket_path(state), {"op": "stop"}, timeout=10)
    except (LabNotRunning, OSError):
        if _alive(pid):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
    _info_path(state).unlink(missing_ok=True)
    socket_path(state).unlink(missing_ok=True)
    return True


def status(state: Path) -> dict[str, Any]:
    info = read_info(state.resolve())
    if info is None or not _alive(int(info["pid"])):
        raise LabNotRunning(f"no lab is running from {state.resolve()}; start one with `netkb lab start`")
    return {**info, **request(socket_path(state.resolve()), {"op": "status"})}


# --- the background process itself -----------------------------------------------------


async def serve(options: LabOptions) -> None:
    started = time.monotonic()
    net = build_network(options.devices, options.seed)
    for index, dev in enumerate(net.devices.values()):
        dev.port = options.base_port + index
    lab = Lab(net, options.state, options.latency_ms)
    await lab.start()
    stop_event = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop_event.set)
    control = await serve_control(lab, socket_path(options.state), stop_event)
    header = (
        f"# netkb inventory written by `netkb lab start` (seed {options.seed}, {len(net.devices)} devices).\n"
        "# Credentials are in credentials.yml beside this file (mode 0600).\n"
    )
    inventory = write_lab_files(net, options.state, header)
    info = {
        "pid": os.getpid(),
        "devices": len(net.devices),
        "seed": options.seed,
        "latency_ms": options.latency_ms,
        "ports": [options.base_port, options.base_port + len(net.devices) - 1],
        "inventory": str(inventory),
        "started_in_s": round(time.monotonic() - started, 2),
    }
    tmp = _info_path(options.state).with_suffix(".tmp")
    tmp.write_text(json.dumps(info, indent=2), encoding="utf-8")
    tmp.replace(_info_path(options.state))
    print(f"lab ready: {len(net.devices)} devices in {info['started_in_s']} s", flush=True)
    await stop_event.wait()
    control.close()
    await lab.stop()
    socket_path(options.state).unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m netkb.lab.daemon", description="Run the netkb lab in the foreground."
    )
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    parser.add_argument("--devices", type=int, default=DEFAULT_DEVICES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--latency", type=int, default=0)
    parser.add_argument("--base-port", type=int, default=DEFAULT_BASE_PORT)
    args = parser.parse_args()
    options = LabOptions(args.state.resolve(), args.devices, args.seed, args.latency, args.base_port)
    asyncio.run(serve(options))


if __name__ == "__main__":
    main()
