from django.urls import path

from coopcare.voice import views

app_name = "voice"
urlpatterns = [
    path("voice/circle/<int:person_id>/", views.circle, name="circle"),
    path("voice/visits/<int:visit_id>/feedback/", views.give_feedback, name="give_feedback"),
    path("voice/people/<int:person_id>/feedback/", views.person_feedback, name="person_feedback"),
    path("voice/carers/<int:user_id>/feedback/", views.carer_feedback, name="carer_feedback"),
    path("voice/feedback/<int:feedback_id>/share/", views.share, name="share"),
    path("voice/people/<int:person_id>/complaints/new/", views.file_complaint, name="file"),
    path("voice/complaints/", views.register, name="register"),
    path("voice/complaints.csv", views.register_csv, name="register_csv"),
    path("voice/complaints/policy/", views.set_policy, name="policy"),
    path("voice/complaints/<int:complaint_id>/", views.complaint, name="complaint"),
    path("voice/complaints/<int:complaint_id>/steps/", views.take_step, name="take_step"),
    path("voice/surveys/", views.surveys, name="surveys"),
    path("voice/surveys/new/", views.open_survey, name="open_survey"),
    path("voice/surveys/<int:survey_id>/", views.survey_results, name="survey"),
    path("voice/surveys/<int:survey_id>/close/", views.close_survey, name="close_survey"),
    path("voice/surveys/<int:survey_id>/phone/", views.phone_answer, name="phone_answer"),
    path("voice/surveys/<int:survey_id>/answer/", views.answer_survey, name="answer_survey"),
    path("voice/surveys/<int:survey_id>/thanks/", views.survey_thanks, name="survey_thanks"),
]
