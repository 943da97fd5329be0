from django.urls import path

from coopcare.bodymap import views

app_name = "bodymap"
urlpatterns = [
    path("body-map/people/<int:person_id>/", views.person_map, name="person"),
    path("body-map/people/<int:person_id>/marks/", views.add_mark, name="add_mark"),
    path("body-map/marks/<int:mark_id>/follow-ups/", views.follow_up, name="follow_up"),
]
