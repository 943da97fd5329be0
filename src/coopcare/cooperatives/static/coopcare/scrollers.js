// A table wider than its box scrolls sideways inside it (.table-wrap). Such a box joins the tab
// order so that someone using only the keyboard can scroll it too (WCAG 2.1.1); a box that fits
// stays out of it, so as not to add a useless stop.
function focusableScrollers() {
  for (const box of document.querySelectorAll(".table-wrap")) {
    if (box.scrollWidth > box.clientWidth) box.tabIndex = 0;
    else box.removeAttribute("tabindex");
  }
}
document.addEventListener("DOMContentLoaded", focusableScrollers);
window.addEventListener("resize", focusableScrollers);
document.addEventListener("htmx:afterSettle", focusableScrollers);
