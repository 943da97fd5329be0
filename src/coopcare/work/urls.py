from django.urls import path

from coopcare.work import views

app_name = "work"
urlpatterns = [
    path("work/", views.overview, name="overview"),
    path("work/me/", views.my_work, name="mine"),
    path("work/workers/<int:user_id>/", views.worker, name="worker"),
    path("work/carers/<int:user_id>/photo/", views.carer_photo, name="carer_photo"),
    path(
        "work/workers/<int:user_id>/contracts/<int:contract_id>/end/",
        views.end_contract,
        name="end_contract",
    ),
    path("work/timesheets/", views.timesheet_list, name="timesheets"),
    path("work/timesheets/<int:timesheet_id>/", views.timesheet, name="timesheet"),
    path("work/pay/", views.pay_runs, name="pay_runs"),
    path("work/pay/<int:pay_run_id>/", views.pay_run, name="pay_run"),
    path("work/pay/<int:pay_run_id>/payroll.csv", views.pay_run_csv, name="pay_run_csv"),
    path("work/working-time/", views.working_time, name="working_time"),
    path("work/surplus/", views.surplus_list, name="surplus_list"),
    path("work/surplus/<int:allocation_id>/", views.surplus_detail, name="surplus"),
]
