"""The user's notification settings (the topics they get by push, their devices) and the
service worker that shows push messages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coopcare.pages import press, submit
from coopcare.push import queries, services, vapid
from coopcare.push.forms import TopicsForm
from coopcare.push.models import PushSubscription
from coopcare.push.worker import static_version


@login_required
def notifications(request):
    """The topics the user gets by push, this browser turned on or off, and their devices."""
    form = TopicsForm(
        request.POST or None, initial={"topics": sorted(queries.topics_of(request.user.pk))}
    )
    if request.method == "POST" and submit(
        request,
        form,
        lambda data: services.choose_topics(request.user, data["topics"]),
        gettext_lazy("Your choices are saved."),
    ):
        return redirect("push:notifications")
    context = {
        "form": form,
        "public_key": vapid.public_key(),
        "devices": queries.devices_of(request.user.pk),
        "subscribe_url": reverse("api:push_subscribe"),
        "unsubscribe_url": reverse("api:push_unsubscribe"),
    }
    return render(request, "push/notifications.html", context)


@login_required
@require_POST
def remove_device(request, subscription_id: int):
    """Stop pushing to one of the user's devices."""
    device = get_object_or_404(PushSubscription, pk=subscription_id, user=request.user)
    press(request, lambda: services.remove(device), _("The device gets no more notifications."))
    return redirect("push:notifications")


def service_worker(request):
    """The service worker at the site's root, so that its scope is the whole site: it shows
    push messages and opens their page when tapped, and keeps the carer's day pages for
    when there is no signal. Open to anyone: it holds no data itself. Its copies of static
    files are named for their content (``worker.static_version``), so a deployment that
    changes one replaces them all."""
    context = {
        "banner": _("Offline copy, saved at %(time)s. It may be out of date."),
        "static_version": static_version(),
    }
    response = render(request, "push/sw.js", context, content_type="text/javascript")
    # The browser checks for a new worker at each page load.
    response["Cache-Control"] = "no-cache"
    return response
