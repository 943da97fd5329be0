from django.urls import path

from coopcare.documents import views

app_name = "documents"
urlpatterns = [
    path("documents/", views.cooperative_documents, name="cooperative"),
    path("documents/expiring/", views.expiring, name="expiring"),
    path("documents/people/<int:person_id>/", views.person_documents, name="person"),
    path("documents/carers/<int:user_id>/", views.carer_documents, name="carer"),
    path("documents/<int:document_id>/", views.document, name="document"),
    path("documents/<int:document_id>/replace/", views.replace, name="replace"),
    path("documents/<int:document_id>/delete/", views.delete, name="delete"),
    path(
        "documents/<int:document_id>/versions/<int:version>/",
        views.download,
        name="download",
    ),
]
