// The draft text: switching between contributions under each paragraph and beside the
// text without a page load. The links work without this file (a query parameter).
function switchView(root, view) {
  root.classList.toggle("text-review--inline", view === "inline");
  root.classList.toggle("text-review--aside", view === "aside");
  for (const link of root.querySelectorAll("[data-view-switch]")) {
    if (link.dataset.viewSwitch === view) link.setAttribute("aria-current", "true");
    else link.removeAttribute("aria-current");
  }
  // Beside the text every thread is open; under the paragraphs they open on demand.
  for (const details of root.querySelectorAll(".draft-paragraph__comments")) {
    details.open = view === "aside" || details.contains(document.activeElement);
  }
  // Beside the text the forms wait behind "Write a contribution", so the column stays short.
  for (const details of root.querySelectorAll(".draft-paragraph__write")) {
    details.open = view === "inline" || details.contains(document.activeElement);
  }
  const url = new URL(window.location.href);
  url.searchParams.set("view", view);
  url.searchParams.delete("open");
  window.history.replaceState(null, "", url);
}

export function startDraftText(root) {
  root.addEventListener("click", (event) => {
    const link = event.target.closest?.("[data-view-switch]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    switchView(root, link.dataset.viewSwitch);
  });
  // A link to a paragraph's contribution opens its thread.
  const opened = window.location.hash && document.getElementById(window.location.hash.slice(1));
  const details = opened?.closest?.(".draft-paragraph__comments");
  if (details && !details.open) {
    details.open = true;
    opened.scrollIntoView();
  }
}

for (const root of document.querySelectorAll(".text-review")) startDraftText(root);
