"""Run Stoplight Prism (pinned in package.json, installed by ``npm ci``) on a loopback port.

Shared by ``scripts/contract.py`` (Prism as a validating proxy in front of the sandbox) and
``tests/contract/`` (Prism as a mock server). Prism always listens on 127.0.0.1: nothing
here opens a port to other hosts.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Self

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
PRISM = ROOT / "node_modules" / ".bin" / "prism"
HOST = "127.0.0.1"

# Prism decorates its log with ANSI colours even when writing to a file.
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_STARTUP_TIMEOUT = 60.0  # seconds; a cold start on a 2-core CI machine takes a few


class PrismError(RuntimeError):
    """Prism could not be started or stopped."""


def prism_installed() -> bool:
    return PRISM.exists()


def _free_port() -> int:
    # The port may be taken between this check and Prism's bind; start() retries for that.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


class Prism:
    """``prism <mode> openapi.yaml [...]`` as a context manager, on a free loopback port.

    ``arguments`` follow the document on the command line: the upstream URL for ``proxy``,
    flags such as ``--dynamic`` or ``--errors``. The log (stdout and stderr) is kept in a
    temporary file so that callers can read violations from it.
    """

    def __init__(self, mode: str, *arguments: str, spec: Path = SPEC) -> None:
        self.mode = mode
        self.arguments = arguments
        self.spec = spec
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log(self) -> str:
        """Everything Prism has written so far, without colour codes."""
        if self._log is None:
            return ""
        self._log.flush()
        return _ANSI.sub("", Path(self._log.name).read_text(encoding="utf-8", errors="replace"))

    def start(self) -> None:
        if not prism_installed():
            raise PrismError(f"{PRISM.relative_to(ROOT)} is missing: run `npm ci` first")
        last_log = ""
        for _attempt in range(3):
            self.port = _free_port()
            if self._launch():
                return
            last_log = self.log()
            self.close()
        raise PrismError(f"prism {self.mode} did not start; its log:\n{last_log}")

    def _launch(self) -> bool:
        self._log = tempfile.NamedTemporaryFile(prefix="prism-", suffix=".log")  # noqa: SIM115
        command = [
            str(PRISM),
            self.mode,
            str(self.spec),
            *self.arguments,
            "--host",
            HOST,
            "--port",
            str(self.port),
        ]
        env = dict(os.environ)
        # Prism's traffic to the upstream stays on this machine, whatever proxy is configured.
        env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost,::1"
        env["SCARF_ANALYTICS"] = "false"  # the npm packages' install telemetry, if ever run
        self._process = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
        )
        deadline = time.monotonic() + _STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False  # exited: most likely the port was taken meanwhile
            if "Prism is listening" in self.log() and _accepts(self.port):
                return True
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.terminate()
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait(timeout=10)
            self._process = None

    def close(self) -> None:
        self.stop()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
