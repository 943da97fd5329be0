"""``coopcare worker``: run the background tasks queued in the database (roster runs).

It is django-tasks-db's ``db_worker`` (same options) made fit to be left alone:

- "database is locked" no longer ends it. django-tasks-db ignores a locked database only while
  it picks a task; the same error when it opens or commits that transaction, or records a
  task's outcome, escapes its loop. With ``--reload`` (its default under DEBUG) the loop runs in
  a thread, so the process stayed alive doing nothing. Here the loop pauses and starts again.
- Any other error ends the process with exit status 1, so that whatever supervises it (systemd's
  ``Restart=always``, the loop in ``./dev demo``) starts a fresh one; there is no ``--reload``.
"""

import logging
import time
from typing import Any

from django.core.management.base import CommandError
from django.db import close_old_connections
from django.db.utils import OperationalError
from django_tasks_db.management.commands import db_worker
from django_tasks_db.utils import is_locked_database_exception

log = logging.getLogger(__name__)

LOCK_PAUSE = 2.0  # seconds to wait after "database is locked" before trying again


class Worker(db_worker.Worker):
    """django-tasks-db's worker, whose loop outlives a locked database."""

    def __init__(self, *, lock_pause: float = LOCK_PAUSE, **options):
        super().__init__(**options)
        self.lock_pause = lock_pause

    def run(self) -> None:
        """Work off the queue as django-tasks-db does; after "database is locked", wait
        ``lock_pause`` seconds and go on. Other errors are raised."""
        while True:
            try:
                return super().run()
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                log.warning("database is locked; trying again in %s s", self.lock_pause)
            # The transaction that met the lock was rolled back on its way out; a connection
            # left unusable is replaced before the next query.
            close_old_connections()
            # The random start-up delay is for a pool of workers starting at once, not for this.
            self.startup_delay = False
            time.sleep(self.lock_pause)
            if not self.running:  # asked to stop while it waited
                return None


class Command(db_worker.Command):
    help = (
        "Run the background tasks queued in the database (roster runs). Survives a locked "
        "database; any other error ends it with exit status 1, for its supervisor to restart it."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # The reloader would run the loop in a thread and outlive it; supervise the process.
        parser.set_defaults(reload=False)
        parser.add_argument(
            "--lock-pause",
            type=db_worker.valid_interval,
            default=LOCK_PAUSE,
            metavar="SECONDS",
            help=f"Wait after 'database is locked' before trying again (default {LOCK_PAUSE}).",
        )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        """Run the worker with db_worker's options and ``--lock-pause``."""
        if reload:
            raise CommandError(
                "coopcare worker does not reload on code changes: restart it instead.",
                returncode=2,
            )
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
            # Our own option, so not in the signature db_worker's handle() lays down.
            lock_pause=options["lock_pause"],
        )
        worker.configure_signals()
        try:
            worker.run()
        except Exception as error:
            log.exception("the worker stopped")
            raise CommandError(
                f"the worker stopped: {type(error).__name__}: {error}", returncode=1
            ) from error
