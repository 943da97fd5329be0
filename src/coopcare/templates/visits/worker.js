// The carer's day readable without signal. This worker's scope is the carer's "My visits"
// pages of one cooperative (/c/<coop>/today/), and it caches nothing else: each page is asked
// of the network first (online, always fresh); only when the network fails is the last copy
// of that day shown, with a banner saying when it was saved. Copies older than KEEP_HOURS are
// dropped: outside the carer's 24 hours around a visit they may not see the person anyway.
// A page that comes back as anything but the day (a login page after logging out, a refusal)
// drops every copy; logging out also sends Clear-Site-Data, which wipes the cache and this
// worker.
const CACHE = "coopcare-visits";
const KEEP_HOURS = 48;
const SAVED_AT = "X-Coopcare-Saved-At";
const BANNER = "{{ banner|escapejs }}";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(dropOld().then(() => self.clients.claim()));
});

async function dropOld() {
  const cache = await caches.open(CACHE);
  const oldest = Date.now() - KEEP_HOURS * 3600 * 1000;
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (!response || Number(response.headers.get(SAVED_AT)) < oldest) {
      await cache.delete(request);
    }
  }
}

async function keep(request, response) {
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT, String(Date.now()));
  const body = await response.clone().text();
  const cache = await caches.open(CACHE);
  await cache.put(request, new Response(body, { status: 200, headers }));
}

async function offlineCopy(request) {
  const cache = await caches.open(CACHE);
  const copy = await cache.match(request);
  if (!copy) {
    return Response.error();
  }
  const saved = new Date(Number(copy.headers.get(SAVED_AT)));
  const time = saved.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const banner = BANNER.replace("%(time)s", time).replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const page = (await copy.text()).replace(
    '<main id="content">',
    `<main id="content"><p class="note" role="status">${banner}</p>`,
  );
  return new Response(page, { headers: copy.headers });
}

async function dayPage(request) {
  let response;
  try {
    response = await fetch(request);
  } catch (failed) {
    return offlineCopy(request);
  }
  const isDay = response.ok && !response.redirected
    && (response.headers.get("Content-Type") || "").startsWith("text/html");
  if (isDay) {
    await keep(request, response);
    await dropOld();
  } else if (response.redirected || response.status === 401 || response.status === 403) {
    await caches.delete(CACHE);
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  // Only the day's pages themselves: never this worker, a form sent, or anything else.
  const url = new URL(request.url);
  if (request.method !== "GET" || request.mode !== "navigate"
      || url.pathname !== new URL(self.registration.scope).pathname) {
    return;
  }
  event.respondWith(dayPage(request));
});
