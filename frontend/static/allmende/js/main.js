// Entry point: progressive enhancements only. Every page works without this file.
import htmx from "../../vendor/htmx/htmx.esm.js";
import { startDiscussion } from "./discussion.js";
import { startMenu } from "./menu.js";
import { startPolls } from "./polls.js";
import { startPresence } from "./presence.js";

window.htmx = htmx;
// Swap the answers that carry a form with a message (invalid, refused, too fast) too,
// so the writer sees why and keeps the draft.
htmx.config.responseHandling = [
  { code: "204", swap: false },
  { code: "[23]..", swap: true },
  { code: "(403|409|422|429)", swap: true, error: false },
  { code: "[45]..", swap: false, error: true },
];

startMenu(document);
for (const element of document.querySelectorAll("[data-presence-for]")) {
  startPresence(element);
}
for (const section of document.querySelectorAll("[data-live-consultation]")) {
  startDiscussion(section);
}
startPolls(document);
