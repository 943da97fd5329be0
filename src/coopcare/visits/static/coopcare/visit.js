// Where the person cared for consented to location, a check-in or check-out form takes the
// position once, when it is sent; nothing is tracked in between. Without a position (refused,
// no signal) the form is sent anyway and the visit waits for another verification.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-locate]") || form.dataset.located || !navigator.geolocation) {
    return;
  }
  event.preventDefault();
  const send = () => {
    form.dataset.located = "1";
    form.requestSubmit();
  };
  navigator.geolocation.getCurrentPosition(
    (position) => {
      form.querySelector("[name$=latitude]").value = position.coords.latitude;
      form.querySelector("[name$=longitude]").value = position.coords.longitude;
      send();
    },
    send,
    { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
  );
});

// The day's page stays readable without signal: a service worker keeps the last copy of each
// day opened here (see the worker, served at today/worker.js of the cooperative).
if ("serviceWorker" in navigator && window.location.pathname.endsWith("/today/")) {
  const scope = window.location.pathname;
  navigator.serviceWorker.register(`${scope}worker.js`, { scope }).catch(() => {});
}
