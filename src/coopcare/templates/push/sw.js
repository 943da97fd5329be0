// coopcare's service worker, served at the site's root so that its scope is the whole site.
// Each job is one listener below; a new job (offline copies of pages) is a listener of its own.

// Push: show the notice. A push message holds only a title, a fixed sentence, the page to open
// and its topic (coopcare.notify.WebPush): it passed through the browser vendor's push service.
self.addEventListener("push", (event) => {
  let notice = {};
  try {
    notice = event.data ? event.data.json() : {};
  } catch (error) {
    notice = {};
  }
  const title = notice.title || "coopcare";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: notice.body || "",
      data: { url: notice.url || "/" },
    }),
  );
});

// A tap on a notice opens its page, on this site only (the window showing it, if one does).
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const asked = new URL(data.url || "/", self.location.origin);
  const url = asked.origin === self.location.origin ? asked.href : `${self.location.origin}/`;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const same = windows.find((w) => w.url === url);
      return same ? same.focus() : self.clients.openWindow(url);
    }),
  );
});
