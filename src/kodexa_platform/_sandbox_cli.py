"""The ``kodexa-sandbox`` command: a one-line error, not a traceback, without the extra."""

from __future__ import annotations

import sys


def main() -> int:
    try:
        from kodexa_platform.testing._cli import main as run  # noqa: PLC0415 - needs the extra
    except ImportError as error:
        print(f"kodexa-sandbox: {error}", file=sys.stderr)  # noqa: T201 - a command's output
        return 1
    return run()
