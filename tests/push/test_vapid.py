"""The installation's VAPID key: from the environment, made once for development, or none."""

from io import StringIO

from django.core.management import call_command
from django.test import override_settings

from coopcare.push import vapid


def test_a_development_machine_makes_its_key_once(tmp_path):
    path = tmp_path / "vapid-development.pem"
    with override_settings(VAPID_PRIVATE_KEY="", VAPID_DEVELOPMENT_KEY_FILE=str(path)):
        assert vapid.configured()
        first = vapid.public_key()
        assert path.exists()
        made = path.read_bytes()
        assert vapid.public_key() == first
        assert path.read_bytes() == made
    # The browsers' applicationServerKey: an uncompressed P-256 point (65 bytes) in base64url.
    assert first is not None and len(first) == 87 and first.startswith("B")


def test_without_a_key_push_is_off():
    with override_settings(VAPID_PRIVATE_KEY="", VAPID_DEVELOPMENT_KEY_FILE=""):
        assert not vapid.configured()
        assert vapid.key() is None
        assert vapid.public_key() is None


def test_push_keys_prints_a_key_the_settings_take():
    out = StringIO()
    call_command("push_keys", stdout=out)
    name, _, key = out.getvalue().strip().partition("=")
    assert name == "VAPID_PRIVATE_KEY"
    with override_settings(VAPID_PRIVATE_KEY=key):
        assert len(vapid.public_key() or "") == 87


def test_the_claims_name_the_installation_and_are_fresh_each_time():
    with override_settings(VAPID_SUBJECT="", DEFAULT_FROM_EMAIL="office@coop.example.org"):
        claims = vapid.claims()
        assert claims == {"sub": "mailto:office@coop.example.org"}
        claims["aud"] = "https://fcm.googleapis.com"
        assert "aud" not in vapid.claims()
    with override_settings(VAPID_SUBJECT="https://coop.example.org/"):
        assert vapid.claims() == {"sub": "https://coop.example.org/"}
