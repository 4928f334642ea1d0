"""Survey pages under load: a pillar page and autosave, against a bare Flask page in the same run.

    .venv/bin/python bench/bench_survey.py [--database sqlite|postgresql] [--duration N]
                                           [--rounds N]

Creates a database of its own (an SQLite file in a temporary folder, or a new PostgreSQL database
that is dropped at the end), migrates it and loads the demo data, then starts two gunicorn servers
on free loopback ports with the same worker settings: the app, and bench/bare_app.py (one small
template, no extensions). Twenty simulated focal points, spread over the six demo countries with
drafts, each sign in from a loopback address of their own, read their CSRF token and answer
versions from the pillar page, then load it in turn:

1. the bare page, 20 clients, as fast as answers come back, then the pillar page, 20 signed-in
   clients, likewise; the pair `--rounds` times (3 by default), so that each ratio compares two
   phases next to each other in time, and the median ratio is reported: this machine's speed
   drifts by a quarter within a minute;
2. autosave, 20 clients, each changing its own answer (yes <-> no) with the version it got back
   last time, so every request is a real save, never a conflict; back-to-back, which measures
   how many saves a second the server manages (the latency is then mostly queueing);
3. autosave again, each client saving once every `--pace` seconds (0.5 by default: twice a
   second per person, much faster than anyone clicks), which measures the latency people see.

The load generator is this process (asyncio, one connection per client, kept alive). It shares
the machine's cores with the servers; the CPU time it used is reported with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `app` and `tests.support` from the checkout, wherever we run

QUESTIONNAIRE = "national-cybersecurity"
SECTION = "capacity_development"  # the largest pillar: 25 questions, 21 of them with evidence
CLIENTS = 20
WORKERS = 2  # defaults of --workers and --threads
THREADS = 4
PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway database's throwaway accounts
PAGE_TARGET = 0.10  # the pillar page reaches at least 10% of the bare page's rate
P95_TARGET_MS = 50.0


# --- The database: created, migrated and filled; dropped afterwards ---


@dataclass
class Plan:
    """One simulated focal point: who signs in, and the answer it keeps changing."""

    email: str
    source: str  # the loopback address it connects from
    submission_id: int
    question_id: str
    value: str  # the stored answer; each save sends the other one


def prepare(url: str, config: dict[str, Any], clients: int = CLIENTS) -> list[Plan]:
    """Migrate, load the demo data and add one focal point per client, spread over the six
    demo countries whose drafts are still open; each client gets a question of its own."""
    from tests.support.database import upgrade

    upgrade(url)
    from app import create_app, db
    from app.transactions import transactional

    app = create_app(config)
    with app.app_context():
        plans = transactional(_add_clients)(clients)
    db.dispose(app)
    return plans


def _add_clients(count: int) -> list[Plan]:
    from sqlalchemy import select

    from app import db
    from app.auth.models import Role
    from app.auth.operations import create_user
    from app.auth.passwords import hash_password
    from app.campaigns.models import Campaign
    from app.countries.operations import get_country
    from app.demo.operations import DEMO_FOCAL_POINTS, load_demo_data
    from app.survey.models import Answer, Submission
    from questionnaires.loader import get_definition

    load_demo_data()
    definition = get_definition(QUESTIONNAIRE)
    section = next(s for s in definition.sections if s.id == SECTION)
    # Yes/no questions that are always shown: switching one between yes and no is a real save.
    choices = [
        q.id
        for q in section.questions()
        if q.type in ("yes_no", "yes_no_partial") and q.show_if is None
    ]
    campaign_id = db.session.scalar(
        select(Campaign.id).where(Campaign.questionnaire_id == QUESTIONNAIRE)
    )
    password_hash = hash_password(PASSWORD)
    plans = []
    for index in range(count):
        iso3 = DEMO_FOCAL_POINTS[index % len(DEMO_FOCAL_POINTS)]
        country = get_country(iso3)
        assert country is not None  # noqa: S101 - synced by load_demo_data
        email = f"bench.{index + 1:02d}.{iso3.lower()}@bench.example.org"
        create_user(email, None, Role.FOCAL_POINT, country=country, password_hash=password_hash)
        submission_id = db.session.scalar(
            select(Submission.id).where(
                Submission.campaign_id == campaign_id, Submission.country_id == country.id
            )
        )
        assert submission_id is not None  # noqa: S101 - every country has one
        question_id = choices[index // len(DEMO_FOCAL_POINTS)]
        stored = db.session.scalar(
            select(Answer.value).where(
                Answer.submission_id == submission_id, Answer.question_id == question_id
            )
        )
        source = f"127.0.0.{index + 11}"
        plans.append(Plan(email, source, submission_id, question_id, str(stored or "no")))
    return plans


def stored_versions(url: str, plans: list[Plan]) -> dict[tuple[int, str], int]:
    """Answer versions in the database once the servers have stopped."""
    from sqlalchemy import create_engine, select, tuple_

    from app.survey.models import Answer

    engine = create_engine(url)
    keys = [(p.submission_id, p.question_id) for p in plans]
    with engine.connect() as conn:
        rows = conn.execute(
            select(Answer.submission_id, Answer.question_id, Answer.version).where(
                tuple_(Answer.submission_id, Answer.question_id).in_(keys)
            )
        )
        versions = {(sid, qid): version for sid, qid, version in rows}
    engine.dispose()
    return versions


# --- Servers ---


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def worker_pids(self) -> list[int]:
        return [pid for pid, parent in _processes() if parent == self.process.pid]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(
    name: str, target: str, env: dict[str, str], folder: Path, gunicorn: list[str], *extra: str
) -> Server:
    port = free_port()
    log = folder / f"{name}.log"
    command = [
        sys.executable, "-m", "gunicorn", *gunicorn,
        "-b", f"127.0.0.1:{port}", *_quiet_options(), *extra, target,
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    return Server(name, port, process, log)


def _quiet_options() -> list[str]:
    """Recent gunicorn versions open a control socket at a fixed path; the two servers of a run
    (and anyone else's) would share it, so it is turned off where the option exists."""
    usage = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--help"], capture_output=True, text=True, check=True
    ).stdout
    return ["--no-control-socket"] if "--no-control-socket" in usage else []


async def wait_ready(server: Server, path: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            response = await Connection(server.port).request("GET", path)
        except OSError:
            await asyncio.sleep(0.2)
            continue
        if response.status < 500:
            return
    raise RuntimeError(f"{server.name} did not start; see its log:\n{server.log.read_text()}")


def _processes() -> list[tuple[int, int]]:
    """(pid, parent pid) of every process, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                found.append((int(entry.name), int(stat.rsplit(")", 1)[1].split()[1])))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of these processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def machine_busy_seconds() -> float:
    """CPU time spent on anything but idle and I/O wait, all cores, since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


# --- A small HTTP/1.1 client: one kept-alive connection, requests one at a time ---


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name), None)

    @property
    def text(self) -> str:
        return self.body.decode()


#: Requests sent on one connection before a new one is opened. Gunicorn's workers each accept
#: connections for themselves, so twenty connections kept for a whole phase may fall unevenly
#: on the two workers (one busy, one idle); reconnecting now and then evens that out over a
#: phase, at the cost of a connection set up every so many requests, as browsers do anyway.
REQUESTS_PER_CONNECTION = 10


class Connection:
    def __init__(self, port: int, source: str = "127.0.0.1") -> None:
        self.port = port
        self.source = source
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._sent = 0

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> Response:
        reused = self._writer is not None
        try:
            return await self._exchange(method, path, headers or {}, body)
        except (OSError, asyncio.IncompleteReadError):
            self.close()
            if not reused:
                raise
        # The server closed the idle connection (gunicorn keeps one alive for a few seconds):
        # send again on a new one, as a browser does.
        try:
            return await self._exchange(method, path, headers or {}, body)
        except (OSError, asyncio.IncompleteReadError):
            self.close()
            raise

    async def _exchange(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> Response:
        if self._writer is None or self._reader is None:
            self._reader, self._writer = await asyncio.open_connection(
                "127.0.0.1", self.port, local_addr=(self.source, 0)
            )
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = (await self._reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        pairs = [line.split(":", 1) for line in head[1:] if ":" in line]
        response_headers = [(k.strip().lower(), v.strip()) for k, v in pairs]
        response = Response(status, response_headers, b"")
        if response.header("transfer-encoding") == "chunked":
            response.body = await self._chunks()
        else:
            response.body = await self._reader.readexactly(
                int(response.header("content-length") or 0)
            )
        self._sent += 1
        closing = (response.header("connection") or "").lower() == "close"
        if closing or self._sent >= REQUESTS_PER_CONNECTION:
            self.close()
        return response

    async def _chunks(self) -> bytes:
        assert self._reader is not None  # noqa: S101 - called while connected
        parts = []
        while size := int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append(await self._reader.readexactly(size + 2))
        await self._reader.readuntil(b"\r\n")
        return b"".join(p[:-2] for p in parts)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None
        self._sent = 0


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_VERSION = re.compile(r'<input type="hidden" name="v:([^"]+)" value="(\d+)"')


@dataclass
class Client:
    """A focal point with a browser's state: cookies, the page's CSRF token, answer versions."""

    plan: Plan
    connection: Connection
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    version: int = 0
    not_saved: int = 0  # 200 answers whose version did not move on by one

    @property
    def page(self) -> str:
        return f"/survey/{self.plan.submission_id}/{SECTION}"

    async def send(
        self,
        method: str,
        path: str,
        data: dict[str, str] | None = None,
        multipart: dict[str, str] | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> Response:
        headers = dict(extra_headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = b""
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if multipart is not None:
            boundary = "----benchsurvey" + secrets.token_hex(8)
            parts = [
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                for k, v in multipart.items()
            ]
            body = ("".join(parts) + f"--{boundary}--\r\n").encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        response = await self.connection.request(method, path, headers, body)
        for name, value in response.headers:
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                cookie = rest.split(";", 1)[0]
                if cookie:
                    self.cookies[key] = cookie
                else:
                    self.cookies.pop(key, None)
        return response

    async def sign_in(self) -> None:
        """Sign in, then read the CSRF token and the answer's version from the pillar page."""
        await self.authenticate(PASSWORD)
        page = await self.send("GET", self.page)
        token = _CSRF.search(page.text)
        versions = dict(_VERSION.findall(page.text))
        if page.status != 200 or token is None or self.plan.question_id not in versions:
            raise RuntimeError(f"{self.plan.email}: unexpected pillar page ({page.status})")
        self.csrf = token.group(1)
        self.version = int(versions[self.plan.question_id])

    async def authenticate(self, password: str) -> None:
        form = await self.send("GET", "/sign-in")
        token = _CSRF.search(form.text)
        data = {"email": self.plan.email, "password": password}
        data["csrf_token"] = token.group(1) if token else ""
        signed_in = await self.send("POST", "/sign-in", data)
        if signed_in.status != 302:
            raise RuntimeError(f"{self.plan.email} could not sign in ({signed_in.status})")

    async def view_page(self) -> int:
        return (await self.send("GET", self.page)).status

    async def autosave(self) -> int:
        question = self.plan.question_id
        value = "yes" if self.plan.value == "no" else "no"
        # What the page's script sends: FormData (multipart), the token in a header too.
        fields = {"csrf_token": self.csrf, f"v:{question}": str(self.version), question: value}
        response = await self.send(
            "POST",
            f"{self.page}/autosave",
            multipart=fields,
            extra_headers={"Accept": "application/json", "X-CSRFToken": self.csrf},
        )
        if response.status == 200:
            version = json.loads(response.body)["versions"].get(question, self.version)
            if version != self.version + 1:
                self.not_saved += 1
            self.version, self.plan.value = version, value
        return response.status


# --- Load phases ---


@dataclass
class Cpu:
    """CPU seconds used during a timed window, by whom."""

    generator: float  # this process
    workers: float  # the server's gunicorn workers
    database: float  # PostgreSQL's backends for the benchmark database (SQLite: in the workers)
    machine: float  # every core, everything

    @property
    def others(self) -> float:
        """Whatever else ran on the machine meanwhile: noise in the figures."""
        return max(0.0, self.machine - self.generator - self.workers - self.database)


@dataclass
class Phase:
    name: str
    seconds: float
    latencies: list[float]  # seconds, requests completed inside the window
    statuses: Counter[int]  # 0: the connection failed
    cpu: Cpu
    per_worker: list[float]  # CPU seconds of each worker: how evenly the load fell on them

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies) or [0.0]
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    @property
    def failures(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200)

    def share(self, seconds: float) -> str:
        """CPU seconds as a share of every core over the window."""
        return f"{seconds / (self.seconds * (os.cpu_count() or 1)):.0%}"

    def per_request(self, seconds: float) -> str:
        return f"{seconds / max(1, len(self.latencies)) * 1000:.2f} ms"


async def run_phase(
    name: str,
    server: Server,
    actors: list[Any],
    send: Callable[[Any], Awaitable[int]],
    *,
    timing: tuple[float, float],
    database_pids: Callable[[], list[int]] = list,
    profile: Path | None = None,
    pace: float | None = None,
) -> Phase:
    """Every actor sends back-to-back, or one request every `pace` seconds (at a random phase);
    only what completes inside the timed window counts."""
    warmup, duration = timing
    start = time.perf_counter()
    window = (start + warmup, start + warmup + duration)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    workers = server.worker_pids()

    async def loop(actor: Any) -> None:
        if pace:
            await asyncio.sleep(random.uniform(0, pace))
        while (sent := time.perf_counter()) < window[1]:
            try:
                status = await send(actor)
            except (OSError, asyncio.IncompleteReadError):
                status = 0
            done = time.perf_counter()
            if window[0] <= done <= window[1]:
                latencies.append(done - sent)
                statuses[status] += 1
            if pace:
                await asyncio.sleep(max(0.0, sent + pace - time.perf_counter()))

    async def meter() -> Cpu:
        await asyncio.sleep(max(0.0, window[0] - time.perf_counter()))
        # Listed once the warm-up has opened the connections the load needs.
        backends = await asyncio.to_thread(database_pids)
        spies = start_profiling(profile, name, workers, duration) if profile else []
        before = _cpu_now(workers, backends), [cpu_seconds([pid]) for pid in workers]
        await asyncio.sleep(duration)
        after = _cpu_now(workers, backends), [cpu_seconds([pid]) for pid in workers]
        for spy in spies:
            await asyncio.to_thread(spy.wait)
        per_worker[:] = [b - a for a, b in zip(before[1], after[1], strict=True)]
        return Cpu(*(b - a for a, b in zip(before[0], after[0], strict=True)))

    per_worker: list[float] = []
    cpu, *_ = await asyncio.gather(meter(), *(loop(actor) for actor in actors))
    assert isinstance(cpu, Cpu)  # noqa: S101 - what `meter` returns
    return Phase(name, duration, latencies, statuses, cpu, per_worker)


def start_profiling(
    folder: Path, phase: str, workers: list[int], duration: float
) -> list[subprocess.Popen[bytes]]:
    """py-spy on each worker for the timed window: a flame graph per worker in `folder`."""
    spy = Path(sys.executable).with_name("py-spy")
    folder.mkdir(parents=True, exist_ok=True)
    return [
        subprocess.Popen(  # noqa: S603 - our own command line
            [
                str(spy), "record", "--nonblocking", "--pid", str(pid),
                "--duration", str(max(1, round(duration))),
                "--output", str(folder / f"{phase.replace(' ', '-')}-{pid}.svg"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in workers
    ]  # fmt: skip


def _cpu_now(workers: list[int], backends: list[int]) -> tuple[float, float, float, float]:
    return (
        time.process_time(),
        cpu_seconds(workers),
        cpu_seconds(backends),
        machine_busy_seconds(),
    )


def postgresql_backends(url: str) -> Callable[[], list[int]]:
    """The process ids of the server's connections to the benchmark database."""
    from sqlalchemy import create_engine, text

    def pids() -> list[int]:
        engine = create_engine(url)
        with engine.connect() as conn:
            found = conn.scalars(
                text(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).all()
        engine.dispose()
        return list(found)

    return pids


async def bare_page(connection: Connection) -> int:
    return (await connection.request("GET", "/")).status


async def measure(
    servers: tuple[Server, Server],
    plans: list[Plan],
    args: argparse.Namespace,
    database_pids: Callable[[], list[int]],
) -> tuple[list[Phase], list[Client]]:
    app_server, bare_server = servers
    timing, pace = (args.warmup, args.duration), args.pace
    await wait_ready(bare_server, "/")
    await wait_ready(app_server, "/sign-in")
    clients = [Client(plan, Connection(app_server.port, plan.source)) for plan in plans]
    await asyncio.gather(*(client.sign_in() for client in clients))
    # From the clients' addresses too: a connection is made every ten requests, which from one
    # address would use up its ephemeral ports (held in TIME_WAIT for a minute) within the run.
    bare = [Connection(bare_server.port, plan.source) for plan in plans]
    on_app = {"timing": timing, "database_pids": database_pids, "profile": args.profile}
    phases = []
    for n in range(1, args.rounds + 1):
        phases += [
            await run_phase(f"bare page {n}", bare_server, bare, bare_page, timing=timing),
            await run_phase(f"pillar page {n}", app_server, clients, Client.view_page, **on_app),
        ]
    phases += [
        await run_phase("autosave", app_server, clients, Client.autosave, **on_app),
        await run_phase(
            f"autosave, 1 per {pace:g} s", app_server, clients, Client.autosave, **on_app, pace=pace
        ),
    ]
    for connection in [*bare, *(client.connection for client in clients)]:
        connection.close()
    return phases, clients


# --- The run and its report ---


def main() -> None:
    from tests.support.database import benchmark_server, empty_database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--duration", type=float, default=10, help="seconds timed per phase")
    parser.add_argument(
        "--rounds", type=int, default=3, help="pairs of bare and pillar page phases (default: 3)"
    )
    parser.add_argument("--warmup", type=float, default=3, help="untimed seconds before each")
    parser.add_argument(
        "--server",
        default=benchmark_server(),
        help="a PostgreSQL server where a database may be created (default: %(default)s, or "
        "BENCH_POSTGRESQL_URL)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="FOLDER",
        help="record the app's workers with py-spy during the pillar page and autosave phases "
        "(flame graphs in FOLDER; profiling slows the server, so figures of such a run are not "
        "comparable)",
    )
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=THREADS, help="threads of each worker")
    parser.add_argument(
        "--pace",
        type=float,
        default=0.5,
        help="seconds between one client's autosaves in the paced phase (default: %(default)s)",
    )
    args = parser.parse_args()
    if not 1 <= args.duration <= 600 or not 0 <= args.warmup <= 60 or not 0.05 <= args.pace <= 10:
        parser.error("--duration takes 1 to 600 seconds, --warmup 0 to 60, --pace 0.05 to 10")
    if not 1 <= args.rounds <= 20:
        parser.error("--rounds takes 1 to 20")
    load = Path("/proc/loadavg").read_text().split()[0]

    with tempfile.TemporaryDirectory(prefix="bench-survey-") as tmp:
        folder = Path(tmp)
        server = args.server if args.database == "postgresql" else None
        with empty_database(server, folder, "bench_survey") as url:
            config = {
                "DATABASE_URL": url,
                "INSTANCE_PATH": folder / "instance",
                "SECRET_KEY": secrets.token_urlsafe(32),
                "SESSION_COOKIE_SECURE": False,
            }
            plans = prepare(url, config)
            backends = postgresql_backends(url) if args.database == "postgresql" else list
            phases, clients = serve_and_measure(config, folder, plans, args, backends)
            versions = stored_versions(url, plans)
    report(args, load, phases, clients, versions)


def serve_and_measure(
    config: dict[str, Any],
    folder: Path,
    plans: list[Plan],
    args: argparse.Namespace,
    database_pids: Callable[[], list[int]],
) -> tuple[list[Phase], list[Client]]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "TESTING", "REDIS_URL")}
    env.update({key: str(value) for key, value in config.items()})
    env["SESSION_COOKIE_SECURE"] = "false"
    gunicorn = ["-w", str(args.workers), "--threads", str(args.threads)]
    app_server = start_server("app", "app:create_app()", env, folder, gunicorn)
    bare_server = start_server(
        "bare", "bare_app:app", env, folder, gunicorn, "--chdir", str(ROOT / "bench")
    )
    try:
        return asyncio.run(measure((app_server, bare_server), plans, args, database_pids))
    finally:
        app_server.stop()
        bare_server.stop()


def report(
    args: argparse.Namespace,
    load: str,
    phases: list[Phase],
    clients: list[Client],
    versions: dict[tuple[int, str], int],
) -> None:
    *pairs, save, paced = phases
    bares, pages = pairs[0::2], pairs[1::2]
    ratios = sorted(page.rate / bare.rate for bare, page in zip(bares, pages, strict=True))
    ratio = statistics.median(ratios)
    bare_rate = statistics.median(phase.rate for phase in bares)
    page_rate = statistics.median(phase.rate for phase in pages)
    print(
        f"{args.database}: {CLIENTS} clients, gunicorn -w {args.workers} --threads {args.threads}, "
        f"{args.duration:g} s timed per phase after {args.warmup:g} s; {os.cpu_count()} cores "
        f"(load average {load} at the start), Python {sys.version.split()[0]}"
    )
    print()
    print(
        "| Phase | Requests/s | p50 | p95 | p99 | Non-200 | CPU/request: app | database "
        "| CPU share: generator | others |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for phase in phases:
        print(
            f"| {phase.name} | {phase.rate:.0f} | {phase.percentile(50):.1f} ms "
            f"| {phase.percentile(95):.1f} ms | {phase.percentile(99):.1f} ms | {phase.failures} "
            f"| {phase.per_request(phase.cpu.workers)} | {phase.per_request(phase.cpu.database)} "
            f"| {phase.share(phase.cpu.generator)} | {phase.share(phase.cpu.others)} |"
        )
    stored = sum(
        versions.get((c.plan.submission_id, c.plan.question_id)) == c.version for c in clients
    )
    print()
    statuses = Counter[int]()
    for page in pages:
        statuses.update(page.statuses)
    print(
        f"statuses: pillar page {dict(statuses)}, autosave {dict(save.statuses)}, "
        f"paced autosave {dict(paced.statuses)}"
    )
    split = "; ".join(
        f"{phase.name} "
        + "/".join(f"{w / max(sum(phase.per_worker), 1e-9):.0%}" for w in phase.per_worker)
        for phase in phases
    )
    print(f"CPU of each worker: {split}")
    print(
        f"autosave: {sum(c.not_saved for c in clients)} answers that were not the next version; "
        f"for {stored} of {len(clients)} clients the stored version is the last one it got back"
    )
    each = ", ".join(f"{r:.1%}" for r in ratios)
    print(
        f"pillar page at {ratio:.1%} of the bare page's rate, median of {len(ratios)} rounds "
        f"({each}) ({_verdict(ratio >= PAGE_TARGET)})"
    )
    p95 = paced.percentile(95)
    print(
        f"{paced.name}: p95 {p95:.1f} ms, 20 clients saving as people do "
        f"({_verdict(p95 < P95_TARGET_MS)})"
    )
    print(
        f"autosave back-to-back: {save.rate:.0f} saves/s, the server's capacity; p95 "
        f"{save.percentile(95):.1f} ms is queueing (20 requests always waiting)"
    )
    print()
    print(
        "| Database | Bare page | Pillar page | Ratio (rounds) | Autosave | p50 | p95 | p99 "
        f"| Autosave, 1 per {args.pace:g} s: p50 | p95 | p99 | Non-200 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    failures = sum(page.failures for page in pages) + save.failures + paced.failures
    print(
        f"| {args.database} | {bare_rate:.0f}/s | {page_rate:.0f}/s | {ratio:.1%} ({each}) "
        f"| {save.rate:.0f}/s | {save.percentile(50):.1f} ms | {save.percentile(95):.1f} ms "
        f"| {save.percentile(99):.1f} ms | {paced.percentile(50):.1f} ms "
        f"| {paced.percentile(95):.1f} ms | {paced.percentile(99):.1f} ms | {failures} |"
    )


def _verdict(met: bool) -> str:
    return "meets the target" if met else "misses the target"


if __name__ == "__main__":
    main()
