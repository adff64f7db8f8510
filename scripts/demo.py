"""Start the local sandbox and run the quickstart against it, as a new user would."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from kodexa_platform.testing import SandboxServer

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    api_key = f"sandbox-{secrets.token_hex(8)}"
    with SandboxServer(api_key=api_key) as server:
        print(f"sandbox listening on {server.base_url}\n")
        env = {**os.environ, "KODEXA_URL": server.base_url, "KODEXA_API_KEY": api_key}
        env.pop("KODEXA_ACCESS_TOKEN", None)
        quickstart = ROOT / "examples" / "quickstart.py"
        return subprocess.run([sys.executable, str(quickstart)], env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
