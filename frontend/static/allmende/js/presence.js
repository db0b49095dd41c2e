// Shows how many people are reading a consultation. Not a live region: a count that
// changes every few seconds must not interrupt screen-reader users.
import { subscribe } from "./live.js";

export function startPresence(element) {
  const text = element.querySelector(".presence__text");
  const labelOne = element.dataset.labelOne;
  const labelMany = element.dataset.labelMany;

  function show(count) {
    text.textContent = count === 1 ? labelOne : labelMany.replace("__count__", String(count));
    element.dataset.count = String(count);
    element.hidden = false;
  }

  subscribe(element.dataset.presenceFor, {
    onMessage(message) {
      if (message.type === "presence") show(message.count);
    },
    onClose() {
      element.hidden = true;
    },
  });
}
