// One live connection per consultation and page, shared by everything that listens.
// It remembers the last event id and asks for what it missed when it reconnects.
import { openLiveSocket } from "./live-socket.js";

const connections = new Map();

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
