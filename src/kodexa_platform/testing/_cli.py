"""The ``kodexa-sandbox`` command: run the sandbox in the foreground until interrupted."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from kodexa_platform.testing._faults import FaultKind, FaultPlan
from kodexa_platform.testing._server import SandboxServer, is_loopback


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kodexa-sandbox",
        description="Serve a local sandbox of the Kodexa memberships and organizations API. "
        "Prints its base URL on standard output once it accepts connections.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument("--port", type=int, default=8765, help="port; 0 picks a free one")
    parser.add_argument("--db", metavar="FILE", help="keep data in this SQLite file")
    parser.add_argument(
        "--api-key",
        default=os.environ.get("KODEXA_SANDBOX_API_KEY"),
        help="the only key accepted (default: $KODEXA_SANDBOX_API_KEY, else any non-empty key)",
    )
    parser.add_argument(
        "--faults", type=float, default=0.0, metavar="RATE", help="fraction of requests to fail"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault sequence")
    parser.add_argument(
        "--fault-kinds",
        metavar="KIND,...",
        help=f"faults to inject, from: {', '.join(kind.value for kind in FaultKind)}",
    )
    parser.add_argument(
        "--fault-delay", type=float, default=0.0, metavar="SECONDS", help="length of 'delay'"
    )
    parser.add_argument("--create-status", type=int, choices=(200, 201), default=201)
    parser.add_argument("--delete-status", type=int, choices=(200, 204), default=204)
    parser.add_argument(
        "--allow-non-loopback",
        action="store_true",
        help="allow --host to be reachable from other machines (the sandbox has no real auth)",
    )
    return parser


def _fault_plan(parser: argparse.ArgumentParser, args: argparse.Namespace) -> FaultPlan | None:
    if args.faults <= 0:
        return None
    kinds = None if args.fault_kinds is None else args.fault_kinds.split(",")
    try:
        return FaultPlan(args.faults, args.seed, kinds, delay=args.fault_delay)
    except ValueError as error:
        parser.error(str(error))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sandbox until SIGINT or SIGTERM; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.allow_non_loopback and not is_loopback(args.host):
        parser.error(f"{args.host} is not a loopback address; add --allow-non-loopback to insist")
    plan = _fault_plan(parser, args)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")

    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    server = SandboxServer(
        args.api_key,
        db_path=args.db,
        port=args.port,
        faults=plan,
        host=args.host,
        create_status=args.create_status,
        delete_status=args.delete_status,
        allow_non_loopback=args.allow_non_loopback,
        access_log=True,
    )
    try:
        server.start()
    except OSError as error:
        sys.stderr.write(f"kodexa-sandbox: cannot listen on {args.host}:{args.port}: {error}\n")
        return 1
    try:
        sys.stdout.write(f"{server.base_url}\n")
        sys.stdout.flush()
        accepted = "the key given" if args.api_key else "any non-empty x-api-key"
        sys.stderr.write(f"kodexa-sandbox: ready, accepting {accepted}; Ctrl+C stops it\n")
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
