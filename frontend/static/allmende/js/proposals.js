// Proposals: a character counter on the forms, support counts and the unread
// notification count as they change. Everything here is an enhancement; the pages and
// forms work without it.
import { subscribe } from "./live.js";

function fill(template, count) {
  return (template || "").replace("__count__", String(count));
}

function startCounters(root) {
  for (const textarea of root.querySelectorAll("[data-proposal-form] textarea[data-counter]")) {
    const output = textarea.closest(".field")?.querySelector("[data-counter-output]");
    if (!output) continue;
    const max = Number(textarea.getAttribute("maxlength")) || 5000;
    const update = () => {
      output.textContent = fill(output.dataset.labelRemaining, max - textarea.value.length);
    };
    textarea.addEventListener("input", update);
    update();
  }
}

function showSupports(container, message) {
  const text = fill(
    message.count === 1 ? container.dataset.labelSupportsOne : container.dataset.labelSupportsMany,
    message.count,
  );
  for (const element of document.querySelectorAll(`[data-support-count-for="${message.proposal}"]`)) {
    element.textContent = text;
  }
}

function showUnread(message) {
  const badge = document.querySelector("[data-unread-count]");
  const number = badge?.querySelector("[data-unread-number]");
  if (!badge || !number || typeof message.unread !== "number") return;
  number.textContent = String(message.unread);
  badge.hidden = message.unread === 0;
}

startCounters(document);
for (const container of document.querySelectorAll("[data-proposals-live]")) {
  subscribe(
    container.dataset.proposalsLive,
    {
      onMessage(message) {
        if (message.type === "proposal.supports") showSupports(container, message);
        else if (message.type === "notification") showUnread(message);
      },
    },
    container.dataset.liveSince ? { since: Number(container.dataset.liveSince) } : {},
  );
}
