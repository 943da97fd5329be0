// The search box above a long select of people (accounts/names.py: FindableSelect): typing
// part of a name hides the options that do not contain it, accents and case aside, and
// selects the first that does (in a select of one; in a select of several, what is chosen
// stays chosen). Each page may load this once per box; a box is set up once.
const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

document.querySelectorAll("input[data-choose]:not([data-chosen])").forEach((box) => {
  const select = document.getElementById(box.dataset.choose);
  if (!select) return;
  box.dataset.chosen = "";
  box.hidden = false;
  box.addEventListener("input", () => {
    const wanted = fold(box.value.trim());
    let first = null;
    for (const option of select.options) {
      const shown = !option.value || fold(option.text).includes(wanted);
      option.hidden = !shown;
      if (shown && option.value && first === null) first = option;
    }
    if (select.multiple) return;
    if (wanted && first !== null && (select.value === "" || select.selectedOptions[0].hidden)) {
      select.value = first.value;
    }
  });
});
