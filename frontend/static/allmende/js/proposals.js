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

function showStatus(message) {
  for (const badge of document.querySelectorAll(`[data-proposal-status-for="${message.proposal}"]`)) {
    badge.textContent = message.status_label;
    badge.className = `badge badge--status badge--${message.status}`;
  }
}

function showNew(container, message) {
  // A new proposal is announced (politely, for screen readers too) and counted; the list
  // keeps its order until the reader reloads or follows the link.
  const count = container.querySelector("[data-proposal-count]");
  if (count) count.textContent = String(Number(count.textContent) + 1);
  const news = container.querySelector("[data-proposal-news]");
  if (!news || typeof message.url !== "string" || !message.url.startsWith("/")) return;
  const link = document.createElement("a");
  link.href = message.url;
  link.textContent = message.title;
  news.replaceChildren(`${container.dataset.labelNew} `, link);
  news.hidden = false;
}

startCounters(document);
for (const container of document.querySelectorAll("[data-proposals-live]")) {
  subscribe(
    container.dataset.proposalsLive,
    {
      onMessage(message) {
        if (message.type === "proposal.supports") showSupports(container, message);
        else if (message.type === "proposal.answered") showStatus(message);
        else if (message.type === "proposal.created") showNew(container, message);
        else if (message.type === "notification") showUnread(message);
      },
    },
    container.dataset.liveSince ? { since: Number(container.dataset.liveSince) } : {},
  );
}
