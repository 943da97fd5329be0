"""The JSON API at /api/, with its OpenAPI schema at /api/openapi.json.

Clients authenticate with a bearer token (made on the account's token page); a logged-in
browser session works too. Broken business rules answer 400 with ``{"detail": ..., "errors":
[...]}``; objects of another cooperative answer 404, as if they did not exist.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from coopcare.accounts.models import ApiToken
from coopcare.care.api import router as care_router
from coopcare.cooperatives.api import router as cooperatives_router
from coopcare.governance.api import router as governance_router
from coopcare.members.api import router as members_router
from coopcare.rostering.api import router as rostering_router
from coopcare.visits.api import router as visits_router
from coopcare.work.api import router as work_router


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        return ApiToken.authenticate(token)


api = NinjaAPI(
    title="coopcare",
    version="1",
    description=(
        "The API of a coopcare cooperative: members and share capital, people cared for, "
        "care plans, visits and visit records, assemblies, motions, elections and votes, "
        "timesheets and pay, rosters and carers' requests on them."
    ),
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def rule_broken(request, exc: ValidationError):
    return api.create_response(
        request, {"detail": " ".join(exc.messages), "errors": exc.messages}, status=400
    )


@api.exception_handler(PermissionDenied)
def forbidden(request, exc: PermissionDenied):
    return api.create_response(
        request, {"detail": "Your role in this cooperative does not allow this."}, status=403
    )


api.add_router("/cooperatives", cooperatives_router)
api.add_router("/cooperatives", members_router)
api.add_router("/cooperatives", care_router)
api.add_router("/cooperatives", visits_router)
api.add_router("/cooperatives", governance_router)
api.add_router("/cooperatives", work_router)
api.add_router("/cooperatives", rostering_router)
