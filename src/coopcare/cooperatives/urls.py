from django.urls import path

from coopcare.cooperatives import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
