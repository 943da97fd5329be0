// A tap on the body map's drawing places a new mark: it takes the point in the drawing's own
// coordinates (whatever the screen's size), refuses one off the outline, sets the form's
// hidden x and y, its side and the nearest region of that side, and opens the form. Without
// JavaScript the form places the mark at its region.
document.addEventListener("click", (event) => {
  const svg = event.target.closest("svg.bodymap.tappable");
  if (!svg || event.target.closest("a")) {
    return;
  }
  const form = document.querySelector("#new-mark form");
  const outline = svg.querySelector(".outline");
  const inDrawing = new DOMPoint(event.clientX, event.clientY).matrixTransform(
    svg.getScreenCTM().inverse(),
  );
  if (!form || !outline.isPointInFill(inDrawing)) {
    return;
  }
  const x = Math.round(inDrawing.x);
  const y = Math.round(inDrawing.y);
  const side = svg.dataset.side;
  form.querySelector("[name=x]").value = x;
  form.querySelector("[name=y]").value = y;
  form.querySelector(`[name=side][value=${side}]`).checked = true;
  let nearest = null;
  let best = Infinity;
  for (const option of form.querySelectorAll("[name=region] option")) {
    const at = option.dataset[side];
    if (!at) {
      continue;
    }
    const [ox, oy] = at.split(",").map(Number);
    const distance = (ox - x) ** 2 + (oy - y) ** 2;
    if (distance < best) {
      best = distance;
      nearest = option;
    }
  }
  if (nearest) {
    nearest.selected = true;
  }
  for (const pending of document.querySelectorAll("svg.bodymap .pending")) {
    const here = pending.ownerSVGElement === svg;
    pending.setAttribute("cx", here ? x : -20);
    pending.setAttribute("cy", here ? y : -20);
  }
  const details = document.getElementById("new-mark");
  details.open = true;
  form.querySelector("[name=kind]").focus({ preventScroll: true });
  details.scrollIntoView({ behavior: "smooth", block: "start" });
});
