from django.urls import path

from coopcare.conversations import views

app_name = "conversations"
urlpatterns = [
    path("conversations/", views.index, name="index"),
    path("conversations/<int:person_id>/", views.thread, name="thread"),
    path(
        "conversations/messages/<int:message_id>/needs-action/",
        views.needs_action,
        name="needs_action",
    ),
    path("conversations/messages/<int:message_id>/done/", views.done, name="done"),
]
