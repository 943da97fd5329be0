from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PushConfig(AppConfig):
    name = "coopcare.push"
    verbose_name = _("Web push")

    def ready(self):
        # Logging out forgets the user's devices: a phone lost or handed on while logged in
        # gets no more notices once someone logs it out, here or from another device.
        from django.contrib.auth.signals import user_logged_out

        from coopcare.push.services import forget_devices_at_logout

        user_logged_out.connect(forget_devices_at_logout, dispatch_uid="push_forget_devices")
