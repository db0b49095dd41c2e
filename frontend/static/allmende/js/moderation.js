// Moderation pages. The queue refreshes itself when a queue event arrives for one of the
// moderator's mandates (the server decides which; the page only re-reads its own list).
// The notice and decision forms show only the ground fields that apply. Everything works
// without this script.
import { openLiveSocket } from "./live-socket.js";

function liveQueue(container) {
  const url = container.dataset.fragmentUrl;
  let pending = null;
  async function refresh() {
    pending = null;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!response.ok) return;
      // The answer to the moderator's last one-click act stays until the next one.
      const message = container.querySelector("[data-queue-message]");
      container.innerHTML = await response.text();
      if (message && !container.querySelector("[data-queue-message]")) container.prepend(message);
      // The fresh list's approve buttons post in place too (they work as plain forms).
      window.htmx?.process(container);
    } catch (error) {
      console.warn("moderation: could not refresh the queue", error);
    }
  }
  openLiveSocket(container.dataset.socket, {
    onMessage(message) {
      if (message.type !== "moderation.queue" || pending) return;
      // Several events in a burst (a flood of notices) refresh once.
      pending = window.setTimeout(refresh, 300);
    },
    onOpen() {
      refresh();
    },
  });
}

function groundFields(form) {
  const radios = form.querySelectorAll('input[name="kind"], input[name="ground_type"]');
  const clause = form.querySelector('[data-field="clause"]');
  const legal = form.querySelector('[data-field="legal_ground"]');
  if (!radios.length || !clause || !legal) return;
  function update() {
    const checked = form.querySelector('input[name="kind"]:checked, input[name="ground_type"]:checked');
    const value = checked ? checked.value : "";
    clause.hidden = value !== "rule";
    legal.hidden = value !== "legal";
  }
  radios.forEach((radio) => radio.addEventListener("change", update));
  update();
}

document.querySelectorAll("[data-moderation-queue]").forEach(liveQueue);
document.querySelectorAll("[data-ground-form]").forEach(groundFields);
