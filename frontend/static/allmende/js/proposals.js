// Proposals: a character counter on the forms; support counts, official feedback, an
// author's changes and withdrawals, and the unread notification count as they change. Everything here is an enhancement; the pages and
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

const language = document.documentElement.lang || "de";

function inLanguage(values) {
  return (values && (values[language] || values.de)) || "";
}

function fragment(html) {
  // Rendered by the server from the templates the page uses (sanitised text inside).
  const template = document.createElement("template");
  template.innerHTML = inLanguage(html);
  return template.content.firstElementChild;
}

function showStatus(message) {
  const label = inLanguage(message.status_labels) || message.status_label;
  for (const badge of document.querySelectorAll(`[data-proposal-status-for="${message.proposal}"]`)) {
    badge.textContent = label;
    badge.className = `badge badge--status badge--${message.status}`;
  }
}

function onDetailPage(container, proposalId) {
  return Boolean(container.querySelector(`[data-proposal-content-for="${proposalId}"]`));
}

function dropOwnActions(container, proposalId, selector = "[data-proposal-own-actions]") {
  // The author's edit and withdraw buttons go once the rules no longer allow them.
  if (!onDetailPage(container, proposalId)) return;
  for (const element of container.querySelectorAll(selector)) element.remove();
  const actions = container.querySelector("[data-proposal-own-actions]");
  if (actions && !actions.querySelector("a")) actions.remove();
}

function showFeedback(container, message) {
  showStatus(message);
  const list = container.querySelector(`[data-feedback-list-for="${message.proposal}"]`);
  if (!list || !message.html) return;
  dropOwnActions(container, message.proposal);
  if (document.getElementById(`feedback-${message.feedback}`)) return; // replayed on catch-up
  const item = fragment(message.html);
  if (!item) return;
  list.append(item);
  list.hidden = false;
  container.querySelector("[data-feedback-none]")?.remove();
}

function showEdit(message) {
  if (typeof message.title === "string") {
    for (const title of document.querySelectorAll(`[data-proposal-title-for="${message.proposal}"]`)) {
      title.textContent = message.title;
    }
  }
  const content = document.querySelector(`[data-proposal-content-for="${message.proposal}"]`);
  const fresh = message.content ? fragment(message.content) : null;
  if (content && fresh) content.replaceWith(fresh);
}

function dropCard(container, proposalId, { counted = false } = {}) {
  // Lists leave out what is withdrawn or hidden; the count follows. A withdrawn proposal
  // was always counted (only a public one sends the event), shown in the top list or not.
  const card = container.querySelector(`li.proposal-card#proposal-${proposalId}`);
  card?.remove();
  if (!card && !counted) return;
  const count = container.querySelector("[data-proposal-count]");
  if (count) count.textContent = String(Math.max(0, Number(count.textContent) - 1));
}

function showWithdrawn(container, message) {
  showStatus(message);
  dropCard(container, message.proposal, { counted: true });
  if (!onDetailPage(container, message.proposal)) return;
  dropOwnActions(container, message.proposal);
  const text = container.dataset.labelWithdrawn;
  const header = container.querySelector(".proposal__header");
  if (header && text && !header.querySelector("[data-proposal-withdrawn-notice]")) {
    const notice = document.createElement("p");
    notice.className = "notice";
    notice.dataset.proposalWithdrawnNotice = "";
    notice.textContent = text;
    header.append(notice);
  }
  const support = container.querySelector("#support");
  if (support && text && !support.querySelector("[data-withdrawn-note]")) {
    for (const child of [...support.children]) {
      if (!child.classList.contains("support__count")) child.remove();
    }
    const note = document.createElement("p");
    note.className = "muted";
    note.dataset.withdrawnNote = "";
    note.textContent = text;
    support.append(note);
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
        if (message.type === "proposal.supports") {
          showSupports(container, message);
          if (message.count > 0) dropOwnActions(container, message.proposal, "[data-proposal-edit-link]");
        } else if (message.type === "proposal.answered") showFeedback(container, message);
        else if (message.type === "proposal.updated") showEdit(message);
        else if (message.type === "proposal.withdrawn") showWithdrawn(container, message);
        else if (message.type === "proposal.moderated" && !message.visible) dropCard(container, message.proposal);
        else if (message.type === "proposal.created") showNew(container, message);
        else if (message.type === "notification") showUnread(message);
      },
    },
    container.dataset.liveSince ? { since: Number(container.dataset.liveSince) } : {},
  );
}
