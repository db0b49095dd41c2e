// Live discussion: new contributions, edits, removals, restorations and reaction counts
// appear as they happen. Everything here is an enhancement; the forms work without it.
import { subscribe } from "./live.js";

const ANNOUNCE_INTERVAL_MS = 4000;

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function label(section, name, count) {
  return (section.dataset[name] || "").replace("__count__", String(count));
}

// "Edit" is offered only while the author may still change the contribution: the shared
// HTML carries the end of the window, and the link goes when it ends.
function closeEditWindow(link) {
  const left = Date.parse(link.dataset.editUntil) - Date.now();
  if (Number.isNaN(left)) return;
  if (left <= 0) {
    link.remove();
    return;
  }
  window.setTimeout(() => link.remove(), Math.min(left, 2 ** 31 - 1));
}

export function prepare(root, section) {
  const viewer = section.dataset.viewer;
  const canComment = section.dataset.canComment === "true";
  for (const input of root.querySelectorAll("[data-csrf]")) input.value = csrfToken();
  for (const own of root.querySelectorAll("[data-author-only]")) {
    const item = own.closest("[data-comment-id]");
    own.hidden = !(viewer && item && item.dataset.author === viewer);
  }
  for (const link of root.querySelectorAll("[data-edit-until]")) closeEditWindow(link);
  for (const reply of root.querySelectorAll("[data-can-comment-only]")) reply.hidden = !canComment;
  if (viewer) {
    const items = [...root.querySelectorAll("[data-comment-id]")];
    if (root.matches?.("[data-comment-id]")) items.push(root);
    for (const item of items) {
      if (item.dataset.author === viewer) {
        for (const button of item.querySelector(".reactions")?.querySelectorAll("button") ?? []) {
          button.disabled = true;
        }
      }
    }
  }
  window.htmx?.process(root);
}

export function startCounters(root) {
  for (const textarea of root.querySelectorAll("textarea[data-counter]")) {
    if (textarea.dataset.counterReady) continue;
    textarea.dataset.counterReady = "1";
    const output = textarea.closest(".field")?.querySelector("[data-counter-output]");
    const section = textarea.closest("[data-live-consultation]");
    if (!output || !section) continue;
    const max = Number(textarea.getAttribute("maxlength")) || 5000;
    const update = () => {
      output.textContent = label(section, "labelRemaining", max - textarea.value.length);
    };
    textarea.addEventListener("input", update);
    update();
  }
}

export function startDiscussion(section) {
  const consultationId = section.dataset.liveConsultation;
  const viewer = section.dataset.viewer;
  const language = document.documentElement.lang || "de";
  const announcer = section.querySelector("[data-live-announcer]");
  const newBar = section.querySelector("[data-new-comments]");
  const status = section.querySelector("[data-live-status]");
  const waiting = [];
  let pendingAnnouncements = 0;
  let announceTimer = null;

  prepare(section, section);
  startCounters(section);

  function announce() {
    pendingAnnouncements += 1;
    if (announceTimer) return;
    announceTimer = window.setTimeout(() => {
      announcer.textContent = label(
        section,
        pendingAnnouncements === 1 ? "labelAnnounceOne" : "labelAnnounceMany",
        pendingAnnouncements,
      );
      pendingAnnouncements = 0;
      announceTimer = null;
    }, ANNOUNCE_INTERVAL_MS / 4);
  }

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = (html && (html[language] || html.de)) || "";
    return template.content.firstElementChild;
  }

  // Every thread on the page names its target ("consultation", "paragraph:<id>",
  // "proposal:<id>"); events name theirs, so each contribution goes to its own thread and
  // moves its own counter. Threads of other targets (not on this page) are left alone.
  const ownTarget = section.dataset.commentTarget || "";

  function byTarget(attribute, target) {
    return section.querySelectorAll(`[${attribute}="${CSS.escape(target)}"]`);
  }

  function listFor(target) {
    return byTarget("data-comment-list-for", target)[0] || null;
  }

  function list() {
    return listFor(ownTarget || "consultation");
  }

  function bump(target, delta) {
    for (const counter of byTarget("data-comment-count-for", target)) {
      counter.textContent = String(Math.max(0, (Number(counter.textContent) || 0) + delta));
    }
  }

  function readingFarDown() {
    const top = list()?.getBoundingClientRect().top ?? 0;
    return top < -200;
  }

  function insert(item, parentId, target = ownTarget || "consultation", { counted = false } = {}) {
    prepare(item, section);
    startCounters(item);
    if (parentId) {
      const replies = section.querySelector(`#replies-${parentId}`);
      if (!replies) return false;
      replies.append(item);
    } else {
      const into = listFor(target);
      if (!into) return false;
      // The consultation's thread shows the newest first; a paragraph's reads in order.
      if (target.startsWith("paragraph:")) into.append(item);
      else into.prepend(item);
      for (const empty of byTarget("data-comment-empty-for", target)) empty.remove();
    }
    if (!counted && item.classList.contains("comment--published")) bump(target, 1);
    return true;
  }

  function showWaiting() {
    newBar.textContent = label(section, waiting.length === 1 ? "labelNewOne" : "labelNewMany", waiting.length);
    newBar.hidden = waiting.length === 0;
    status.hidden = waiting.length === 0;
  }

  newBar?.addEventListener("click", () => {
    const first = waiting[0];
    while (waiting.length) insert(waiting.shift(), null, ownTarget || "consultation", { counted: true });
    showWaiting();
    first?.querySelector(".comment__card")?.setAttribute("tabindex", "-1");
    first?.querySelector(".comment__card")?.focus();
  });

  function onCreated(message) {
    if (document.getElementById(`comment-${message.comment}`)) return;
    if (message.consultation && String(message.consultation) !== consultationId) return;
    const target = message.target || "consultation";
    if (!message.parent && !listFor(target)) return; // another thread, not on this page
    const item = fragment(message.html);
    if (!item) return;
    if (!message.parent && target === ownTarget && readingFarDown()) {
      waiting.unshift(item);
      showWaiting();
      if (item.classList.contains("comment--published")) bump(target, 1);
    } else if (!insert(item, message.parent, target)) {
      return;
    }
    announce();
  }

  function onReplaced(message) {
    const current = document.getElementById(`comment-${message.comment}`);
    const item = fragment(message.html);
    if (!current || !item) return;
    const card = item.querySelector(".comment__card");
    prepare(item, section);
    const wasPublished = current.classList.contains("comment--published");
    current.querySelector(".comment__card")?.replaceWith(card);
    current.className = item.className;
    current.dataset.author = item.dataset.author || "";
    const isPublished = current.classList.contains("comment--published");
    if (wasPublished !== isPublished) bump(message.target || "consultation", isPublished ? 1 : -1);
  }

  // A moderator restored a hidden or removed contribution: its placeholder turns back
  // into the contribution. A reply whose placeholder this page did not show (it came in
  // a later page of the thread) joins its parent's replies.
  function onRestored(message) {
    if (!message.html) return;
    if (document.getElementById(`comment-${message.comment}`)) onReplaced(message);
    else if (message.parent) onCreated(message);
  }

  // Its author changed a contribution that now waits for the moderators again: readers
  // drop it, with its replies, as a fresh page would show it. The author's own tabs keep
  // it: the waiting version comes in their own room (comment.updated).
  function onHeld(message) {
    const index = waiting.findIndex((item) => item.id === `comment-${message.comment}`);
    if (index >= 0) {
      const [item] = waiting.splice(index, 1);
      if (item.classList.contains("comment--published")) bump(message.target || "consultation", -1);
      showWaiting();
    }
    const current = document.getElementById(`comment-${message.comment}`);
    if (!current || (viewer && current.dataset.author === viewer)) return;
    if (current.classList.contains("comment--published")) bump(message.target || "consultation", -1);
    current.remove();
  }

  function onReactions(message) {
    const box = document.getElementById(`reactions-${message.comment}`);
    if (!box) return;
    for (const kind of ["agree", "disagree", "helpful"]) {
      const count = box.querySelector(`[data-count="${kind}"]`);
      if (count) count.textContent = String(message[kind]);
    }
  }

  subscribe(
    consultationId,
    {
      onMessage(message) {
        switch (message.type) {
          case "comment.created":
            onCreated(message);
            break;
          case "comment.updated":
          case "comment.removed":
            onReplaced(message);
            break;
          case "comment.restored":
            onRestored(message);
            break;
          case "comment.held":
            onHeld(message);
            break;
          case "comment.reactions":
            onReactions(message);
            break;
          case "resync":
            // Too much was missed to replay. A paged thread is fetched again; the draft
            // text keeps what it shows (a reload would lose what someone is writing).
            if (section.querySelector("#comment-thread")) {
              const query =
                ownTarget && ownTarget !== "consultation" ? `?target=${encodeURIComponent(ownTarget)}` : "";
              window.htmx?.ajax("GET", `/beteiligungen/${consultationId}/beitraege/${query}`, {
                target: "#comment-thread",
                swap: "outerHTML",
              });
            }
            break;
          default:
            break;
        }
      },
    },
    { since: Number(section.dataset.liveSince || 0) },
  );

  // A new form comes back from the server after sending; keep counters and tokens working.
  section.addEventListener("htmx:afterSettle", (event) => {
    // The author's own new contribution comes back with the fresh form; the live event
    // may have brought it already.
    for (const template of section.querySelectorAll("template[data-created-comment]")) {
      const id = template.dataset.createdComment;
      const item = template.content.firstElementChild;
      template.remove();
      if (item && !document.getElementById(`comment-${id}`)) {
        insert(item, template.dataset.parent, template.dataset.target || "consultation");
      }
      document.getElementById(`comment-${id}`)?.scrollIntoView({ block: "nearest" });
    }
    prepare(event.target, section);
    startCounters(event.target);
  });
  section.addEventListener("htmx:sendError", (event) => {
    const out = event.target.querySelector?.("[data-form-status]");
    if (out) {
      out.textContent = section.dataset.labelSendError || "";
      out.classList.add("form-status--error");
    }
  });
  section.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}
