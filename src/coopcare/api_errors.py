"""Where the API lives and the shape of its errors, in a module of its own.

``settings.py`` loads ``coopcare.database``, which answers the API's requests too when the
database stays locked; importing ``coopcare.api`` from there would load the whole API (its
routers, their models) while the settings are read. Both import this module instead.
"""

from django.http import HttpRequest, JsonResponse

# Where urls.py mounts the API; every answer under it is JSON.
API_PATH = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    """Whether ``request`` is for the API, whose answers are always JSON."""
    return request.path.startswith(API_PATH)


def error_body(code: str, detail, **extra) -> dict:
    """The API's error body: ``{"detail": ..., "code": ..., **extra}``."""
    return {"detail": detail, "code": code, **extra}


def json_error(status: int, code: str, detail) -> JsonResponse:
    """The API's error body as an answer of its own, outside the API's views (Django's 404 and
    500 handlers under /api/, the 503 of a locked database)."""
    return JsonResponse(error_body(code, detail), status=status)
