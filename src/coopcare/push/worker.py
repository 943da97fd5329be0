"""The version of the service worker's copies of static files: a hash of the static files'
content, written into the worker (``views.service_worker``), so that a deployment that changes
any of them is a new worker, which drops the old copies when it takes over."""

import hashlib
from functools import cache

from django.contrib.staticfiles import finders
from django.core.files.storage import Storage


@cache
def static_version() -> str:
    """A short hash of the name and content of every static file the site serves (the worker
    may keep any of them). Read once per process: static files change with a deployment,
    which starts new processes."""
    digest = hashlib.sha256()
    found: dict[str, Storage] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list(None):
            # The first finder to find a path is the one that serves it.
            found.setdefault(path, storage)
    for path in sorted(found):
        digest.update(path.encode())
        digest.update(b"\0")
        with found[path].open(path) as file:
            for chunk in iter(lambda: file.read(65536), b""):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()[:16]
