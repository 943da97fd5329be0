from django.urls import path

from coopcare.cooperatives import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("forms-of-care/", views.forms_of_care, name="forms_of_care"),
]
