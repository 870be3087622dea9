// Behaviour every staff page shares; no inline script anywhere, so a strict CSP holds.
document.addEventListener("click", (event) => {
  // partials/print_button.html: any element with data-print prints the page
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// The staff menu (base.html): on a wide screen each group is a dropdown — opening one
// closes the others, and a click elsewhere or Escape closes it. Behind the Menu button
// on a phone every group is shown open, a list with headings. (Without script the
// groups still open and close: they are <details>.)
const wideScreen = window.matchMedia("(min-width: 60rem)");
const menuGroups = () => document.querySelectorAll("details[data-menu-group]");

function fitMenuToScreen() {
  for (const group of menuGroups()) {
    group.open = !wideScreen.matches;
  }
}
fitMenuToScreen(); // this script is deferred: the page is parsed
wideScreen.addEventListener("change", fitMenuToScreen);

// "toggle" does not bubble: listened for in the capture phase
document.addEventListener("toggle", (event) => {
  const opened = event.target;
  if (!wideScreen.matches || !opened.matches("details[data-menu-group]") || !opened.open) {
    return;
  }
  for (const group of menuGroups()) {
    if (group !== opened) {
      group.open = false;
    }
  }
}, true);

document.addEventListener("click", (event) => {
  if (!wideScreen.matches) {
    return;
  }
  for (const group of menuGroups()) {
    if (group.open && !group.contains(event.target)) {
      group.open = false;
    }
  }
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !wideScreen.matches) {
    return;
  }
  for (const group of menuGroups()) {
    if (group.open) {
      group.open = false;
      group.querySelector("summary").focus();
    }
  }
});
