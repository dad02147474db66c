from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "examples" / "harbor-city-outage.txt"


def require_shared(*parts: str) -> Path:
    """A path in ../shared, or a skip saying that the shared data is not beside the checkout."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared data (../shared beside the checkout) is needed")
    return path


def run_kg(*args: str, stdin: bytes | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """Runs the real ``kg`` command line in a fresh process."""
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], input=stdin, capture_output=True,
                          timeout=timeout, cwd=ROOT)


@pytest.fixture(scope="session")
def nlp():
    from kg.extract import cached_pipeline

    return cached_pipeline()
