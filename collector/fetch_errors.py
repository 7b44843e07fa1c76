"""Why a device could not be fetched: one exception per failure, its message the one-line reason
a user sees, and whether trying again may help."""

from __future__ import annotations


class FetchError(Exception):
    """A device could not be fetched; the message is the reason, in one line."""

    retryable = True


class AuthFailed(FetchError):
    retryable = False


class HostKeyRefused(FetchError):
    retryable = False


class LegacySshUnsupported(FetchError):
    retryable = False


class BudgetUsedUp(FetchError):
    """The device's time (`timeouts.device`) ran out: the wait was cut by the budget, not the device."""

    retryable = False


class Cancelled(FetchError):
    """The run was stopped (Ctrl-C) while this device was being fetched."""

    retryable = False
