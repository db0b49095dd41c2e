// The header's menu button on narrow screens: navigation and search fold away behind it,
// so a phone shows the page, not a third of a screen of links. Without this script (or on
// wide screens) the menu is simply open.
const NARROW = "(max-width: 40rem)";

export function startMenu(root = document) {
  const button = root.querySelector(".menu-toggle");
  const menu = button && root.getElementById(button.getAttribute("aria-controls"));
  if (!button || !menu) return;
  const narrow = window.matchMedia(NARROW);

  const setOpen = (open) => {
    button.setAttribute("aria-expanded", String(open));
    menu.toggleAttribute("data-collapsed", !open);
  };
  const fit = () => {
    button.hidden = !narrow.matches;
    // Open where there is room; folded on a phone until asked for, unless focus is inside
    // (a person tabbing through it must not see it vanish).
    setOpen(!narrow.matches || menu.contains(document.activeElement));
  };

  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    setOpen(open);
    if (open) menu.querySelector("a, button, input")?.focus();
  });
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && narrow.matches) {
      setOpen(false);
      button.focus();
    }
  });
  narrow.addEventListener("change", fit);
  fit();
}
