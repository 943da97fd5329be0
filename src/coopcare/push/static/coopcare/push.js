// The notifications page: turn push notifications on or off in this browser. The browser
// subscribes with the installation's public key through the service worker at the site's
// root, and the subscription is handed to coopcare's API (with the page's CSRF token), which
// keeps it for this login until it is turned off, removed, gone, or the user logs out.
(() => {
  const box = document.getElementById("push-device");
  if (!box) {
    return;
  }
  if (!("serviceWorker" in navigator && "PushManager" in window && "Notification" in window)) {
    document.getElementById("push-unsupported").hidden = false;
    return;
  }
  const token = box.querySelector("[name=csrfmiddlewaretoken]").value;

  // The public key in base64url, as PushManager takes it: bytes.
  const keyBytes = (text) => {
    const base64 = (text + "=".repeat((4 - (text.length % 4)) % 4))
      .replace(/-/g, "+")
      .replace(/_/g, "/");
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  };

  const post = (url, body) =>
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body),
    }).then((response) => {
      if (!response.ok) {
        throw new Error(`coopcare answered ${response.status}`);
      }
    });

  const show = (state) => {
    box.hidden = false;
    for (const line of box.querySelectorAll("[data-state]")) {
      line.hidden = line.dataset.state !== state;
    }
    box.querySelector("[data-action=subscribe]").hidden = state === "on";
    box.querySelector("[data-action=unsubscribe]").hidden = state !== "on";
  };

  const registration = navigator.serviceWorker.register(box.dataset.worker, { scope: "/" });

  const refresh = () =>
    registration
      .then((r) => r.pushManager.getSubscription())
      .then((subscription) => {
        if (Notification.permission === "denied") {
          show("denied");
        } else {
          show(subscription ? "on" : "off");
        }
      });

  const subscribe = () =>
    registration
      .then((r) =>
        r.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(box.dataset.publicKey),
        }),
      )
      .then((subscription) => post(box.dataset.subscribe, subscription.toJSON()))
      .then(() => window.location.reload());

  const unsubscribe = () =>
    registration
      .then((r) => r.pushManager.getSubscription())
      .then((subscription) => {
        if (!subscription) {
          return null;
        }
        const endpoint = subscription.endpoint;
        return subscription
          .unsubscribe()
          .then(() => post(box.dataset.unsubscribe, { endpoint }));
      })
      .then(() => window.location.reload());

  const failed = () =>
    Notification.permission === "denied" ? show("denied") : show("failed");

  box.querySelector("[data-action=subscribe]").addEventListener("click", () => {
    subscribe().catch(failed);
  });
  box.querySelector("[data-action=unsubscribe]").addEventListener("click", () => {
    unsubscribe().catch(failed);
  });
  refresh().catch(failed);
})();
