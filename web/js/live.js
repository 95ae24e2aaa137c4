// A small graphql-transport-ws client for the console's live updates.
// - One WebSocket per page carries every subscription (each has its own id), opened with the first and closed
//   shortly after the last one stops.
// - A lost connection is retried with exponential backoff and full jitter (a random wait between 0 and
//   min(cap, base * 2^attempt)): after a server restart every open page comes back at a different moment instead
//   of all at once.
// - Refusals of the sign-in are final: close codes 4401 (unauthorized) and 4403 (forbidden: the server rejected
//   connection_init, e.g. an expired token), or a token already expired here, end the session and send the person
//   to sign in. No retry loop.

import { lang } from "./i18n.js";
import { session, signOut } from "./session.js";

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30000;
const FINAL_CODES = new Set([4401, 4403]);
const IDLE_CLOSE_MS = 1000;

/** The wait before reconnect attempt `attempt` (0, 1, 2, …): full jitter over an exponential ceiling. */
export function backoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.floor(random() * ceiling);
}

const subs = new Map(); // id -> { query, variables, onNext, onState }
let socket = null;
let socketToken = null;
let socketLang = null;
let acked = false;
let attempt = 0;
let retryTimer = null;
let idleTimer = null;
let nextId = 1;
let ended = false;

function broadcast(state) {
  for (const sub of subs.values()) sub.onState?.(state);
}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function sendSubscribe(id, sub) {
  send({ id, type: "subscribe", payload: { query: sub.query, variables: sub.variables } });
}

function expired(s) {
  return typeof s.exp === "number" && s.exp * 1000 <= Date.now();
}

/** The session is over (refused or expired): stop everything and send the person to sign in. */
function endSession() {
  ended = true;
  clearTimeout(retryTimer);
  broadcast("signed-out");
  subs.clear();
  closeSocket(1000, "signed out");
  signOut();
  sessionStorage.setItem("prakerja.signin.reason", "expired");
  if (location.hash === "#/signin") window.dispatchEvent(new HashChangeEvent("hashchange")); // render it again
  else location.hash = "#/signin";
}

function closeSocket(code, reason) {
  const old = socket;
  socket = null;
  acked = false;
  if (old) {
    old.onclose = null;
    old.onmessage = null;
    old.onopen = null;
    if (old.readyState <= WebSocket.OPEN) old.close(code, reason);
  }
}

function scheduleReconnect() {
  clearTimeout(retryTimer);
  if (!subs.size || ended) return;
  const delay = backoffDelay(attempt);
  attempt += 1;
  retryTimer = setTimeout(connect, delay);
}

function connect() {
  clearTimeout(retryTimer);
  if (!subs.size || socket) return;
  const s = session();
  if (!s || expired(s)) {
    endSession();
    return;
  }
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${scheme}://${location.host}/graphql/${s.endpoint}`, "graphql-transport-ws");
  socket = ws;
  socketToken = s.token;
  socketLang = lang();
  acked = false;
  ws.onopen = () => {
    ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${s.token}`, lang: lang() } }));
  };
  ws.onmessage = (event) => {
    let msg;
    try {
      msg = JSON.parse(event.data);
    } catch {
      return;
    }
    if (msg.type === "connection_ack") {
      acked = true;
      attempt = 0;
      broadcast("live");
      for (const [id, sub] of subs) sendSubscribe(id, sub);
    } else if (msg.type === "ping") {
      send({ type: "pong" });
    } else if (msg.type === "next" && msg.payload?.data) {
      subs.get(msg.id)?.onNext(Object.values(msg.payload.data)[0]);
    } else if (msg.type === "error") {
      subs.get(msg.id)?.onState?.("error");
    }
  };
  ws.onclose = (event) => {
    if (socket !== ws) return;
    socket = null;
    acked = false;
    if (FINAL_CODES.has(event.code)) {
      endSession();
      return;
    }
    broadcast("offline");
    scheduleReconnect();
  };
}

/**
 * Subscribe on the page's shared connection. Returns stop(), which completes this subscription only.
 * onNext receives the subscription field's value; onState gets "live", "offline", "error" or "signed-out".
 */
export function subscribe(query, variables, onNext, { onState } = {}) {
  const id = String(nextId++);
  const sub = { query, variables, onNext, onState };
  ended = false;
  clearTimeout(idleTimer);
  const s = session();
  if (socket && s && s.token !== socketToken) closeSocket(1000, "new session"); // signed in as someone else
  else if (socket && socketLang !== lang()) closeSocket(1000, "language changed"); // texts come in the new one
  subs.set(id, sub);
  if (!socket) {
    attempt = 0;
    connect();
  } else if (acked) {
    onState?.("live");
    sendSubscribe(id, sub);
  }
  return function stop() {
    if (!subs.delete(id)) return;
    if (acked) send({ id, type: "complete" });
    if (!subs.size) {
      clearTimeout(retryTimer);
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => { if (!subs.size) closeSocket(1000, "no subscriptions"); }, IDLE_CLOSE_MS);
    }
  };
}
