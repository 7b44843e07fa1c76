"""Fault injection on the model: what each fault changes on a device, and how it clears.

Transport faults (auth failure, refused, hang, slow, disconnect, truncated config, paging
stuck) only need the flag in `Device.faults`: the SSH server and the shell read it. Hardware
and protocol faults change the model, so every output rendered from it shows the fault the
way the real device would (`Fault` states, a lost neighbour, new log entries, uptime reset).
"""

from __future__ import annotations

from collections.abc import Callable

from netkb.lab import lldp
from netkb.lab.model import AccessPoint, Device, Fault, Network, Platform


class FaultError(Exception):
    """A fault that cannot be applied to this device (said in one line to the user)."""


def inject(net: Network, dev: Device, fault: Fault) -> str:
    """Apply a fault; returns a one-line description of what changed."""
    effect = _EFFECTS.get(fault)
    if effect is not None:  # transport faults only need the flag
        effect(net, dev)
    dev.faults.add(fault)
    return f"{dev.name}: {fault.value} injected"


def _fan(net: Network, dev: Device) -> None:
    _need(dev.fans, dev, Fault.FAN)
    dev.fans[0].status = "Fault"
    dev.fans[0].speed_rpm = 0
    dev.log("DEV", 2, "FAN_FAILED", f"Fan {dev.fans[0].index} failed.")


def _power(net: Network, dev: Device) -> None:
    _need(dev.power_supplies, dev, Fault.POWER)
    dev.power_supplies[-1].status = "Fault"
    dev.log("DEV", 2, "POWER_FAILED", f"Power {dev.power_supplies[-1].index} failed.")


def _board(net: Network, dev: Device) -> None:
    board = _faultable_board(dev)
    board.status = "Fault"
    dev.log(
        "DEV",
        2,
        "BOARD_STATE_FAULT",
        f"Board state changed to Fault on slot {board.slot}, type is {board.kind}.",
    )


def _temperature(net: Network, dev: Device) -> None:
    _need(dev.sensors, dev, Fault.TEMPERATURE)
    sensor = dev.sensors[0]
    dev.log(
        "DEV",
        3,
        "TEMPERATURE_WARNING",
        f"Temperature is greater than the high-temperature warning threshold on slot {sensor.slot} "
        f"sensor {sensor.name}. Current temperature is {sensor.warning + 6} degrees centigrade.",
    )


def _ospf_down(net: Network, dev: Device) -> None:
    neighbors = net.ospf_neighbors(dev)
    if not neighbors:
        raise FaultError(f"{dev.name}: has no OSPF neighbour to lose; pick a core, aggregation or firewall")
    lost = neighbors[0]
    peer = dev.interfaces[lost.interface].peer
    assert peer is not None and dev.ospf is not None  # an adjacency implies both
    far_name, far_if = peer
    net.broken_adjacencies.add(frozenset({(dev.name, lost.interface), (far_name, far_if)}))
    for who, iface, other in (
        (dev, lost.interface, lost.router_id),
        (net.devices[far_name], far_if, dev.ospf.router_id),
    ):
        who.log(
            "OSPF",
            5,
            "OSPF_NBR_CHG",
            f"OSPF 1 Neighbor {other}({iface}) changed from FULL to DOWN.",
        )


def _log_errors(net: Network, dev: Device) -> None:
    dev.log("DEV", 2, "BOARD_REBOOT", "Board is rebooting on slot 1.")
    dev.log("IFNET", 3, "PHY_UPDOWN", "Physical state on the interface GigabitEthernet1/0/3 changed to down.")
    dev.log("STP", 3, "STP_DETECTED_TC", "Instance 0's port GigabitEthernet1/0/3 detected a topology change.")


def _reboot(net: Network, dev: Device) -> None:
    dev.boot_time = dev.now() - 95
    dev.logbuffer.clear()  # the buffer lives in RAM: a reboot empties it
    dev.log("DEV", 5, "SYSTEM_REBOOT", "System is rebooting now.")


def _ap_down(net: Network, dev: Device) -> None:
    for ap in building_aps(dev):
        ap.online = False
        dev.log(
            "CWS",
            4,
            "CWS_AP_DOWN",
            f"CAPWAP tunnel to AP {ap.name} went down. Reason: Neighbor dead timer expired.",
        )


def _garbage_output(net: Network, dev: Device) -> None:
    if dev.platform is not Platform.COMWARE:
        raise FaultError(f"{dev.name}: garbage-output is simulated on Comware devices; pick one")


def _unsaved(net: Network, dev: Device) -> None:
    dev.before_config_change()
    physical = [i for i in dev.interfaces.values() if i.is_physical]
    port = next((i for i in physical if i.peer is None), physical[0])
    port.description = "临时变更-未保存"
    dev.log("SHELL", 6, "SHELL_CMD", "Command is description 临时变更-未保存")


def _leaky_text(net: Network, dev: Device) -> None:
    _leak_text(dev)


# What each fault changes on the model; a fault not here only sets its flag (the SSH server and
# the shell read it).
_EFFECTS: dict[Fault, Callable[[Network, Device], None]] = {
    Fault.FAN: _fan,
    Fault.POWER: _power,
    Fault.BOARD: _board,
    Fault.TEMPERATURE: _temperature,
    Fault.OSPF_DOWN: _ospf_down,
    Fault.LOG_ERRORS: _log_errors,
    Fault.REBOOT: _reboot,
    Fault.AP_DOWN: _ap_down,
    Fault.GARBAGE_OUTPUT: _garbage_output,
    Fault.UNSAVED: _unsaved,
    Fault.LEAKY_TEXT: _leaky_text,
    Fault.ROGUE_NEIGHBOUR: lldp.plug_rogue,
}


# The secrets of the leaky-text fault (tests look for them everywhere netkb writes).
LEAKY_SECRETS = ("Lk-Desc-01", "Lk-Comm-02", "Lk-Pass-03", "Lk-User-04")
# (module, severity, mnemonic, text) as each platform logs a rejected command, a recorded
# command and a failed login (vendor log references: Comware SHELL_CMD_MATCHFAIL / SHELL_CMD /
# LOGIN_FAILED, VRP AUTHCMDFAIL / CMDRECORD / SSH_USER_LOGIN_FAIL, IOS CFGLOG_LOGGEDCMD /
# SEC_LOGIN-4-LOGIN_FAILED; RGOS: the lab's own mnemonics, no reference found).
_LEAKY_LOGS = {
    Platform.COMWARE: [
        (
            "SHELL",
            4,
            "SHELL_CMD_MATCHFAIL",
            "-User=admin-IPAddr=10.1.1.9; Command snmp-agent community read Lk-Comm-02 in view system "
            "does not exist.",
        ),
        (
            "SHELL",
            6,
            "SHELL_CMD",
            "-Line=vty0-IPAddr=10.1.1.9-User=admin; Command is password simple Lk-Pass-03",
        ),
        ("LOGIN", 4, "LOGIN_FAILED", "Lk-User-04 failed to log in from 10.1.1.9."),
    ],
    Platform.VRP: [
        (
            "SHELL",
            4,
            "AUTHCMDFAIL",
            'Command authorization failed. (LineIndex=34, UserName=admin, Command="snmp-agent community read '
            'Lk-Comm-02", Source=10.1.1.9)',
        ),
        (
            "SHELL",
            5,
            "CMDRECORD",
            "Recorded command information. (Task=VT0, Ip=10.1.1.9, VpnName=, User=admin, "
            'Command="local-user guest password irreversible-cipher Lk-Pass-03", Result=Success)',
        ),
        (
            "SSH",
            4,
            "SSH_USER_LOGIN_FAIL",
            "The SSH user failed to login. (ServiceType=stelnet, FailedReason=Password authentication "
            "failed, UserName=Lk-User-04, IPAddress=10.1.1.9, VpnInstanceName=)",
        ),
    ],
    Platform.IOS: [
        ("PARSER", 4, "CFGLOG_LOGGEDCMD", "User:admin  logged command:snmp-server community Lk-Comm-02 RO"),
        ("PARSER", 5, "CFGLOG_LOGGEDCMD", "User:admin  logged command:username guest secret 0 Lk-Pass-03"),
        (
            "SEC_LOGIN",
            4,
            "LOGIN_FAILED",
            "Login failed [user: Lk-User-04] [Source: 10.1.1.9] [localport: 22] [Reason: Login "
            "Authentication Failed]",
        ),
    ],
    # RGOS logs in the Cisco-like layout (%MODULE-SEV-MNEMONIC); these mnemonics are the lab's.
    Platform.RGOS: [
        (
            "CLI",
            4,
            "CMD_FAIL",
            "User admin(10.1.1.9) failed to run command: snmp-server community Lk-Comm-02 ro",
        ),
        ("CLI", 5, "EXEC_CMD", "User admin(10.1.1.9) ran command: username guest password 0 Lk-Pass-03"),
        ("SSH", 4, "LOGIN_FAILED", "Login failed [user: Lk-User-04] [Source: 10.1.1.9] [localport: 22]"),
    ],
}


def _leak_text(dev: Device) -> None:
    dev.before_config_change()
    physical = [i for i in dev.interfaces.values() if i.is_physical]
    port = next((i for i in physical if i.peer is None), physical[0])
    port.description = "pppoe password simple Lk-Desc-01"
    dev.save()
    for module, severity, mnemonic, text in _LEAKY_LOGS[dev.platform]:
        dev.log(module, severity, mnemonic, text)


def clear(net: Network, dev: Device, fault: Fault | None = None) -> str:
    """Clear one fault, or all of them; the device returns to health."""
    for current in sorted(dev.faults if fault is None else {fault} & dev.faults):
        _clear_one(net, dev, current)
        dev.faults.discard(current)
    return f"{dev.name}: {'all faults' if fault is None else fault.value} cleared"


def _clear_one(net: Network, dev: Device, fault: Fault) -> None:
    if fault is Fault.FAN:
        dev.fans[0].status = "Normal"
        dev.fans[0].speed_rpm = 3350
        dev.log("DEV", 5, "FAN_RECOVERED", f"Fan {dev.fans[0].index} recovered.")
    elif fault is Fault.POWER:
        dev.power_supplies[-1].status = "Normal"
        dev.log("DEV", 5, "POWER_RECOVERED", f"Power {dev.power_supplies[-1].index} recovered.")
    elif fault is Fault.BOARD:
        for board in dev.boards:
            if board.status == "Fault":
                board.status = "Normal"
    elif fault is Fault.OSPF_DOWN:
        mine = {pair for pair in net.broken_adjacencies if any(end[0] == dev.name for end in pair)}
        net.broken_adjacencies -= mine
    elif fault is Fault.AP_DOWN:
        for ap in building_aps(dev):
            ap.online = True
            dev.log("CWS", 6, "CWS_AP_UP", f"CAPWAP tunnel to AP {ap.name} went up.")
    elif fault is Fault.ROGUE_NEIGHBOUR:
        lldp.unplug_rogue(net, dev)
    elif fault is Fault.UNSAVED:
        dev.save()  # the operator saves: running and saved agree again


def _need(items: list, dev: Device, fault: Fault) -> None:  # type: ignore[type-arg]
    if not items:
        raise FaultError(f"{dev.name}: has no hardware for the {fault.value} fault")


def building_aps(dev: Device) -> list[AccessPoint]:
    """The APs the ap-down fault takes offline: every AP of the first AP's group (one building)."""
    if not dev.aps:
        raise FaultError(f"{dev.name}: manages no APs; pick the wireless controller (core-1)")
    return [ap for ap in dev.aps if ap.group == dev.aps[0].group]


def _faultable_board(dev: Device):  # type: ignore[no-untyped-def]
    boards = [b for b in dev.boards if not b.is_mpu] or dev.boards
    if not boards:
        raise FaultError(f"{dev.name}: has no board to fault")
    return boards[-1]
