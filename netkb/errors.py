"""Failures every part may raise and the command line reports without a traceback."""

from __future__ import annotations


class OneLineError(Exception):
    """An expected failure (the lab is not running, a scenario step failed …): the command line
    prints its message in one line and exits 1."""
