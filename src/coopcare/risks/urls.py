from django.urls import path

from coopcare.risks import views

app_name = "risks"
urlpatterns = [
    path("risks/due/", views.due, name="due"),
    path("risks/people/<int:person_id>/", views.person_risks, name="person"),
    path("risks/people/<int:person_id>/assess/<slug:scale>/", views.assess, name="assess"),
    path("risks/people/<int:person_id>/goals/", views.goal, name="goal"),
    path("risks/people/<int:person_id>/reviews/", views.review, name="review"),
    path(
        "risks/assessments/<int:assessment_id>/double-handed/",
        views.double_handed,
        name="double_handed",
    ),
]
