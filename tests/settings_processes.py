"""Settings for the server and worker processes the test of several processes starts: the test
suite's, with the real queue in the database instead of tasks run at once."""

from tests.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
