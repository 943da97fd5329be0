from django.urls import path

from coopcare.childcare import views

app_name = "childcare"
urlpatterns = [
    path("childcare/", views.centre, name="centre"),
    path("childcare/rooms/", views.add_room, name="add_room"),
    path("childcare/children/", views.enrol, name="enrol"),
    path("childcare/children/<int:child_id>/", views.child, name="child"),
    path("childcare/children/<int:child_id>/guardians/", views.add_guardian, name="add_guardian"),
    path("childcare/children/<int:child_id>/adults/", views.add_adult, name="add_adult"),
    path("childcare/adults/<int:adult_id>/withdraw/", views.withdraw_adult, name="withdraw_adult"),
    path("childcare/children/<int:child_id>/consents/", views.give_consent, name="give_consent"),
    path(
        "childcare/consents/<int:consent_id>/withdraw/",
        views.withdraw_consent,
        name="withdraw_consent",
    ),
    path("childcare/children/<int:child_id>/observations/", views.observe, name="observe"),
    path(
        "childcare/observations/<int:observation_id>/share/",
        views.share_observation,
        name="share_observation",
    ),
    path("childcare/door/", views.door, name="door"),
    path("childcare/door/<int:child_id>/", views.door_child, name="door_child"),
    path("childcare/door/<int:child_id>/in/", views.sign, {"direction": "in"}, name="sign_in"),
    path("childcare/door/<int:child_id>/out/", views.sign, {"direction": "out"}, name="sign_out"),
    path("childcare/rooms/<int:room_id>/", views.room, name="room"),
    path("childcare/rooms/<int:room_id>/now/", views.room_now, name="room_now"),
    path("childcare/rooms/<int:room_id>/shifts/", views.add_shift, name="add_shift"),
    path("childcare/shifts/<int:shift_id>/remove/", views.remove_shift, name="remove_shift"),
    path("childcare/ratios/", views.ratios, name="ratios"),
    path("childcare/fees/", views.fees, name="fees"),
    path("childcare/fees/schedules/", views.add_fee_schedule, name="add_fee_schedule"),
    path("childcare/fees/subsidies/", views.add_subsidy, name="add_subsidy"),
    path("childcare/fees/run/", views.run_fees, name="run_fees"),
    path("childcare/children/<int:child_id>/fee-terms/", views.set_fee_terms, name="set_fee_terms"),
]
