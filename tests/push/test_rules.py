"""The checks of a subscription, with the examples of their sources."""

from coopcare.push import rules
from tests.push.conftest import browser_keys

HOSTS = ["fcm.googleapis.com", "updates.push.services.mozilla.com", "notify.windows.com"]


def codes(problems):
    return [p.code for p in problems]


def test_a_browsers_subscription_passes():
    # RFC 8291 §3.1: "p256dh" is the browser's P-256 key in uncompressed form (65 octets);
    # §3.2: "auth" is a 16-octet secret; both base64url. A Firefox endpoint, as RFC 8030 §4's
    # example shape: https on the push service's host.
    endpoint = "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABn"
    assert rules.subscription_problems(endpoint, **browser_keys(), allowed_hosts=HOSTS) == []


def test_an_endpoint_over_plain_http_is_refused():
    # RFC 8030 §8.1: "a push service ... MUST use HTTP over TLS".
    problems = rules.subscription_problems(
        "http://fcm.googleapis.com/fcm/send/x", **browser_keys(), allowed_hosts=HOSTS
    )
    assert codes(problems) == ["push_endpoint_not_https"]


def test_an_endpoint_outside_the_push_services_is_refused():
    # OWASP SSRF Prevention Cheat Sheet: send only to allowed hosts, so that a user cannot
    # have coopcare post to a machine inside its own network.
    for address in ("https://10.0.0.5/admin", "https://fcm.googleapis.com.evil.example/x"):
        problems = rules.subscription_problems(address, **browser_keys(), allowed_hosts=HOSTS)
        assert codes(problems) == ["push_service_unknown"]
    # A host under an allowed domain (Edge's push service has one host per region).
    assert rules.push_service_allowed("wns2-db5p.notify.windows.com", HOSTS)


def test_keys_of_the_wrong_shape_are_refused():
    keys = browser_keys()
    short_secret = rules.subscription_problems(
        "https://fcm.googleapis.com/fcm/send/x",
        p256dh=keys["p256dh"],
        auth="c2hvcnQ",  # "short": 5 octets, not 16
        allowed_hosts=HOSTS,
    )
    assert codes(short_secret) == ["push_secret_invalid"]
    # 65 octets starting 0x04, but not a point on P-256.
    off_the_curve = "BA" + "A" * 85
    bad_key = rules.subscription_problems(
        "https://fcm.googleapis.com/fcm/send/x",
        p256dh=off_the_curve,
        auth=keys["auth"],
        allowed_hosts=HOSTS,
    )
    assert codes(bad_key) == ["push_key_invalid"]
    assert codes(
        rules.subscription_problems(
            "https://fcm.googleapis.com/fcm/send/x", "%%%", "%%%", allowed_hosts=HOSTS
        )
    ) == ["push_key_invalid", "push_secret_invalid"]


def test_only_known_topics_may_be_chosen():
    assert rules.topic_problems(["roster", "vote"]) == []
    assert codes(rules.topic_problems(["roster", "gossip"])) == ["unknown_push_topic"]
