// Shows how many people are reading a consultation. Not a live region: a count that
// changes every few seconds must not interrupt screen-reader users.
import { openLiveSocket } from "./live-socket.js";

export function startPresence(element) {
  const text = element.querySelector(".presence__text");
  const labelOne = element.dataset.labelOne;
  const labelMany = element.dataset.labelMany;

  function show(count) {
    text.textContent = count === 1 ? labelOne : labelMany.replace("__count__", String(count));
    element.dataset.count = String(count);
    element.hidden = false;
  }

  openLiveSocket(element.dataset.presenceUrl, {
    onMessage(message) {
      if (message.type === "presence") show(message.count);
    },
    onClose() {
      element.hidden = true;
    },
  });
}
