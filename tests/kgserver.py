"""A real ``kg serve`` process on a free loopback port, for the service tests and the benchmark."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``python -m kg.cli serve`` on ``store``; ``url`` once started; ``log`` holds its output."""

    def __init__(self, store: Path | str, *args: str, token: str | None = None, log: Path | None = None):
        self.store, self.args, self.token = str(store), list(args), token
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log or Path(self.store).with_suffix(".log")
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 180) -> Server:
        env = {k: v for k, v in os.environ.items() if k != "KG_API_TOKEN"}
        if self.token:
            env["KG_API_TOKEN"] = self.token
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kg.cli", "serve", "--port", str(self.port), "--store", self.store,
                 "--log-level", "warning", *self.args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"kg serve exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"kg serve did not become healthy in {timeout}s:\n{self.log.read_text()[-3000:]}")

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flush."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
