"""Beyond one machine: two web servers (gunicorn) and two workers against one PostgreSQL, as
several machines would run them, under concurrent requests: health checks, logins, pages, API
writes and roster runs of two cooperatives. No answer is a server error, and the queue hands
each roster run to one worker only (django-tasks-db takes a task with SELECT ... FOR UPDATE
SKIP LOCKED).

PostgreSQL only: on SQLite the processes take turns writing one file, which is not how the
installation grows (docs/deployment.md).
"""

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import time as clock
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from coopcare.accounts.models import ApiToken
from coopcare.cooperatives.models import Role
from coopcare.rostering.models import RosterRun, RunStatus
from tests import factories
from tests.rostering.conftest import carer_with

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="several processes against one database: PostgreSQL only (SQLite takes one "
        "writer at a time); CI runs it on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long password for tests"
ROUNDS = 6  # each of 8 clients goes through health, login, a page and an API write this often


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment() -> dict[str, str]:
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": url,  # the test database, not the one the settings name
        "DJANGO_SETTINGS_MODULE": "tests.settings_processes",
        "PYTHONPATH": str(ROOT),
        "COOPCARE_PLAIN_HTTP": "1",
        "LOG_LEVEL": "ERROR",
        "REQUEST_LOG_LEVEL": "WARNING",
    }


def cooperative_to_roster(slug: str, day):
    """A cooperative with a coordinator (and their API token), two carers under contract and
    two people with a daily visit."""
    coop = factories.CooperativeFactory(name=slug.title(), slug=slug)
    coordinator = factories.user_with_role(coop, Role.COORDINATOR, username=f"coord-{slug}")
    coordinator.set_password(PASSWORD)
    coordinator.save()
    _record, token = ApiToken.issue(coordinator, "processes")
    carer_with(coop, f"ana-{slug}")
    carer_with(coop, f"ben-{slug}")
    for name, start, latitude in [("Rosa", clock(9), "44.4940"), ("Marco", clock(10), "44.5060")]:
        person = factories.person_cared_for(
            coop, full_name=name, latitude=Decimal(latitude), longitude=Decimal("11.3430")
        )
        factories.care_plan(person, valid_from=day - timedelta(days=7), start_time=start)
    return coop, coordinator, token


def wait_until_up(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            # The first request loads the views: slow on a busy machine.
            requests.get(f"http://127.0.0.1:{port}/health/", timeout=30)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise AssertionError(f"the server on port {port} did not start")


def a_visitor(base: str, slug: str, username: str, token: str, rounds: int) -> list[int]:
    """One person's session: the health check, a login, a page and a person recorded through
    the API, ``rounds`` times. The statuses answered."""
    statuses = []
    for number in range(rounds):
        session = requests.Session()
        statuses.append(session.get(f"{base}/health/", timeout=30).status_code)
        session.get(f"{base}/accounts/login/", timeout=30)
        login = session.post(
            f"{base}/accounts/login/",
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            headers={"Referer": f"{base}/accounts/login/"},
            timeout=30,
            allow_redirects=False,
        )
        statuses.append(login.status_code)
        assert login.status_code == 302, login.text[:300]
        statuses.append(session.get(f"{base}/c/{slug}/people/", timeout=30).status_code)
        write = requests.post(
            f"{base}/api/cooperatives/{slug}/people",
            json={
                "full_name": f"Person {number}",
                "address": "Via Zamboni 33",
                "on": str(timezone.localdate()),
            },
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        statuses.append(write.status_code)
        assert write.status_code == 201, write.text[:300]
    return statuses


def test_two_servers_and_two_workers_against_one_postgresql(tmp_path):
    day = timezone.localdate() + timedelta(days=2)
    cooperatives = [cooperative_to_roster(slug, day) for slug in ("nord", "sud")]
    env = environment()
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "coopcare.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for port in ports
    ] + [
        subprocess.Popen(
            [sys.executable, "-m", "coopcare.cli", "worker", "--interval", "0.2", "-v", "0"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        # A limit, not a pace: on a busy machine the processes take long to start.
        deadline = time.monotonic() + 180
        for port in ports:
            wait_until_up(port, deadline)
        bases = [f"http://127.0.0.1:{port}" for port in ports]

        # Both cooperatives' roster runs asked for at once, one through each server.
        started = [
            requests.post(
                f"{bases[n]}/api/cooperatives/{coop.slug}/roster-runs",
                json={"first_day": str(day), "last_day": str(day), "seconds_per_day": 1},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            for n, (coop, _user, token) in enumerate(cooperatives)
        ]
        assert [answer.status_code for answer in started] == [202, 202], started[0].text
        with ThreadPoolExecutor(max_workers=8) as pool:
            visitors = [
                pool.submit(a_visitor, bases[n % 2], coop.slug, user.username, token, ROUNDS)
                for n, (coop, user, token) in enumerate(cooperatives * 4)
            ]
            statuses = [status for visitor in visitors for status in visitor.result()]

        assert len(statuses) == 8 * ROUNDS * 4
        assert not [status for status in statuses if status >= 500]
        while (
            time.monotonic() < deadline
            and RosterRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists()
        ):
            time.sleep(0.5)
        runs = RosterRun.objects.order_by("pk")
        assert [run.status for run in runs] == [RunStatus.DONE] * 2, [r.message for r in runs]
        tasks = DBTaskResult.objects.all()
        assert len(tasks) == 2
        for task in tasks:
            assert task.status == TaskResultStatus.SUCCESSFUL
            assert len(task.worker_ids) == 1  # taken by one worker, once
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                _out, errors = process.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                _out, errors = process.communicate()
            assert "Traceback" not in (errors or ""), errors
