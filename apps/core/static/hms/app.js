// Behaviour every staff page shares; no inline script anywhere, so a strict CSP holds.
document.addEventListener("click", (event) => {
  // partials/print_button.html: any element with data-print prints the page
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
