// A signature drawn with a finger, a pen or the mouse on the signing page's canvas. Pointer
// events cover touch and mouse alike. Each finished stroke puts the drawing, as a PNG data
// URL, into the form's hidden "drawing" field; without script the pad stays hidden and the
// typed name with its confirmation box is the signature.
document.querySelectorAll("form[data-signature-form]").forEach((form) => {
  const pad = form.querySelector("[data-signature-pad]");
  const canvas = pad.querySelector("canvas");
  const field = form.querySelector("input[name=drawing]");
  const context = canvas.getContext("2d");
  let drawing = false;
  pad.hidden = false;
  // The page scrolls on touch everywhere but here, where a finger draws.
  canvas.style.touchAction = "none";
  canvas.style.maxWidth = "100%";
  canvas.style.border = "1px solid currentColor";
  canvas.style.background = "#fff";
  context.lineWidth = 2.5;
  context.lineCap = "round";
  context.lineJoin = "round";
  context.strokeStyle = "#000";

  const point = (event) => {
    const box = canvas.getBoundingClientRect();
    return [
      ((event.clientX - box.left) * canvas.width) / box.width,
      ((event.clientY - box.top) * canvas.height) / box.height,
    ];
  };
  canvas.addEventListener("pointerdown", (event) => {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    context.beginPath();
    context.moveTo(...point(event));
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    context.lineTo(...point(event));
    context.stroke();
  });
  const finish = () => {
    if (!drawing) return;
    drawing = false;
    field.value = canvas.toDataURL("image/png");
  };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  pad.querySelector("[data-signature-clear]").addEventListener("click", () => {
    context.clearRect(0, 0, canvas.width, canvas.height);
    field.value = "";
  });
});
