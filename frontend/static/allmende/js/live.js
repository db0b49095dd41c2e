// One live connection per consultation and page, shared by everything that listens.
// It remembers the last event id and asks for what it missed when it reconnects.
import { openLiveSocket } from "./live-socket.js";

const connections = new Map();

// Whether someone is writing on this page: a reload would lose it.
function writing() {
  const fields = document.querySelectorAll("form textarea, form input[type=text], form input:not([type])");
  return [...fields].some((field) => field.value.trim() !== "");
}

export function subscribe(consultationId, handler, { since } = {}) {
  let connection = connections.get(consultationId);
  if (!connection) {
    connection = { handlers: new Set(), lastId: since ?? null, seen: new Set(), socket: null };
    connections.set(consultationId, connection);
    const path = () =>
      `/ws/consultations/${consultationId}/` +
      (connection.lastId !== null ? `?since=${connection.lastId}` : "");
    connection.socket = openLiveSocket(path, {
      onMessage(message) {
        if (typeof message.id === "number") {
          // Catch-up and live delivery can overlap by design: each event counts once.
          if (connection.seen.has(message.id)) return;
          connection.seen.add(message.id);
          if (connection.seen.size > 5000) connection.seen = new Set([...connection.seen].slice(-2000));
          if (connection.lastId === null || message.id > connection.lastId) connection.lastId = message.id;
        } else if (message.type === "resync") {
          // What was missed cannot be replayed: too much, or no longer kept (the server
          // keeps a limited history, and never one that shows removed content). The page
          // is loaded again; while someone writes, each part that can fetches itself again
          // instead (the discussion its thread) and the draft stays. Either way the next
          // reconnect asks from where the server stands now, not from the old id again.
          if (typeof message.since === "number") connection.lastId = message.since;
          if (!writing()) {
            window.location.reload();
            return;
          }
        }
        for (const h of connection.handlers) h.onMessage?.(message);
      },
      onOpen() {
        for (const h of connection.handlers) h.onOpen?.();
      },
      onClose(event) {
        for (const h of connection.handlers) h.onClose?.(event);
      },
    });
  } else if (since !== undefined && connection.lastId === null) {
    connection.lastId = since;
  }
  connection.handlers.add(handler);
  return connection;
}
