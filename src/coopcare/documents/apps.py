from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "coopcare.documents"
    verbose_name = _("Documents")

    def ready(self):
        # The person's data export holds their documents, and its download their files: care
        # gathers them without importing us.
        from coopcare.care.export import on_export, on_export_files
        from coopcare.documents.export import person_document_files, person_documents

        on_export(person_documents)
        on_export_files(person_document_files)
