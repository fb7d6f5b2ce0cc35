"""A throwaway PostgreSQL cluster for the test session (Debian's postgresql package).

initdb refuses to run as root, so as root the server runs as the 'postgres' user; it listens
only on a Unix socket in a temporary folder and is stopped at the end of the session.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote


def find_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PgServer:
    """``password``: the superuser has one and every login needs one (SCRAM), where the
    default trusts every local user. ``tls_port``: it also listens on 127.0.0.1 at that port,
    with TLS, its certificate made for "localhost" by a CA of its own (``ca_file``)."""

    def __init__(
        self, bindir: Path, password: str | None = None, tls_port: int | None = None
    ) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="incubator-pg-"))
        self.data = self.root / "data"
        self.as_root = os.geteuid() == 0
        self.user = "postgres"
        self.password = password
        self.tls_port = tls_port
        self.ca_file = self.root / "ca.pem"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.root, "postgres")
            self.root.chmod(0o755)
        auth = ["-A", "trust"]
        if self.password is not None:
            pwfile = self.root / "pwfile"
            pwfile.write_text(self.password + "\n")
            if self.as_root:
                shutil.chown(pwfile, "postgres")
            auth = ["-A", "scram-sha-256", f"--pwfile={pwfile}"]
        self._run(
            "initdb",
            "-D",
            str(self.data),
            *auth,
            "-U",
            self.user,
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        listen = "-c listen_addresses="
        if self.tls_port is not None:
            self._certificates()
            listen = (
                f"-c listen_addresses=127.0.0.1 -p {self.tls_port} -c ssl=on "
                f"-c ssl_cert_file={self.root / 'server.pem'} "
                f"-c ssl_key_file={self.root / 'server.key'}"
            )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "log"),
            "-w",
            "-o",
            f"-k {self.root} {listen} -c fsync=off -c full_page_writes=off",
            "start",
        )

    def _certificates(self) -> None:
        """A CA, and a server certificate for localhost signed by it (openssl)."""
        r = self.root

        def openssl(*args: str) -> None:
            done = subprocess.run(["openssl", *args], capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"openssl failed: {done.stderr.strip()}")

        openssl(
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=Incubator test CA",
            "-keyout",
            str(r / "ca.key"),
            "-out",
            str(self.ca_file),
        )
        openssl(
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(r / "server.key"),
            "-out",
            str(r / "server.csr"),
        )
        (r / "san.ext").write_text("subjectAltName=DNS:localhost\n")
        openssl(
            "x509",
            "-req",
            "-in",
            str(r / "server.csr"),
            "-CA",
            str(self.ca_file),
            "-CAkey",
            str(r / "ca.key"),
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            str(r / "san.ext"),
            "-out",
            str(r / "server.pem"),
        )
        (r / "server.key").chmod(0o600)
        if self.as_root:
            for name in ("server.key", "server.pem"):
                shutil.chown(r / name, "postgres")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", password: bool = True) -> str:
        """Through the socket; with the superuser's password where it has one (``password``
        False: without, as a desk that has to ask for it)."""
        secret = f":{quote(self.password, safe='')}" if self.password and password else ""
        port = f"&port={self.tls_port}" if self.tls_port else ""  # its socket's name too
        return f"postgresql+psycopg://{self.user}{secret}@/{database}?host={self.root}{port}"
