// Calm mode (Ruhemodus): the banner appears and disappears as moderators or the guard
// switch it, without a reload. The server renders the banner in every language; this
// only puts the reader's version in place. Without JavaScript the page shows the state
// it was loaded in.
import { subscribe } from "./live.js";

const language = document.documentElement.lang?.slice(0, 2) || "de";

function show(slot, message) {
  const html = message.html?.[language] ?? message.html?.de ?? "";
  const template = document.createElement("template");
  template.innerHTML = message.active ? html : "";
  slot.replaceChildren(template.content);
  const notes = message.note?.[language] ?? message.note?.de ?? "";
  for (const note of document.querySelectorAll("[data-calm-note]")) {
    note.hidden = !message.active;
    if (message.active && notes) {
      const text = document.createElement("template");
      text.innerHTML = notes;
      note.replaceChildren(text.content);
    }
  }
}

for (const slot of document.querySelectorAll("[data-calm-banner-for]")) {
  if (slot.dataset.calmBannerStarted) continue;
  slot.dataset.calmBannerStarted = "true";
  subscribe(
    slot.dataset.calmBannerFor,
    {
      onMessage(message) {
        if (message.type === "guard.calm_mode") show(slot, message);
      },
    },
    slot.dataset.liveSince ? { since: Number(slot.dataset.liveSince) } : {},
  );
}
