"""Actions of governance, one module per subject:

- ``statutes``: the cooperative's statutes, who may vote, the weight of each class;
- ``assemblies``: calling an assembly, its agenda, opening and closing the session, attendance;
- ``proxies``: giving and withdrawing proxies, and the proxies that still count;
- ``questions``: motions (and amendments) and elections put to the vote;
- ``voting``: opening voting, casting votes, closing and counting, what a passed motion changes;
- ``ballot_box``: the box of ballots, shuffled out into the counted ballots, kept out of logs;
- ``tallies``: the count of a motion and of an election, lots, the BLT export;
- ``reminders``: emails to members who have not voted on an online vote closing soon;
- ``minutes``: drafting and publishing an assembly's minutes.

Each action checks its rules and writes everything it changes in one transaction; a broken
rule raises ``ValidationError`` and writes nothing. The one exception is a secret ballot,
written in two transactions: see ``voting.cast_vote``. Reads that pages and the API share
(attendance and quorum, the classes a published count holds back) are in
``governance.queries``.

Callers import each function from its module (``from coopcare.governance.services.voting
import cast_vote``): this package re-exports nothing. ``_common`` holds the ``Question`` type
and the helpers several of these modules share.
"""

# The ballot box keeps the SQL that writes ballots out of Django's query log by installing a
# logging filter when it is imported. Importing it here installs the filter whenever any of
# governance's services or queries are loaded, as when they were one module.
from coopcare.governance.services import ballot_box as _ballot_box  # noqa: F401
