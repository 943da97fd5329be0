from django.urls import path

from coopcare.retention import views

app_name = "retention"
urlpatterns = [
    path("retention/", views.index, name="index"),
    path("retention/periods/", views.set_period, name="set_period"),
    path("retention/holds/", views.place_hold, name="place_hold"),
    path("retention/holds/<int:hold_id>/release/", views.release_hold, name="release_hold"),
    path("retention/run/", views.run_now, name="run"),
]
