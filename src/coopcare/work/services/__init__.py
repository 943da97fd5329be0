"""Actions of work, one module per subject:

- ``contracts``: a new contract (ending the open-ended one it follows, if asked), and its end;
- ``qualifications``: the certificates a carer holds, and the training they took;
- ``homes``: the home place a carer gives, and takes back;
- ``timesheets``: timesheets built from visit records, corrected and approved;
- ``pay``: new pay rules, and pay runs from approved timesheets;
- ``surplus``: a year's surplus shared out (reserve, mutual fund, patronage refunds).

Each action checks its rules (the pure ones in ``work.rules``) and raises
``ValidationError``, writing nothing, when one is broken; it writes in one transaction. Reads
that pages, the API and other apps share (contracts and skills in force, pay and working-time
rules, working time and its breaches, the payroll export, members' hours) are in
``work.queries``; ``_common`` holds what the actions share.

Callers import each function from its module (``from coopcare.work.services.pay import
run_pay``): this package re-exports nothing.
"""
