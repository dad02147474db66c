"""Finding and running the external clients of tests/test_interop.py (Node, Apache Jena, rapper).

Each finder returns None when its tool is absent, so the test can skip saying what to install.
"""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

NODE_PROJECT = Path(__file__).resolve().parent / "node"
JAVA_DIR = Path("/usr/share/java")


def node_project() -> tuple[str | None, str]:
    """The ``node`` binary once ``tests/node/node_modules`` is installed (``npm ci`` if missing), or a reason."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return None, "node/npm not installed (Node 18+); CI installs the packages with npm ci --prefix tests/node"
    if not (NODE_PROJECT / "node_modules" / "graphology-gexf").exists():
        result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--prefix", str(NODE_PROJECT)],
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            return None, f"npm ci in tests/node failed (no registry?): {result.stderr[-500:]}"
    return node, ""


def _dpkg_depends(package: str) -> list[str]:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", package], capture_output=True, text=True)
    if result.returncode != 0:
        return []
    names = []
    for clause in result.stdout.split(","):
        name = clause.split("|")[0].strip().split(" ")[0].split(":")[0]
        if name:
            names.append(name)
    return names


def _package_jars(package: str) -> list[Path]:
    result = subprocess.run(["dpkg-query", "-L", package], capture_output=True, text=True)
    return [Path(line) for line in result.stdout.splitlines()
            if line.startswith(str(JAVA_DIR) + "/") and line.endswith(".jar") and line.count("/") == 4]


@cache
def riot_command(workdir: str) -> tuple[list[str] | None, str]:
    """The command line of Jena's ``riot``, or None and the reason.

    ``riot`` on PATH (Jena's own distribution) is used as it is. Debian's libapache-jena-java ships
    jars but no launcher, so the class path is built from the package and its Java dependencies;
    two things of that packaging are mended here: SLF4J bindings that clash (only slf4j-simple is
    kept) and the message bundles of Jena's relocated Xerces, which sit under the old package name
    (without them, XSD datatypes fail to initialize with "internal error").
    """
    if shutil.which("riot"):
        return [shutil.which("riot")], ""
    java = shutil.which("java")
    if java is None or not (JAVA_DIR / "jena-cmds.jar").exists() or shutil.which("dpkg-query") is None:
        return None, "Apache Jena riot not found (Debian libapache-jena-java plus a JVM; CI installs it)"
    seen, todo, jars = set(), ["libapache-jena-java"], []
    while todo:
        package = todo.pop()
        if package in seen or not (package.startswith("lib") and package.endswith("-java")):
            continue
        seen.add(package)
        jars += [j for j in _package_jars(package) if not j.stem[-1].isdigit() and "slf4j" not in j.name]
        todo += _dpkg_depends(package)
    jars += [JAVA_DIR / "slf4j-api.jar", JAVA_DIR / "slf4j-simple.jar"]
    bundles = Path(workdir) / "jena-xerces-messages"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        for entry in jar.namelist():
            if entry.startswith("org/apache/jena/ext/xerces/") and entry.endswith(".properties"):
                target = bundles / entry.removeprefix("org/apache/jena/ext/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(entry))
    classpath = ":".join(str(j) for j in sorted(set(jars)) if j.exists()) + f":{bundles}"
    return [java, "-cp", classpath, "riotcmd.riot"], ""


def riot_version(command: list[str]) -> str:
    result = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    return " ".join(line.rsplit(":", 1)[-1].strip() for line in result.stdout.splitlines() if "VERSION" in line)
