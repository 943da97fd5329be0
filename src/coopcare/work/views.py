"""Work pages: coordinators keep contracts, qualifications and timesheets, run pay and watch
working time; carers see their own hours and pay; the board shares out the surplus.

Views parse, check access, call a service, render.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coopcare.cooperatives.access import cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.members.models import Member
from coopcare.pages import over_upload_limit, press, submit
from coopcare.work import access, forms, queries
from coopcare.work.models import (
    CarerHome,
    Contract,
    PatronageRefund,
    PayRun,
    Payslip,
    SurplusAllocation,
    Timesheet,
    TimesheetEntry,
    TimesheetStatus,
)
from coopcare.work.services import (
    contracts,
    homes,
    pay,
    photos,
    qualifications,
    surplus,
    timesheets,
)

STAFF = (Role.COORDINATOR,)
WORKING_TIME_WEEKS_BACK = 4
WORKING_TIME_WEEKS_AHEAD = 2


def _worker(request, user_id: int):
    return get_object_or_404(queries.workers(request.cooperative), pk=user_id)


@cooperative_view(*STAFF)
def overview(request):
    """Every worker with their contract today, skills, and what needs doing."""
    cooperative, today = request.cooperative, timezone.localdate()
    skills = queries.skills_on(cooperative, today)
    in_force = {
        c.carer_id: c for c in Contract.objects.in_force(today).filter(cooperative=cooperative)
    }
    rows = [
        (worker, in_force.get(worker.pk), sorted(skills.get(worker.pk, ())))
        for worker in queries.workers(cooperative)
    ]
    drafts = Timesheet.objects.filter(cooperative=cooperative, status=TimesheetStatus.DRAFT)
    return render(
        request,
        "work/overview.html",
        {
            "rows": rows,
            "expiring": queries.expiring(cooperative, today),
            "drafts": drafts.count(),
            "last_run": PayRun.objects.filter(cooperative=cooperative).first(),
        },
    )


# The forms a coordinator fills in on a worker's page, by the name each posts as ``form``.
WORKER_FORMS = {
    "contract": lambda worker, data: forms.ContractForm(data, prefix="contract"),
    "qualification": lambda worker, data: forms.QualificationForm(data, prefix="qualification"),
    "training": lambda worker, data: forms.TrainingForm(data, prefix="training", worker=worker),
}


def _end_form(contract, data=None):
    return forms.EndContractForm(data, prefix=f"end-{contract.pk}")


def _worker_page(
    request, worker, editable: bool, home_form=None, bound=None, status=200, photo_form=None
):
    """A worker's page: ``editable`` by a coordinator (contracts, qualifications, training),
    or the worker's own (``editable`` False), where they keep their home place. ``bound``:
    forms just posted with errors, by name (``("end", contract id)`` for ending a contract)."""
    cooperative = request.cooperative
    bound = bound or {}
    today = timezone.localdate()
    mine = {"cooperative": cooperative, "carer": worker}
    home = CarerHome.objects.filter(**mine).first()
    if not editable and home_form is None:
        home_form = forms.CarerHomeForm(instance=home, prefix="home")
    contract_rows = [
        (
            contract,
            # A contract in force or to come can be ended (a coordinator's action).
            bound.get(("end", contract.pk)) or _end_form(contract)
            if editable and (contract.ends_on is None or contract.ends_on >= today)
            else None,
        )
        for contract in Contract.objects.filter(**mine)
    ]
    return render(
        request,
        "work/worker.html",
        {
            "worker": worker,
            "editable": editable,
            "forms": {
                name: bound.get(name) or make(worker, None) for name, make in WORKER_FORMS.items()
            }
            if editable
            else {},
            "contracts": contract_rows,
            "qualifications": queries.qualifications_of(cooperative, worker),
            "trainings": worker.trainings.filter(cooperative=cooperative),
            "payslips": Payslip.objects.filter(
                pay_run__cooperative=cooperative, carer=worker
            ).select_related("pay_run")[:12],
            "timesheets": [
                (sheet, queries.summary(sheet.entries.all()))
                for sheet in Timesheet.objects.filter(
                    **mine, day__gte=today - timedelta(days=14)
                ).prefetch_related("entries")
            ],
            "breaches": queries.working_time_breaches(
                cooperative,
                today - timedelta(weeks=WORKING_TIME_WEEKS_BACK),
                today + timedelta(weeks=WORKING_TIME_WEEKS_AHEAD),
                carers=[worker],
            ).get(worker, []),
            "today": today,
            # The place itself only on the carer's own page; a coordinator sees it is set.
            "home": home if not editable else None,
            "home_set": home is not None,
            "home_form": home_form,
            # The carer's own photo and its form, on their own page only.
            "photo": queries.photo_of(cooperative, worker) if not editable else None,
            "photo_form": photo_form or forms.PhotoForm(prefix="photo"),
        },
        status=status,
    )


@cooperative_view(*STAFF)
def worker(request, user_id: int):
    """A worker's contracts, qualifications, training, timesheets and pay."""
    found = _worker(request, user_id)
    cooperative, bound = request.cooperative, {}
    if request.method == "POST":
        name = request.POST.get("form")
        if name not in WORKER_FORMS:
            raise PermissionDenied
        form = WORKER_FORMS[name](found, request.POST)
        calls = {
            "contract": lambda data: contracts.start_contract(
                cooperative,
                found,
                {k: v for k, v in data.items() if k != "replace_current"},
                by=request.user,
                replace_current=data["replace_current"],
            ),
            "qualification": lambda data: qualifications.add_qualification(
                cooperative, found, data
            ),
            "training": lambda data: qualifications.record_training(cooperative, found, data),
        }
        if submit(request, form, calls[name], _("Saved.")):
            return redirect(request.path)
        bound[name] = form
    return _worker_page(request, found, editable=True, bound=bound)


@cooperative_view(*STAFF)
def end_contract(request, user_id: int, contract_id: int):
    """End one of the worker's contracts on a date, its last day. The contract is looked up
    before the method is checked, so that another cooperative's is 404 whatever the method."""
    found = _worker(request, user_id)
    contract = get_object_or_404(
        Contract, cooperative=request.cooperative, carer=found, pk=contract_id
    )
    return _end_contract(request, found, contract)


@require_POST
def _end_contract(request, found, contract: Contract):
    form = _end_form(contract, request.POST)
    if submit(
        request,
        form,
        lambda data: contracts.end_contract(contract, data["ends_on"]),
        _("Contract ended."),
    ):
        return redirect("work:worker", request.cooperative.slug, found.pk)
    return _worker_page(
        request, found, editable=True, bound={("end", contract.pk): form}, status=400
    )


@cooperative_view(Role.CARER, Role.COORDINATOR)
def my_work(request):
    """My contract, qualifications, hours, pay and true hourly pay; my home place and my
    photo (and whether the people I serve see it), which only I give, change or delete."""
    cooperative, home_form = request.cooperative, None
    if request.method == "POST":
        name = request.POST.get("form")
        if name in PHOTO_BUTTONS:
            press(request, lambda: PHOTO_BUTTONS[name][0](request), PHOTO_BUTTONS[name][1])
            return redirect(request.path)
        if name == "photo":
            photo_form = forms.PhotoForm(request.POST, request.FILES, prefix="photo")
            flood = over_upload_limit(request, photo_form)
            if not flood and submit(
                request,
                photo_form,
                lambda data: photos.set_photo(cooperative, request.user, data["file"]),
                _("Photo saved."),
            ):
                return redirect(request.path)
            return _worker_page(
                request,
                request.user,
                editable=False,
                photo_form=photo_form,
                status=429 if flood else 400,
            )
        if name == "forget_home":
            if homes.forget_home(cooperative, request.user):
                messages.success(request, _("Home place deleted."))
            return redirect(request.path)
        if name != "home":
            raise PermissionDenied
        home_form = forms.CarerHomeForm(request.POST, prefix="home")
        if submit(
            request,
            home_form,
            lambda data: homes.set_home(cooperative, request.user, data),
            _("Home place saved."),
        ):
            return redirect(request.path)
    return _worker_page(request, request.user, editable=False, home_form=home_form)


# The photo's buttons on the carer's own page: the action and what is said once done (in
# the language of the one who pressed it, hence lazy).
PHOTO_BUTTONS = {
    "photo_shown": (
        lambda request: photos.show_photo(request.cooperative, request.user, True),
        gettext_lazy("Your photo is shown to the people you serve and their families."),
    ),
    "photo_hidden": (
        lambda request: photos.show_photo(request.cooperative, request.user, False),
        gettext_lazy("Your photo is no longer shown to anyone but the office."),
    ),
    "photo_delete": (
        lambda request: photos.delete_photo(request.cooperative, request.user),
        gettext_lazy("Photo deleted."),
    ),
}


@cooperative_view(Role.CARER, Role.COORDINATOR, Role.CIRCLE)
def carer_photo(request, user_id: int):
    """A carer's photo, for the carer, the coordinators, and the circles of the people the
    carer serves while the carer agrees (``work.access``); 404 for anyone else."""
    photo = access.visible_photo(
        request.user, request.cooperative, request.roles, user_id, timezone.now()
    )
    return access.photo_response(photo)


@cooperative_view(*STAFF)
def timesheet_list(request):
    """Timesheets of a period: build them from visit records, approve them."""
    cooperative = request.cooperative
    today = timezone.localdate()
    period = forms.PeriodForm(
        request.GET or None,
        initial={"starts_on": today - timedelta(days=7), "ends_on": today - timedelta(days=1)},
    )
    start, end = today - timedelta(days=7), today - timedelta(days=1)
    if period.is_valid():
        start, end = period.cleaned_data["starts_on"], period.cleaned_data["ends_on"]
    sheets = Timesheet.objects.filter(cooperative=cooperative, day__range=(start, end))
    if request.method == "POST":
        if request.POST.get("action") == "build":
            built = timesheets.build_timesheets(cooperative, start, end)
            messages.success(
                request,
                _("%(built)s timesheets built; %(kept)s approved or corrected ones kept.")
                % {"built": built.built, "kept": built.kept},
            )
            if built.open_records:
                messages.warning(
                    request,
                    _("%(count)s visits were checked in but never checked out.")
                    % {"count": len(built.open_records)},
                )
        elif request.POST.get("action") == "approve":
            chosen = sheets.filter(pk__in=request.POST.getlist("timesheet"))
            count = timesheets.approve(cooperative, chosen, request.user)
            messages.success(request, _("%(count)s timesheets approved.") % {"count": count})
        return redirect(f"{request.path}?starts_on={start}&ends_on={end}")
    rows = [
        (sheet, queries.summary(sheet.entries.all()))
        for sheet in sheets.select_related("carer").prefetch_related("entries")
    ]
    return render(
        request,
        "work/timesheets.html",
        {"period": period, "rows": rows, "start": start, "end": end},
    )


@cooperative_view(*STAFF)
def timesheet(request, timesheet_id: int):
    """One working day: its entries, corrections (the recorded times kept) and approval."""
    sheet = get_object_or_404(
        Timesheet.objects.select_related("carer"), cooperative=request.cooperative, pk=timesheet_id
    )
    bound = None
    if request.method == "POST":
        if request.POST.get("action") == "approve":
            timesheets.approve(request.cooperative, [sheet], request.user)
            messages.success(request, _("Timesheet approved."))
            return redirect(request.path)
        entry = get_object_or_404(TimesheetEntry, timesheet=sheet, pk=request.POST.get("entry"))
        form = forms.CorrectionForm(request.POST, prefix=f"e{entry.pk}", day=sheet.day)
        if submit(
            request,
            form,
            lambda data: timesheets.correct_entry(
                entry, *form.moments(), data["reason"], request.user
            ),
            _("Entry corrected; the recorded times are kept."),
        ):
            return redirect(request.path)
        bound = (entry.pk, form)
    entries = []
    for entry in sheet.entries.all():
        form = forms.CorrectionForm(
            prefix=f"e{entry.pk}",
            day=sheet.day,
            initial={
                "starts_at": timezone.localtime(entry.starts_at).time(),
                "ends_at": timezone.localtime(entry.ends_at).time(),
            },
        )
        if bound and bound[0] == entry.pk:
            form = bound[1]
        entries.append((entry, form))
    return render(
        request,
        "work/timesheet.html",
        {
            "sheet": sheet,
            "entries": entries,
            "summary": queries.summary(sheet.entries.all()),
        },
    )


@cooperative_view(*STAFF)
def pay_runs(request):
    """Pay runs made, a new one, and the pay rules in force (with a new version)."""
    cooperative = request.cooperative
    today = timezone.localdate()
    start, end = queries.last_pay_period(today)
    run_form = forms.PeriodForm(prefix="run", initial={"starts_on": start, "ends_on": end})
    rules_form = forms.PayRulesForm(prefix="rules", initial={"effective_from": today})
    if request.method == "POST" and request.POST.get("form") == "run":
        run_form = forms.PeriodForm(request.POST, prefix="run")
        if made := submit(
            request,
            run_form,
            lambda data: pay.run_pay(cooperative, data["starts_on"], data["ends_on"], request.user),
            _("Pay run made."),
        ):
            return redirect("work:pay_run", cooperative.slug, made.result.pk)
    elif request.method == "POST" and request.POST.get("form") == "rules":
        rules_form = forms.PayRulesForm(request.POST, prefix="rules")
        if submit(
            request,
            rules_form,
            lambda data: pay.adopt_pay_rules(cooperative, data, request.user),
            _("New pay rules recorded."),
        ):
            return redirect(request.path)
    return render(
        request,
        "work/pay_runs.html",
        {
            "runs": PayRun.objects.filter(cooperative=cooperative),
            "run_form": run_form,
            "rules_form": rules_form,
            "in_force": queries.pay_rules_on(cooperative, today),
        },
    )


def _pay_run(request, pay_run_id: int) -> PayRun:
    return get_object_or_404(PayRun, cooperative=request.cooperative, pk=pay_run_id)


@cooperative_view(*STAFF)
def pay_run(request, pay_run_id: int):
    """One pay run: each worker's hours, pay and true hourly pay."""
    run = _pay_run(request, pay_run_id)
    slips = run.payslips.select_related("carer")
    return render(
        request,
        "work/pay_run.html",
        {"run": run, "slips": slips, "below": [s for s in slips if s.below_minimum]},
    )


@cooperative_view(*STAFF)
def pay_run_csv(request, pay_run_id: int):
    """The pay run as CSV for payroll."""
    run = _pay_run(request, pay_run_id)
    response = HttpResponse(queries.payroll_csv(run), content_type="text/csv; charset=utf-8")
    name = f"pay-{request.cooperative.slug}-{run.starts_on}-{run.ends_on}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@cooperative_view(Role.COORDINATOR, Role.BOARD)
def working_time(request):
    """Breaches of working time, past and planned, and the limits the cooperative applies."""
    cooperative = request.cooperative
    today = timezone.localdate()
    rules = queries.work_rules_of(cooperative)
    form = forms.WorkRulesForm(instance=rules)
    if request.method == "POST":
        if Role.BOARD not in request.roles:
            raise PermissionDenied
        form = forms.WorkRulesForm(request.POST, instance=rules)
        if form.is_valid():
            form.save()
            messages.success(request, _("Working-time rules saved."))
            return redirect(request.path)
    found = queries.working_time_breaches(
        cooperative,
        today - timedelta(weeks=WORKING_TIME_WEEKS_BACK),
        today + timedelta(weeks=WORKING_TIME_WEEKS_AHEAD),
    )
    return render(
        request,
        "work/working_time.html",
        {
            "found": sorted(found.items(), key=lambda item: str(item[0])),
            "form": form,
            "editable": Role.BOARD in request.roles,
            "today": today,
        },
    )


@cooperative_view(Role.BOARD, Role.COORDINATOR, Role.MEMBER)
def surplus_list(request):
    """Surplus allocations made; the board makes the year's."""
    cooperative = request.cooperative
    form = forms.SurplusForm(prefix="surplus")
    if request.method == "POST":
        if Role.BOARD not in request.roles:
            raise PermissionDenied
        form = forms.SurplusForm(request.POST, prefix="surplus")
        if made := submit(
            request,
            form,
            lambda data: surplus.allocate_surplus(cooperative, data, request.user),
            _("Surplus shared out."),
        ):
            return redirect("work:surplus", cooperative.slug, made.result.pk)
    return render(
        request,
        "work/surplus_list.html",
        {
            "allocations": SurplusAllocation.objects.filter(cooperative=cooperative),
            "form": form if Role.BOARD in request.roles else None,
        },
    )


@cooperative_view(Role.BOARD, Role.COORDINATOR, Role.MEMBER)
def surplus_detail(request, allocation_id: int):
    """A year's allocation; a member sees their own statement, the board every refund."""
    allocation = get_object_or_404(
        SurplusAllocation, cooperative=request.cooperative, pk=allocation_id
    )
    me = Member.objects.filter(cooperative=request.cooperative, user=request.user).first()
    everyone = bool(request.roles & {Role.BOARD, Role.COORDINATOR})
    refunds = allocation.refunds_to.select_related("member")
    return render(
        request,
        "work/surplus.html",
        {
            "allocation": allocation,
            "mine": PatronageRefund.objects.filter(allocation=allocation, member=me).first()
            if me
            else None,
            "refunds": refunds if everyone else None,
        },
    )
