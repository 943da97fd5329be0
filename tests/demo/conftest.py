import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """The demo's documents stored under a temporary MEDIA_ROOT, as the default settings store
    them."""
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
