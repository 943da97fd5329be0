// coopcare's service worker, served at the site's root so that its scope is the whole site.
// Each job is one listener below: push messages, and offline copies of the carer's day.

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

// Offline copies of the carer's day pages (/c/<coop>/today/), for carers without signal.
// Only those pages and the site's static files are kept, nothing else of care data. A day page
// is asked of the network first (online, always fresh); only when the network fails is the
// last copy of that day shown, with a banner saying when it was saved. The page hands this
// worker the addresses of today and the next days to keep (the "keep" message below), so a
// carer who loses signal on the way still has them. Copies older than KEEP_HOURS are dropped
// and never shown: care data must not outlive its use on a lost phone, and 72 hours cover a
// day out of signal with the next two days' visits while the roster is still likely to hold.
// A day page that comes back as anything but the day (a login page after the session ended,
// a refusal) drops every copy; logging out also sends Clear-Site-Data and the login page
// then wipes what is left (coopcare/forget.js).
const DAYS = "coopcare-days";
// Named for the static files' content: a deployment that changes them is a new worker, whose
// "activate" drops the copies of the old files (and any other cache no longer used).
const STATIC = "coopcare-static-{{ static_version|escapejs }}";
const KEEP_HOURS = 72;
// A copy fresher than this is not fetched again when the page asks to keep it.
const FRESH_MINUTES = 30;
const SAVED_AT = "X-Coopcare-Saved-At";
const DAY_HEADER = "X-Coopcare-Day";
const DAY_PATH = /^\/c\/[^/]+\/today\/$/;
const BANNER = "{{ banner|escapejs }}";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    dropOldCaches()
      .then(dropOld)
      .then(() => self.clients.claim()),
  );
});

async function dropOldCaches() {
  for (const name of await caches.keys()) {
    if (name !== DAYS && name !== STATIC) {
      await caches.delete(name);
    }
  }
}

const tooOld = (response) =>
  !response || !(Number(response.headers.get(SAVED_AT)) >= Date.now() - KEEP_HOURS * 3600000);

async function dropOld() {
  const cache = await caches.open(DAYS);
  for (const request of await cache.keys()) {
    if (tooOld(await cache.match(request))) {
      await cache.delete(request);
    }
  }
}

// Day pages are kept under the day they show (the page says which), so that "today/" offline
// is today's copy and never the one of the day it was last opened.
function dayKey(url, day) {
  const key = new URL(url);
  key.search = `?day=${day}`;
  key.hash = "";
  return key.href;
}

function deviceToday() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

async function keepDay(response) {
  const day = response.headers.get(DAY_HEADER);
  if (!day) {
    return;
  }
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT, String(Date.now()));
  const body = await response.clone().text();
  const cache = await caches.open(DAYS);
  await cache.put(dayKey(response.url, day), new Response(body, { status: 200, headers }));
}

async function offlineCopy(request) {
  const url = new URL(request.url);
  const cache = await caches.open(DAYS);
  const key = dayKey(url, url.searchParams.get("day") || deviceToday());
  const copy = await cache.match(key);
  if (tooOld(copy)) {
    await cache.delete(key);
    return Response.error();
  }
  const saved = new Date(Number(copy.headers.get(SAVED_AT)));
  const time = saved.toLocaleString([], {
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
  });
  const banner = BANNER.replace("%(time)s", time).replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const page = (await copy.text()).replace(
    '<main id="content">',
    `<main id="content"><p class="note" role="status" data-offline-copy>${banner}</p>`,
  );
  return new Response(page, { headers: copy.headers });
}

async function fetchDay(request) {
  const response = await fetch(request);
  const isDay = response.ok && !response.redirected && response.headers.has(DAY_HEADER);
  if (isDay) {
    await keepDay(response);
    await dropOld();
  } else if (response.redirected || response.status === 401 || response.status === 403) {
    await caches.delete(DAYS);
  }
  return response;
}

async function dayPage(request) {
  try {
    return await fetchDay(request);
  } catch (failed) {
    return offlineCopy(request);
  }
}

// Static files hold no care data; the day page needs them (its style, its offline queue).
async function staticFile(request) {
  const cache = await caches.open(STATIC);
  try {
    const response = await fetch(request);
    if (response.ok) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (failed) {
    return (await cache.match(request)) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && DAY_PATH.test(url.pathname)) {
    event.respondWith(dayPage(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(request));
  }
});

// The day page asks to keep the next days and its own static files; the answer says how many
// days are now kept, so the page knows it may go offline.
async function keepAll(days, files) {
  const cache = await caches.open(DAYS);
  for (const address of days) {
    const url = new URL(address, self.location.origin);
    if (url.origin !== self.location.origin || !DAY_PATH.test(url.pathname)) {
      continue;
    }
    const copy = await cache.match(dayKey(url, url.searchParams.get("day") || deviceToday()));
    if (copy && Number(copy.headers.get(SAVED_AT)) > Date.now() - FRESH_MINUTES * 60000) {
      continue;
    }
    await fetchDay(new Request(url.href, { credentials: "same-origin" }));
  }
  const statics = await caches.open(STATIC);
  for (const address of files) {
    const url = new URL(address, self.location.origin);
    if (url.origin === self.location.origin && url.pathname.startsWith("/static/")) {
      await statics.add(url.href);
    }
  }
  return (await cache.keys()).length;
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep") {
    return;
  }
  const reply = event.ports[0];
  event.waitUntil(
    keepAll(data.days || [], data.files || [])
      .then((kept) => reply && reply.postMessage({ kept }))
      .catch(() => reply && reply.postMessage({ kept: 0 })),
  );
});
