// The shared client for Roundtable's socket protocol (see README.md, "Socket protocol").
//
// - connects with {role, code, key} in the handshake and asks for a snapshot on every (re)connect;
// - applies "state" views in revision order, dropping older ones, and asks for a fresh snapshot
//   when it sees a gap (it may have missed a change that only a snapshot carries);
// - applies "tally" messages in seq order per poll, dropping any that arrive late;
// - request() sends an event with an acknowledgement; with {retry: true} it keeps the request
//   until the server has acknowledged it, resending after a reconnect (votes carry a client id,
//   so the server applies a resent vote once).

/* global io */

import { localiseView, t } from "./i18n.js";

export function newClientId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class LiveClient {
  constructor({ role, code, key = null, onSnapshot, onState, onTally, onPresence, onStatus, onRefused }) {
    this.role = role;
    this.code = code;
    this.key = key;
    this.revision = -1;
    this.seqs = new Map();
    this.handlers = { onSnapshot, onState, onTally, onPresence, onStatus, onRefused };
    this.pending = [];
    this.socket = null;
  }

  connect() {
    const auth = { role: this.role, code: this.code };
    if (this.key) auth.key = this.key;
    // WebSocket first: no long-polling round trips on a slow link; polling only if it fails.
    this.socket = io({ auth, reconnectionDelayMax: 5000, timeout: 10000, transports: ["websocket", "polling"], tryAllTransports: true });
    this.socket.on("connect", () => {
      this._status("online");
      this.snapshot();
      this._flushPending();
    });
    this.socket.on("disconnect", (reason) => {
      this._status("offline");
      // Disconnected by the server: a login that ended, or a projector link that was replaced.
      if (reason === "io server disconnect" && this.handlers.onRefused) {
        this.handlers.onRefused(this.role === "staff"
          ? { code: "login_required", message: t("Your login has ended.") }
          : { code: "bad_key", message: t("This projector link was replaced.") });
      }
    });
    this.socket.on("session_ended", () => {
      if (this.handlers.onRefused) this.handlers.onRefused({ code: "login_required", message: t("Your login has ended.") });
    });
    this.socket.on("event_moved", (data) => {
      // A new event code: the console's address changed (the server sends a same-site path).
      const url = data && data.console_url;
      if (typeof url === "string" && url.startsWith("/staff/") && url !== location.pathname) location.assign(url);
    });
    this.socket.on("connect_error", (err) => {
      const data = err && err.data;
      if (data && data.code) {
        this._status("refused");
        if (this.handlers.onRefused) this.handlers.onRefused(data);
      } else {
        this._status("offline");
      }
    });
    this.socket.on("state", (view) => this._applyState(view));
    this.socket.on("tally", (tally) => this._applyTally(tally));
    this.socket.on("presence", (data) => this.handlers.onPresence && this.handlers.onPresence(data));
    return this;
  }

  async snapshot() {
    const reply = await this.request("snapshot", {});
    if (!reply || !reply.ok) return reply;
    if (this.role !== "staff") localiseView(reply.view);
    this.revision = reply.view.revision;
    for (const tally of Object.values(reply.view.tallies || {})) this.seqs.set(tally.poll_id, tally.seq);
    if (reply.view.tally) this.seqs.set(reply.view.tally.poll_id, reply.view.tally.seq);
    if (this.handlers.onSnapshot) this.handlers.onSnapshot(reply);
    return reply;
  }

  _applyState(view) {
    if (view.revision <= this.revision) return;
    if (this.role !== "staff") localiseView(view);
    const gap = this.revision >= 0 && view.revision > this.revision + 1;
    this.revision = view.revision;
    for (const tally of Object.values(view.tallies || {})) this._noteTally(tally);
    if (view.tally) this._noteTally(view.tally);
    if (this.handlers.onState) this.handlers.onState(view);
    if (gap) this.snapshot();
  }

  _noteTally(tally) {
    const last = this.seqs.get(tally.poll_id);
    if (last === undefined || tally.seq >= last) this.seqs.set(tally.poll_id, tally.seq);
  }

  _applyTally(tally) {
    const last = this.seqs.get(tally.poll_id);
    if (last !== undefined && tally.seq < last) return; // a late tally: we already show a newer one
    this.seqs.set(tally.poll_id, tally.seq);
    if (this.handlers.onTally) this.handlers.onTally(tally);
  }

  _status(status) {
    this.status = status;
    document.documentElement.dataset.socket = status; // read by lite-offer.js
    if (this.handlers.onStatus) this.handlers.onStatus(status);
  }

  // Send `name` with `data`; resolve with the server's acknowledgement.
  // Without retry: resolves {ok: false, error: {code: "offline"}} when it cannot be delivered.
  // With retry: keeps trying across reconnects until acknowledged.
  request(name, data, { retry = false, timeout = 8000 } = {}) {
    return new Promise((resolve) => {
      const entry = { name, data, resolve, retry, timeout };
      if (this.socket && this.socket.connected) {
        this._send(entry);
      } else if (retry) {
        this.pending.push(entry);
      } else {
        resolve({ ok: false, error: { code: "offline", message: t("No connection: trying again…") } });
      }
    });
  }

  _send(entry) {
    this.socket.timeout(entry.timeout).emit(entry.name, entry.data, (err, reply) => {
      if (err) {
        if (entry.retry) {
          this.pending.push(entry);
          if (this.socket.connected) setTimeout(() => this._flushPending(), 1000);
        } else {
          entry.resolve({ ok: false, error: { code: "timeout", message: t("The server did not answer in time.") } });
        }
        return;
      }
      entry.resolve(reply);
    });
  }

  _flushPending() {
    const waiting = this.pending;
    this.pending = [];
    for (const entry of waiting) this._send(entry);
  }
}

// Small DOM helpers shared by the pages. Text is always set with textContent, never innerHTML.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function percent(count, total) {
  return total > 0 ? Math.round((count / total) * 100) : 0;
}
