from django.urls import path

from coopcare.governance import views

app_name = "governance"
urlpatterns = [
    path("votes/", views.home, name="home"),
    path("votes/trackers/", views.tracker, name="tracker"),
    path("statutes/", views.statutes, name="statutes"),
    path("assemblies/new/", views.call_assembly, name="call_assembly"),
    path("assemblies/<int:assembly_id>/", views.assembly, name="assembly"),
    path("assemblies/<int:assembly_id>/quorum/", views.assembly_quorum, name="quorum"),
    path(
        "assemblies/<int:assembly_id>/proxy/withdraw/",
        views.withdraw_proxy,
        name="withdraw_proxy",
    ),
    path(
        "assemblies/<int:assembly_id>/attendance.pdf", views.attendance_pdf, name="attendance_pdf"
    ),
    path("assemblies/<int:assembly_id>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("assemblies/<int:assembly_id>/proxy-form.pdf", views.proxy_form_pdf, name="proxy_form"),
    path("assemblies/<int:assembly_id>/letters.pdf", views.letters_pdf, name="letters_pdf"),
    path("assemblies/<int:assembly_id>/<slug:action>/", views.assembly_act, name="assembly_act"),
    path("motions/new/", views.propose_motion, name="propose_motion"),
    path("motions/<int:motion_id>/", views.question, {"kind": "motion"}, name="motion"),
    path(
        "motions/<int:motion_id>/<slug:action>/",
        views.question_act,
        {"kind": "motion"},
        name="motion_act",
    ),
    path(
        "motions/<int:motion_id>/ballots.csv",
        views.published_ballots,
        {"kind": "motion", "fmt": "csv"},
        name="motion_ballots",
    ),
    path("elections/new/", views.call_election, name="call_election"),
    path("elections/<int:election_id>/", views.question, {"kind": "election"}, name="election"),
    path(
        "elections/<int:election_id>/ballots.csv",
        views.published_ballots,
        {"kind": "election", "fmt": "csv"},
        name="election_ballots",
    ),
    path(
        "elections/<int:election_id>/ballots.blt",
        views.published_ballots,
        {"kind": "election", "fmt": "blt"},
        name="election_blt",
    ),
    path(
        "elections/<int:election_id>/<slug:action>/",
        views.question_act,
        {"kind": "election"},
        name="election_act",
    ),
]
