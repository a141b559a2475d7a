"""Run the site as production does, in subprocesses: production settings, collected
static files, gunicorn on a free loopback port. Used by the fault and static-file
tests, which need a real server process with its own database connection."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def production_env(**overrides) -> dict[str, str]:
    """The process environment of a production server on this machine (plain HTTP on
    loopback, so without the HTTPS redirect)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "SECURE_", "CACHE_", "STATIC_"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "solidarity.settings",
            "DEBUG": "false",
            "SECRET_KEY": "production-test-" + "Hq2wE5rT8yU1iO4pA7sD0fG3hJ6kL9zX" * 2,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": "https://directory.example.org",
            "SECURE_SSL_REDIRECT": "false",
        }
    )
    environment.update(overrides)
    return environment


def manage(*args, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn_server(env: dict[str, str], *, workers: int = 1, log_path: Path | None = None):
    """A gunicorn serving the site with `env`; yields its base URL. Its output goes to
    `log_path` when given (a file, not a pipe: a chatty server must never block)."""
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        yield from _serve(env, port, workers, log_path or Path(folder) / "gunicorn.log")


def _serve(env: dict[str, str], port: int, workers: int, log_path: Path):
    with open(log_path, "w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            [
                str(GUNICORN),
                "--config",
                str(BASE_DIR / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while fetch(base_url + "/healthz").status != 200:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"gunicorn exited:\n{log.read()}")
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not answer /healthz within 30 s")
                time.sleep(0.2)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Fetched:
    def __init__(self, status: int, headers, body: str):
        self.status, self.headers, self.body = status, headers, body


def fetch(url: str, *, timeout: float = 10, headers: dict[str, str] | None = None) -> Fetched:
    """GET `url`; an HTTP error status is a result, not an exception."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Fetched(response.status, response.headers, response.read().decode())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.headers, error.read().decode())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return Fetched(0, {}, "")


class TcpProxy:
    """A loopback TCP forwarder that can be switched off and on: stands in for a
    database server that goes away and comes back."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []

    def start(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def stop(self) -> None:
        """Refuse new connections and cut the open ones, as a crashed server would."""
        if self._listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        for connection in self._connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        self._connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self._connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
