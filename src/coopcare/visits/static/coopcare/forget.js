// After logging out: wipe what the carer's phone kept of coopcare (the day pages' offline
// copies and the queue of actions waiting to be sent). The logout answer already asks the
// browser to (Clear-Site-Data); this covers the browsers that ignore that header.
(() => {
  if ("caches" in window) {
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n.startsWith("coopcare-")).map((n) => caches.delete(n))),
      )
      .catch(() => {});
  }
  if ("indexedDB" in window) {
    indexedDB.deleteDatabase("coopcare-offline");
  }
})();
