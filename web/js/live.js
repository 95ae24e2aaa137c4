// A tiny graphql-transport-ws client: connection_init with the token, one subscription per socket,
// ping/pong, and reconnection with backoff while the page wants it.

import { session } from "./session.js";

export function subscribe(query, variables, onNext, { onState } = {}) {
  let socket = null;
  let stopped = false;
  let delay = 500;
  let timer = null;

  function connect() {
    const s = session();
    if (!s || stopped) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/graphql/${s.endpoint}`, "graphql-transport-ws");
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${s.token}` } }));
    };
    socket.onmessage = (event) => {
      const msg = JSON.parse(event.data);
      if (msg.type === "connection_ack") {
        delay = 500;
        onState?.("live");
        socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query, variables } }));
      } else if (msg.type === "ping") {
        socket.send(JSON.stringify({ type: "pong" }));
      } else if (msg.type === "next" && msg.payload?.data) {
        onNext(Object.values(msg.payload.data)[0]);
      } else if (msg.type === "error") {
        onState?.("error");
      }
    };
    socket.onclose = () => {
      onState?.("offline");
      if (!stopped) {
        timer = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 15000);
      }
    };
  }

  connect();
  return function stop() {
    stopped = true;
    clearTimeout(timer);
    if (socket && socket.readyState <= 1) {
      if (socket.readyState === 1) socket.send(JSON.stringify({ id: "1", type: "complete" }));
      socket.close();
    }
  };
}
