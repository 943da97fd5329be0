from django.urls import path

from coopcare.rostering import views

app_name = "rostering"
urlpatterns = [
    path("roster/", views.home, name="home"),
    path("roster/runs/<int:run_id>/", views.run_progress, name="run"),
    path("roster/runs/<int:run_id>/cancel/", views.run_cancel, name="run_cancel"),
    path("roster/<int:roster_id>/", views.roster, name="roster"),
    path("roster/<int:roster_id>/visits/<int:visit_id>/", views.roster_visit, name="visit"),
    path("roster/<int:roster_id>/publish/", views.roster_publish, name="publish"),
    path("roster/<int:roster_id>/revise/", views.roster_revise, name="revise"),
    path("roster/requests/", views.requests, name="requests"),
    path("roster/requests/<int:request_id>/", views.decide, name="decide"),
    path("roster/board/", views.board, name="board"),
    path("roster/board/sick/", views.sick_for_carer, name="sick_for_carer"),
    path("roster/absences/<int:absence_id>/", views.absence_page, name="absence"),
    path("roster/absences/<int:absence_id>/cover/", views.propose_cover, name="propose_cover"),
    path(
        "roster/absences/<int:absence_id>/cover/<int:proposal_id>/accept/",
        views.accept_cover,
        name="accept_cover",
    ),
    path("roster/availability/", views.who_is_available, name="availability"),
    path("roster/continuity/", views.continuity_page, name="continuity"),
    path("roster/hours/", views.hours_page, name="hours"),
    path("roster/calendars/", views.calendar_settings, name="calendar_settings"),
    path("roster/me/", views.my_roster, name="mine"),
    path("roster/me/availability/", views.my_availability, name="my_availability"),
    path("roster/me/sick/", views.report_sick, name="report_sick"),
    path("roster/me/calendar/renew/", views.renew_calendar, name="renew_calendar"),
    path("roster/me/visits/<int:visit_id>/<slug:kind>/", views.ask, name="ask"),
    path("roster/me/requests/<int:request_id>/withdraw/", views.withdraw, name="withdraw"),
]
# The calendar address carries no cooperative: the secret token finds the feed.
calendar_urls = [path("calendar/<str:token>.ics", views.calendar_feed, name="feed")]
