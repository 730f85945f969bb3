"""A throwaway PostgreSQL server for tests: initdb and pg_ctl from the OS packages, in a
temporary folder, listening only on a Unix socket there, stopped and removed at the end."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg2

ROLE = "grader"


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl (Debian keeps them off PATH), or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.access(f"{folder}/initdb", os.X_OK) and os.access(f"{folder}/pg_ctl", os.X_OK):
            return Path(folder)
    return None


class PostgresServer:
    def __init__(self, binaries: Path):
        self.binaries = binaries
        self.base = Path(tempfile.mkdtemp(prefix="d2lkit-pg-"))
        self.data = self.base / "data"
        self.socket_dir = self.base
        # PostgreSQL refuses to run as root: as root, the server runs as `postgres` (or
        # `nobody`), which owns the temporary folder.
        self.user = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    self.user = pwd.getpwnam(name)
                    break
                except KeyError:
                    continue
            os.chown(self.base, self.user.pw_uid, self.user.pw_gid)
        os.chmod(self.base, 0o755)

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.user.pw_name, "--"] if self.user else []
        done = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, cwd=self.base, timeout=120
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")

    def start(self) -> PostgresServer:
        self._run(
            str(self.binaries / "initdb"),
            "-D",
            str(self.data),
            "-U",
            ROLE,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )
        options = f"-k {self.socket_dir} -c listen_addresses='' -F"
        log = self.base / "server.log"
        self._run(
            str(self.binaries / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(log),
            "-w",
            "start",
        )
        return self

    def create_database(self, name: str) -> str:
        """A new database; returns its SQLAlchemy URL."""
        conn = psycopg2.connect(dbname="postgres", user=ROLE, host=str(self.socket_dir))
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        return f"postgresql+psycopg2://{ROLE}@/{name}?host={self.socket_dir}"

    def stop(self) -> None:
        try:
            self._run(
                str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"
            )
        finally:
            shutil.rmtree(self.base, ignore_errors=True)
