// A WebSocket that reconnects with exponential backoff and jitter. `path` may be a
// function, so that every reconnect can ask for what it missed.

// 4429: too many sockets from this address. The server accepts such a socket and closes
// it at once (so that the code arrives), which would otherwise count as a success and
// restart the backoff: wait 15-30 s instead, doubling up to 5-10 minutes, until a socket
// is let in and later closes for another reason.
const TOO_MANY_SOCKETS = 4429;
const LIMITED_MIN_DELAY = 30000;
const LIMITED_MAX_DELAY = 600000;

export function openLiveSocket(path, { onMessage, onOpen, onClose } = {}) {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  let attempt = 0;
  let limited = 0;
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
      let delay;
      if (event.code === TOO_MANY_SOCKETS) {
        delay = Math.min(LIMITED_MAX_DELAY, LIMITED_MIN_DELAY * 2 ** limited);
        limited += 1;
      } else {
        limited = 0;
        delay = Math.min(30000, 500 * 2 ** attempt);
        attempt += 1;
      }
      window.setTimeout(connect, delay * (0.5 + Math.random() / 2));
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
