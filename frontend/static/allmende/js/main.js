// Entry point: progressive enhancements only. Every page works without this file.
import { startPresence } from "./presence.js";

for (const element of document.querySelectorAll("[data-presence-url]")) {
  startPresence(element);
}
