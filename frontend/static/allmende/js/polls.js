// Live poll results: a poll whose results are public shows each (coalesced) update in
// place. Updates are not announced to screen readers one by one; the figures are in the
// table under the chart whenever someone looks.
import { subscribe } from "./live.js";

function showResults(message) {
  const target = document.querySelector(`[data-poll-results="${message.poll}"]`);
  if (!target || !message.html) return;
  const lang = document.documentElement.lang || "de";
  const html = message.html[lang] ?? message.html.de;
  if (typeof html !== "string") return;
  const template = document.createElement("template");
  template.innerHTML = html;
  // An update is the same for everyone; the reader's own answer, which the page was
  // rendered with, moves from the old rows into the slots of the new ones.
  const marks = new Map();
  for (const slot of target.querySelectorAll("[data-own-slot]")) {
    if (slot.childNodes.length) marks.set(slot.dataset.ownSlot, [...slot.childNodes]);
  }
  for (const slot of template.content.querySelectorAll("[data-own-slot]")) {
    const mark = marks.get(slot.dataset.ownSlot);
    if (mark) slot.replaceChildren(...mark);
  }
  target.replaceChildren(template.content);
}

export function startPolls(root = document) {
  const section = root.querySelector("[data-polls-live]");
  if (!section) return;
  subscribe(
    section.dataset.pollsLive,
    {
      onMessage(message) {
        if (message.type === "poll.results") showResults(message);
      },
    },
    section.dataset.liveSince ? { since: Number(section.dataset.liveSince) } : {},
  );
}
