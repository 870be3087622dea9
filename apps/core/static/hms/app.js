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

// Live lists poll (hx-trigger="every 10s") only while someone can see them: an element
// marked data-poll-while-visible skips its request when the tab is hidden. The filter
// lives here because htmx's own "[document.visibilityState === 'visible']" needs eval,
// which the Content-Security-Policy forbids (htmx:evalDisallowedError, and no filter).
document.addEventListener("htmx:beforeRequest", (event) => {
  const element = event.detail.elt;
  if (document.visibilityState !== "visible" && element.hasAttribute("data-poll-while-visible")) {
    event.preventDefault();
  }
});

// One way to ask before an irreversible action: data-confirm="question" on a <form>
// (asked when it is submitted) or on a button or link (asked when it is clicked), for
// plain and htmx forms alike. Listened for in the capture phase, before htmx sees the
// event, so "Cancel" stops both the browser and htmx. window.confirm needs no eval.
function refuse(event) {
  event.preventDefault();
  event.stopImmediatePropagation();
}

document.addEventListener("click", (event) => {
  const asking = event.target.closest("[data-confirm]");
  if (asking && asking.tagName !== "FORM" && !window.confirm(asking.dataset.confirm)) {
    refuse(event);
  }
}, true);

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.hasAttribute("data-confirm") && !window.confirm(form.dataset.confirm)) {
    refuse(event);
  }
}, true);
