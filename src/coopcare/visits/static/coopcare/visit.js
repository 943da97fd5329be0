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

// The carer's day without signal. The site's service worker (/sw.js, one for the site) keeps
// copies of today's and the next days' pages; this script asks it to, once it runs.
// A check-in, a check-out (with its steps and notes) or an incident made offline is kept in
// this phone's IndexedDB with its client id (made when the page was drawn, so a resend is never
// a second record) and the device's time, and sent through the visits API when the signal
// returns: at the "online" event and at each page load. The page lists what is waiting and
// what the server refused, with its reason.
(() => {
  const box = document.getElementById("offline-queue");
  if (!box) {
    return;
  }
  const texts = JSON.parse(document.getElementById("offline-texts").textContent);
  const keepDays = JSON.parse(document.getElementById("keep-offline").textContent);
  const DB = "coopcare-offline";
  const STORE = "queue";
  // A refused item is shown this long, then forgotten like the day's copies (sw.js); what
  // waits is kept until it is sent or the carer logs out: it is their work, not a copy.
  const KEEP_HOURS = 72;

  const open = () =>
    new Promise((resolve, reject) => {
      const asked = indexedDB.open(DB, 1);
      asked.onupgradeneeded = () =>
        asked.result.createObjectStore(STORE, { keyPath: "client_id" });
      asked.onsuccess = () => resolve(asked.result);
      asked.onerror = () => reject(asked.error);
    });

  const inStore = (mode, work) =>
    open().then(
      (db) =>
        new Promise((resolve, reject) => {
          const tx = db.transaction(STORE, mode);
          const result = work(tx.objectStore(STORE));
          tx.oncomplete = () => {
            db.close();
            resolve(result && "result" in result ? result.result : undefined);
          };
          tx.onerror = () => reject(tx.error);
        }),
    );

  const all = () => inStore("readonly", (store) => store.getAll());
  const put = (item) => inStore("readwrite", (store) => store.put(item));
  const drop = (id) => inStore("readwrite", (store) => store.delete(id));

  const fill = (text, values) =>
    Object.entries(values).reduce((t, [k, v]) => t.replace(`%(${k})s`, v), text);

  const clock = (ms) =>
    new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

  const line = (item) => {
    const li = document.createElement("li");
    const label = document.createElement("strong");
    label.textContent = item.label;
    li.append(label, " ");
    const note = document.createElement("span");
    note.className = "muted";
    note.textContent = item.detail || fill(texts.saved, { time: clock(item.saved) });
    li.append(note);
    if (item.detail) {
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "secondary";
      remove.textContent = texts.dismiss;
      remove.addEventListener("click", () => drop(item.client_id).then(show));
      li.append(" ", remove);
    }
    return li;
  };

  const show = () =>
    all().then((items) => {
      const old = Date.now() - KEEP_HOURS * 3600000;
      const stale = items.filter((i) => i.detail && i.saved < old);
      const kept = items.filter((i) => !stale.includes(i));
      const waiting = kept.filter((i) => !i.detail);
      const refused = kept.filter((i) => i.detail);
      for (const [list, title, shown, text] of [
        ["[data-waiting]", "[data-waiting-title]", waiting, texts.waiting],
        ["[data-refused]", "[data-refused-title]", refused, texts.refused],
      ]) {
        box.querySelector(list).replaceChildren(...shown.map(line));
        const heading = box.querySelector(title);
        heading.textContent = fill(text, { count: shown.length });
        heading.hidden = shown.length === 0;
      }
      // The forms already done offline stay hidden, so that nothing is done twice (an
      // incident's form is ready for another incident instead); a check-in waiting opens its
      // check-out.
      for (const item of waiting) {
        const input = document.querySelector(`[name$=client_id][value="${item.client_id}"]`);
        if (input) {
          renew(input.form);
        }
        const after = document.querySelector(`form[data-after="${item.client_id}"]`);
        if (after && !waiting.some((i) => i.client_id === field(after, "client_id"))) {
          after.hidden = false;
        }
      }
      box.hidden = kept.length === 0 && box.querySelector("[data-login-needed]").hidden;
      return Promise.all(stale.map((i) => drop(i.client_id)));
    });

  // A form queued again would be a second record of the same thing, so it is hidden; a form
  // that may be sent several times (an incident) is emptied with a new client id.
  const renew = (form) => {
    if (!form.matches("[data-offline-again]") || !window.crypto.randomUUID) {
      form.hidden = true;
      return;
    }
    form.reset();
    form.elements.client_id.value = window.crypto.randomUUID();
    const details = form.closest("details");
    if (details) {
      details.open = false;
    }
  };

  const field = (form, name) => {
    const input = [...form.elements].find(
      (e) => e.name && (e.name === name || e.name.endsWith(`-${name}`)),
    );
    if (!input) {
      return "";
    }
    return input.type === "checkbox" ? input.checked : input.value;
  };

  // The device's time with its UTC offset, as the API takes it.
  const deviceTime = (d) => {
    const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
    const offset = -d.getTimezoneOffset();
    const sign = offset >= 0 ? "+" : "-";
    return (
      `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
      `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
      // Milliseconds too: a check-out must come after its check-in, even a second later.
      `.${String(d.getMilliseconds()).padStart(3, "0")}` +
      `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
    );
  };

  const number = (text) => (text === "" ? null : Number(text));

  // An incident: when it happened, as typed on the phone's clock, sent with the phone's UTC
  // offset on that day.
  const incidentBody = (form) => ({
    client_id: field(form, "client_id"),
    occurred_at: deviceTime(new Date(field(form, "occurred_at"))),
    kind: field(form, "kind"),
    severity: field(form, "severity"),
    description: field(form, "description"),
    action_taken: field(form, "action_taken"),
  });

  const bodyOf = (form) => {
    if (form.matches("[data-offline-again]")) {
      return incidentBody(form);
    }
    const body = {
      client_id: field(form, "client_id"),
      at: deviceTime(new Date()),
      latitude: number(field(form, "latitude")),
      longitude: number(field(form, "longitude")),
    };
    if (!form.action.endsWith("/check-out/")) {
      return body;
    }
    return {
      ...body,
      steps: [...form.querySelectorAll("[data-step]")].map((step) => ({
        step: step.dataset.step,
        done: step.checked,
        reason: form.elements[step.dataset.reason].value,
      })),
      notes: field(form, "notes"),
      handover: field(form, "handover"),
      reason: field(form, "reason"),
      tapped: field(form, "tapped") === true,
      code: field(form, "code"),
    };
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || !form.matches("form[data-offline]")) {
      return;
    }
    // A check-out after a check-in still on the phone is queued behind it, signal or not.
    if (navigator.onLine && !form.matches("[data-offline-only]")) {
      return;
    }
    event.preventDefault();
    const body = bodyOf(form);
    const item = {
      client_id: body.client_id,
      url: form.dataset.offline,
      body,
      label: form.dataset.label,
      saved: Date.now(),
      detail: "",
    };
    put(item).then(show);
  });

  // An incident's time starts as the phone's time when its form is opened; the carer changes
  // it when the incident happened earlier.
  document.addEventListener(
    "toggle",
    (event) => {
      const input = event.target.open && event.target.querySelector("[name=occurred_at]");
      if (input && !input.value) {
        const now = new Date();
        now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
        input.value = now.toISOString().slice(0, 16);
      }
    },
    true,
  );

  const token = () => {
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    if (cookie) {
      return cookie.slice("csrftoken=".length);
    }
    const input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };

  const loginNeeded = () => {
    const alert = box.querySelector("[data-login-needed]");
    const link = document.createElement("a");
    link.href = box.dataset.login;
    link.textContent = texts.login_link;
    alert.replaceChildren(texts.login, " ", link);
    alert.hidden = false;
    box.hidden = false;
  };

  const SESSION_ENDED = ["not_authenticated", "second_factor_required", "csrf_failed"];
  let sending = false;

  // Sends what waits, oldest first. Stops at the first failure of the network or the server
  // (it is tried again later) and when the session has ended (kept until the carer logs in).
  const send = async () => {
    if (sending || !navigator.onLine) {
      return;
    }
    sending = true;
    let accepted = 0;
    try {
      const waiting = (await all()).filter((i) => !i.detail).sort((a, b) => a.saved - b.saved);
      for (const item of waiting) {
        let response;
        try {
          response = await fetch(item.url, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": token() },
            body: JSON.stringify(item.body),
          });
        } catch (offline) {
          break;
        }
        if (response.ok) {
          await drop(item.client_id);
          accepted += 1;
          continue;
        }
        const answer = await response.json().catch(() => ({}));
        if (response.status === 401 || SESSION_ENDED.includes(answer.code)) {
          loginNeeded();
          break;
        }
        if (response.status >= 500 || response.status === 429) {
          break;
        }
        await put({ ...item, detail: answer.detail || response.statusText });
      }
    } finally {
      sending = false;
    }
    await show();
    if (accepted > 0) {
      // The page is drawn again from the server, which now has what was sent.
      window.location.reload();
    }
  };

  const keep = (registration) => {
    const worker = registration.active || navigator.serviceWorker.controller;
    if (!worker || !navigator.onLine) {
      return;
    }
    const files = [...document.querySelectorAll("link[rel=stylesheet], script[src]")].map(
      (e) => e.href || e.src,
    );
    const channel = new MessageChannel();
    channel.port1.onmessage = (answer) => {
      document.documentElement.dataset.offlineKept = String(answer.data.kept);
    };
    worker.postMessage({ type: "keep", days: keepDays, files }, [channel.port2]);
  };

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker
      .register(box.dataset.worker, { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      .then(keep)
      .catch(() => {});
  }
  window.addEventListener("online", send);
  show().then(send);
})();
