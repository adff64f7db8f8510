"""A local sandbox of the Kodexa memberships and organizations API, for tests and demos.

Needs the ``sandbox`` extra: ``pip install 'kodexa-platform[sandbox]'``.
"""

from __future__ import annotations

try:
    import starlette  # noqa: F401
    import uvicorn  # noqa: F401
except ImportError as missing:  # pragma: no cover - depends on what is installed
    raise ImportError(
        f"{__name__} needs the sandbox extra (Starlette and Uvicorn): pip install "
        "'kodexa-platform[sandbox]', or from a checkout: pip install -e '.[sandbox]'"
    ) from missing

from kodexa_platform.testing._faults import FaultKind, FaultPlan
from kodexa_platform.testing._server import SandboxServer

__all__ = ["FaultKind", "FaultPlan", "SandboxServer"]
