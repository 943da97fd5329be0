"""Documents' section of the person's data export: each document on the person with every
version's file described, and the files the download carries."""

import hashlib

from coopcare.documents import services
from coopcare.documents.export import person_document_files, person_documents
from tests.documents import files


def test_a_persons_documents_are_described_and_bundled(
    consent, person, coordinator, background_check
):
    services.replace(
        consent, file=files.upload(files.PNG, "signed.png", "image/png"), by=coordinator
    )

    [document] = person_documents(person)["documents"]
    assert (document["title"], document["current_version"]) == ("Consent to care", 2)
    newest, first = document["versions"]
    assert (newest["file_name"], newest["type"], newest["size"]) == (
        "signed.png",
        "image/png",
        len(files.PNG),
    )
    assert first["sha256"] == hashlib.sha256(files.PDF).hexdigest()
    bundled = {f.path: f.open().read() for f in person_document_files(person)}
    assert bundled == {newest["file"]: files.PNG, first["file"]: files.PDF}
    assert first["file"] == f"documents/{consent.pk}/v1/consent.pdf"


def test_a_document_on_a_carer_is_not_in_a_persons_export(background_check, person):
    assert person_documents(person) == {"documents": []}
    assert list(person_document_files(person)) == []
