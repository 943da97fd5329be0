from django.urls import path

from coopcare.push import views

app_name = "push"
urlpatterns = [
    path("", views.notifications, name="notifications"),
    path("devices/<int:subscription_id>/remove/", views.remove_device, name="remove_device"),
]
