// A "Print" button without inline script (a Content-Security-Policy may forbid it).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
