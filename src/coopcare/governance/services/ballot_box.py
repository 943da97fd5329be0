"""The ballot box: ballots go in with a fresh tracker and leave it, shuffled, for the
counted ballots; the SQL that writes them is kept out of the logs; what deleting them leaves
in the database files is purged. Why a secret ballot goes into the box in a transaction of
its own is said at ``voting.cast_vote``; what remains is said in docs/governance.md."""

import logging
import secrets
import uuid

from django.db import connection

from coopcare.governance.models import Ballot, CountedBallot
from coopcare.governance.services._common import Question, _question_filter


def new_tracker() -> str:
    """A tracker: a random code the voter is shown once, to find their ballot in the list
    published after the close. It is stored only on the ballot, never with the voter."""
    while True:
        code = secrets.token_hex(5).upper()
        code = f"{code[:5]}-{code[5:]}"
        if not (
            Ballot.objects.filter(tracker=code).exists()
            or CountedBallot.objects.filter(tracker=code).exists()
        ):
            return code


# Ballots leave the box in shuffled batches of at least this many: a reader of the database
# during a vote finds fewer ballots than this in the box (the last ones cast), never more.
SHUFFLE_EVERY = 10


class _QuietBallotSQL(logging.Filter):
    """Keeps the SQL that writes ballots out of the logs (``django.db.backends`` logs every
    statement with its values when ``DEBUG`` is on): in order next to the roll's statements,
    they would pair voters with ballots."""

    def filter(self, record: logging.LogRecord) -> bool:
        sql = str(getattr(record, "sql", "") or "")
        return not any(table in sql for table in _BALLOT_TABLES)


_BALLOT_TABLES = (Ballot._meta.db_table, CountedBallot._meta.db_table)
logging.getLogger("django.db.backends").addFilter(_QuietBallotSQL())


def _forget_ballot_queries() -> None:
    """Drop the ballot statements from the connection's in-memory query log (kept when
    ``DEBUG`` is on, and shown by debugging tools)."""
    log = connection.queries_log
    kept = [q for q in log if not any(t in q.get("sql", "") for t in _BALLOT_TABLES)]
    if len(kept) != len(log):
        log.clear()
        log.extend(kept)


def _drop_in_box(question: Question, stakeholder_class, choice: str, ranking: list[int]) -> str:
    """Put a ballot in the box; once the box holds ``SHUFFLE_EVERY`` ballots, shuffle them
    out. Runs inside the caller's transaction, with the question's row locked."""
    tracker = new_tracker()
    Ballot.objects.create(
        **_question_filter(question),
        stakeholder_class=stakeholder_class,
        choice=choice,
        ranking=ranking,
        tracker=tracker,
    )
    if Ballot.objects.filter(**_question_filter(question)).count() >= SHUFFLE_EVERY:
        shuffle_out(question)
    _forget_ballot_queries()
    return tracker


def shuffle_out(question: Question) -> int:
    """Empty the question's box into its counted ballots, mixing them all anew.

    Every counted ballot of the question is rewritten with the ballots from the box, in an
    order drawn by the operating system's random source (``secrets.SystemRandom``) and with new
    random ids, in this one transaction: afterwards neither row order (SQLite's rowid,
    PostgreSQL's ctid), nor ids, nor transaction ids (``xmin``: the same for all of them) tell
    one batch or one ballot from another. On SQLite ``secure_delete`` is switched on first, so
    the deleted rows are overwritten with zeros rather than left in free pages.

    What remains is said in docs/governance.md: PostgreSQL keeps the deleted rows as dead
    tuples until VACUUM, and both databases keep recent writes in their write-ahead logs.
    Returns how many ballots the question now has counted. The caller holds the question's
    row lock.
    """
    where = _question_filter(question)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    rows = [
        (b.stakeholder_class_id, b.choice, b.ranking, b.tracker)
        for model in (CountedBallot, Ballot)
        for b in model.objects.filter(**where)
    ]
    secrets.SystemRandom().shuffle(rows)
    Ballot.objects.filter(**where).delete()
    CountedBallot.objects.filter(**where).delete()
    CountedBallot.objects.bulk_create(
        CountedBallot(
            id=uuid.uuid4(),
            **where,
            stakeholder_class_id=class_id,
            choice=choice,
            ranking=ranking,
            tracker=tracker,
        )
        for class_id, choice, ranking, tracker in rows
    )
    _forget_ballot_queries()
    return len(rows)


def purge_deleted_ballots() -> bool:
    """Erase what deleting ballots from the box leaves behind in the database files, as far
    as the database allows. Runs outside any transaction; returns False inside one.

    PostgreSQL keeps deleted rows as dead tuples (and, after a plain VACUUM, their bytes in
    the pages' free space): ``VACUUM FULL`` rewrites the two small ballot tables into new files.
    SQLite already overwrites deleted rows (``secure_delete``, see ``shuffle_out``); a
    ``wal_checkpoint(TRUNCATE)`` empties the write-ahead log, which still holds recent page
    images in the order they were written. Neither reaches copies outside the database
    (PostgreSQL's WAL archives, backups): see docs/governance.md.
    """
    if connection.in_atomic_block:
        return False
    tables = ", ".join(connection.ops.quote_name(t) for t in _BALLOT_TABLES)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM FULL {tables}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return True
