"""Actions of rostering, one module per subject:

- ``runs``: starting and cancelling a roster run, giving up runs whose worker stopped, the
  background task that plans the period (``plan_roster``), and writing its result as a draft;
- ``publishing``: publishing a draft (carers are told by email), changing one visit of the
  published roster, and a new draft revising the published one;
- ``edits``: a coordinator gives a visit of a draft to carers, or takes it off, under the
  hard and soft rules;
- ``requests``: carers ask to swap, take or contest a visit, withdraw what they asked, and
  coordinators decide;
- ``availability``: carers' usual hours and days away, added and removed;
- ``cover``: a carer reports sick; cover proposed for the published visits days away leave
  without their carer (a repair of each day with the planner), and accepted in part or whole;
- ``care_status``: a pause, a hospital stay, the end of care and care resuming, acting on the
  person's visits and the rosters (care itself keeps only the record of the status);
- ``visit_changes``: a coordinator cancels one visit, adds a one-off visit, or moves one to
  another time or other carers.

Each action checks its rules (the pure ones in ``rostering.rules``) and raises
``ValidationError``, writing nothing, when one is broken; what it writes belongs together in
one transaction. A roster run is the exception, by design: the background task writes the
roster in short transactions (see ``runs``). Reads that pages and the API share are in
``rostering.queries``; ``rostering.planning`` turns records into the planner's data and back.

Callers import each function from its module (``from coopcare.rostering.services.runs import
start_run``): this package re-exports nothing.
"""
