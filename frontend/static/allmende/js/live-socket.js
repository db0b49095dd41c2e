// A WebSocket that reconnects with exponential backoff and jitter. `path` may be a
// function, so that every reconnect can ask for what it missed.
export function openLiveSocket(path, { onMessage, onOpen, onClose } = {}) {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  let attempt = 0;
  let socket = null;
  let stopped = false;

  function connect() {
    const target = typeof path === "function" ? path() : path;
    socket = new WebSocket(`${scheme}//${window.location.host}${target}`);
    socket.addEventListener("open", () => {
      attempt = 0;
      onOpen?.();
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        console.warn("live: unreadable message", error);
        return;
      }
      onMessage?.(message);
    });
    socket.addEventListener("close", (event) => {
      onClose?.(event);
      // 4403/4404: the server refused; retrying would not change that.
      if (stopped || event.code === 4403 || event.code === 4404) return;
      const delay = Math.min(30000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt += 1;
      window.setTimeout(connect, delay);
    });
  }

  connect();
  return {
    close() {
      stopped = true;
      socket?.close();
    },
  };
}
