"""The JSON API at /api/, with its OpenAPI schema at /api/openapi.json.

Clients authenticate with a bearer token (made on the account's token page); a logged-in
browser session works too, once it has passed the second factor if the user has one. Every
answer is JSON, errors included, and every error carries a stable ``code`` that clients can
branch on (the ``detail`` is for people and may change):

- 400 ``rule_broken`` (or the rule's own code) with ``errors``: a business rule said no;
- 400 ``out_of_range``: a value too long or too large for its column;
- 401 ``not_authenticated`` or ``second_factor_required``;
- 403 ``forbidden`` (``csrf_failed`` for a session request without its CSRF token);
- 404 ``not_found``: also for objects of another cooperative, as if they did not exist;
- 405 ``method_not_allowed`` with an ``Allow`` header;
- 413 ``too_large``: a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB);
- 422 ``invalid_request`` with the fields that did not validate;
- 429 ``rate_limited`` with a ``Retry-After`` header;
- 500 ``server_error``, never a traceback.
"""

import logging
import math
from http import HTTPStatus

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.core.signals import got_request_exception
from django.db.utils import DataError, OperationalError
from django.http import Http404, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as RequestValidationError
from ninja.security import HttpBearer, SessionAuth

from coopcare.accounts.middleware import needs_second_factor
from coopcare.accounts.models import ApiToken
from coopcare.accounts.ratelimit import AddressThrottle, UserThrottle
from coopcare.api_errors import error_body, is_api_request, json_error
from coopcare.billing.api import router as billing_router
from coopcare.bodymap.api import router as bodymap_router
from coopcare.care.api import router as care_router
from coopcare.childcare.api import router as childcare_router
from coopcare.conversations.api import router as conversations_router
from coopcare.cooperatives.api import router as cooperatives_router
from coopcare.database import is_locked, locked_response
from coopcare.documents.api import router as documents_router
from coopcare.governance.api import router as governance_router
from coopcare.household.api import router as household_router
from coopcare.imports.api import router as imports_router
from coopcare.medication.api import router as medication_router
from coopcare.members.api import router as members_router
from coopcare.privacy.api import router as privacy_router
from coopcare.push.api import router as push_router
from coopcare.respite.api import router as respite_router
from coopcare.retention.api import router as retention_router
from coopcare.risks.api import router as risks_router
from coopcare.rostering.api import router as rostering_router
from coopcare.timecredits.api import router as timecredits_router
from coopcare.visits.api import router as visits_router
from coopcare.voice.api import router as voice_router
from coopcare.work.api import router as work_router

# Unhandled errors are logged where Django logs its own 500s, so the same handlers see them.
request_logger = logging.getLogger("django.request")

_address_throttle = AddressThrottle()


class SecondFactorRequired(AuthenticationError):
    """A session whose user has an authenticator app but has not entered a code yet."""

    def __init__(self):
        super().__init__(message="Enter the code from your authenticator app first.")


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``, the API's own way in."""

    def __call__(self, request):
        # The first check of every API request, before any credential is looked at, so the
        # per-address limit also counts requests that fail to authenticate (ninja's own
        # throttles run only after authentication has succeeded).
        if not _address_throttle.allow_request(request):
            raise Throttled(wait=math.ceil(_address_throttle.wait() or 1))
        return super().__call__(request)

    def authenticate(self, request, token):
        """The user owning ``token``, or None."""
        return ApiToken.authenticate(token)


class VerifiedSessionAuth(SessionAuth):
    """The browser session (with its CSRF token), but only once login is complete.

    The second-factor middleware lets /api/ through (API clients have no page to enter a code
    on), so without this check a password alone would open the whole API to a session."""

    def authenticate(self, request, key):
        """The session's user, or None; refuses a session still waiting for its code."""
        user = super().authenticate(request, key)
        if user is not None and needs_second_factor(user):
            raise SecondFactorRequired
        return user


# The errors any operation may answer, documented on every operation of the schema so that
# clients (and generated tests) know their shape. 500 is not among them: it is a bug.
DOCUMENTED_ERRORS = {
    400: "A business rule refused the request (``errors`` lists why).",
    401: "No valid token or session, or the session still needs its second factor.",
    403: "The user's role in this cooperative does not allow this.",
    404: "No such object in this cooperative (or the cooperative is not the user's).",
    405: "The path does not take this method.",
    413: "The request body is larger than the API takes.",
    422: "The request does not fit the schema; ``detail`` lists the fields.",
    429: "Too many requests; ``Retry-After`` says how many seconds to wait.",
    503: "The database is busy; ``Retry-After`` says when to try again.",
}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {
            "title": "Detail",
            "description": "For people: a sentence, or for 422 the fields that did not validate.",
            "anyOf": [{"type": "string"}, {"type": "array", "items": {}}],
        },
        "code": {"title": "Code", "description": "Stable, for programs.", "type": "string"},
        "errors": {"title": "Errors", "type": "array", "items": {"type": "string"}},
    },
    "required": ["detail", "code"],
}


class CoopcareAPI(NinjaAPI):
    """ninja's API, whose OpenAPI schema also documents the error answers."""

    def get_openapi_schema(self, **kwargs):
        """The schema, with ``Error`` answers added to every operation."""
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in DOCUMENTED_ERRORS.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        },
                    )
        return schema


api = CoopcareAPI(
    title="coopcare",
    version="1",
    description=(
        "The API of a coopcare cooperative: members and share capital, people cared for, "
        "care plans, visits and visit records, assemblies, motions, elections and votes, "
        "timesheets and pay, rosters and carers' requests on them."
    ),
    auth=[TokenAuth(), VerifiedSessionAuth()],
    # Per user, over all their tokens and their session; the per-address limit is in TokenAuth.
    throttle=[UserThrottle()],
    # No online validator: Swagger UI would send the schema's address to swagger.io, and load
    # its badge from there (which the Content-Security-Policy forbids anyway).
    docs=Swagger(settings={"validatorUrl": None}),
    urls_namespace="api",
)


def error(request, status: int, code: str, detail, **extra) -> HttpResponse:
    """The API's error body: ``{"detail": ..., "code": ..., **extra}``."""
    return api.create_response(request, error_body(code, detail, **extra), status=status)


_CODES_BY_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "rate_limited",
}


@api.exception_handler(ValidationError)
def rule_broken(request, exc: ValidationError):
    """A business rule refused the change: 400 with every message."""
    # A rule that names its failure (``ValidationError(..., code=...)``) passes the name on.
    codes = {e.code for e in getattr(exc, "error_list", []) if getattr(e, "code", None)}
    code = codes.pop() if len(codes) == 1 else "rule_broken"
    return error(request, 400, code, " ".join(exc.messages), errors=exc.messages)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc: PermissionDenied):
    """The user's role does not allow the operation."""
    return error(request, 403, "forbidden", "Your role in this cooperative does not allow this.")


@api.exception_handler(RequestValidationError)
def invalid_request(request, exc: RequestValidationError):
    """The request's parameters or body do not fit the schema: 422 with the fields."""
    return error(request, 422, "invalid_request", exc.errors)


@api.exception_handler(RequestDataTooBig)
def too_large(request, exc: RequestDataTooBig):
    """A body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``: refused before it is read."""
    return error(request, 413, "too_large", "The request body is too large.")


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    """Nothing here, or nothing this user may know of."""
    return error(request, 404, "not_found", "Not Found")


@api.exception_handler(SecondFactorRequired)
def second_factor_required(request, exc: SecondFactorRequired):
    """Half-logged-in session: the client should finish logging in, or use a token."""
    response = error(request, 401, "second_factor_required", exc.message)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Throttled)
def rate_limited(request, exc: Throttled):
    """Too many requests: 429 with the seconds to wait (ninja adds the header after its own
    throttles; this also covers the per-address limit raised during authentication)."""
    response = error(request, 429, "rate_limited", "Too many requests. Wait and try again.")
    if exc.wait is not None:
        response["Retry-After"] = str(math.ceil(exc.wait))
    return response


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """Errors ninja raises itself: no credentials (401), a failed CSRF check (403)..."""
    if exc.status_code == 403 and "CSRF" in exc.message:
        return error(request, 403, "csrf_failed", exc.message)
    code = _CODES_BY_STATUS.get(exc.status_code, "error")
    response = error(request, exc.status_code, code, str(exc))
    if exc.status_code == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(DataError)
def out_of_range(request, exc: DataError):
    """The database refused a value too long or too large for its column (PostgreSQL checks
    what the schema does not bound, such as the length of a short text): 400, nothing written,
    as every service writes in one transaction."""
    return error(
        request, 400, "out_of_range", "A value is too long or too large for what coopcare keeps."
    )


@api.exception_handler(OperationalError)
def database_busy(request, exc: OperationalError):
    """The database stayed locked past its wait: 503 with Retry-After, not 500."""
    return locked_response(request) if is_locked(exc) else server_error(request, exc)


@api.exception_handler(Exception)
def server_error(request, exc: Exception):
    """Any other exception: logged with its traceback, answered with JSON that has none.

    ninja would otherwise re-raise (Django's HTML 500 page) or, with DEBUG, answer the
    traceback as text. The ``got_request_exception`` signal is sent as Django does, so error
    reporting that listens to it still hears of the failure."""
    request_logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    got_request_exception.send(sender=None, request=request)
    return error(request, 500, "server_error", "Something went wrong on our side.")


class JsonErrorsMiddleware:
    """Under /api/, turns any error answered in another format into the API's JSON error.

    The exception handlers above and the 404/500 handlers in urls.py cover most errors; this
    catches what answers around them: ninja's 405 for a method a path does not have, Django's
    400 for a request it cannot read (a bad Host header, a body too large), and so on. The
    headers that tell the client what to do (``Allow``, ``Retry-After``...) are kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and is_api_request(request)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            code = "server_error" if status >= 500 else _CODES_BY_STATUS.get(status, "error")
            try:
                detail = HTTPStatus(status).phrase
            except ValueError:  # a status no standard names
                detail = code
            replacement = json_error(status, code, detail)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response


api.add_router("/cooperatives", cooperatives_router)
api.add_router("/cooperatives", members_router)
api.add_router("/cooperatives", care_router)
api.add_router("/cooperatives", visits_router)
api.add_router("/cooperatives", governance_router)
api.add_router("/cooperatives", work_router)
api.add_router("/cooperatives", rostering_router)
api.add_router("/cooperatives", documents_router)
api.add_router("/cooperatives", imports_router)
api.add_router("/cooperatives", risks_router)
api.add_router("/cooperatives", respite_router)
api.add_router("/cooperatives", household_router)
api.add_router("/cooperatives", bodymap_router)
api.add_router("/cooperatives", voice_router)
api.add_router("/cooperatives", conversations_router)
api.add_router("/cooperatives", medication_router)
api.add_router("/cooperatives", billing_router)
api.add_router("/cooperatives", retention_router)
api.add_router("/cooperatives", privacy_router)
api.add_router("/cooperatives", childcare_router)
api.add_router("/cooperatives", timecredits_router)
# The login's own web push devices and topics: they belong to no one cooperative.
api.add_router("/account", push_router)
