// Autosave: the draft goes to the server every few seconds while the
// candidate types, and when the page is hidden or closed. Every change is
// first written to localStorage, so nothing is lost when the server cannot be
// reached, the login lapsed or the CSRF token went stale; a retry loop sends
// the text as soon as the server takes it again.

const RETRY_MIN = 2000;
const RETRY_MAX = 15000;
// Browsers refuse keepalive requests with bodies over 64 KiB.
const KEEPALIVE_LIMIT = 60000;

function readLocal(key) {
  try {
    const raw = window.localStorage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function writeLocal(key, record) {
  try {
    window.localStorage.setItem(key, JSON.stringify(record));
    return true;
  } catch {
    return false; // private mode or quota: the server copy is all we have
  }
}

export function clearLocal(key, draftStart) {
  const record = readLocal(key);
  if (record && (draftStart === undefined || record.draftStart === draftStart)) {
    try {
      window.localStorage.removeItem(key);
    } catch {
      /* nothing to clear */
    }
  }
}

export class Autosave {
  /**
   * options: saveUrl, tokenUrl, stateUrl, storageKey, draftStart, serverText,
   * serverSavedAt, revision (the draft revision the page was loaded from),
   * clock (ServerClock), intervalMs, getText(), setText(t), getToken(),
   * setToken(t), onRevision(n), onConflict({text, revision, message}),
   * onStatus({kind, savedAt, message})
   */
  constructor(options) {
    Object.assign(this, options);
    this.conflict = null; // the server's newer text, until the candidate chooses
    this.lastSaved = options.serverText; // the text the server is known to hold
    this.savedAt = options.serverSavedAt;
    this.timer = null;
    this.inflight = null;
    this.retryDelay = RETRY_MIN;
    this.blocked = null; // "too_long" / "no_draft": wait for the next change
  }

  get dirty() {
    return this.getText() !== this.lastSaved;
  }

  /**
   * Server copy or browser copy, whichever is newer. The browser copy's
   * time is on the server's clock (clock.now() when it was written), so the
   * two compare even when the computer's clock is wrong.
   */
  restore({ forceDirty = false } = {}) {
    const local = readLocal(this.storageKey);
    const usable = local && local.draftStart === this.draftStart && typeof local.text === "string";
    if (usable && local.dirty && local.text !== this.lastSaved && local.editedAt > this.savedAt) {
      this.setText(local.text);
      this.onStatus({ kind: "restored" });
      this.schedule(0);
      return "local";
    }
    if (forceDirty) {
      this.remember();
      this.schedule(0);
      return "page";
    }
    writeLocal(this.storageKey, this.record(false));
    this.onStatus(this.settled());
    return "server";
  }

  /** The status when nothing is pending: saved (with the time) or not yet written. */
  settled() {
    if (this.dirty) return { kind: "dirty" };
    return this.lastSaved ? { kind: "saved", savedAt: this.savedAt } : { kind: "idle" };
  }

  record(dirty) {
    return {
      v: 1,
      text: this.getText(),
      editedAt: Math.round(this.clock.now()),
      draftStart: this.draftStart,
      dirty,
    };
  }

  remember() {
    writeLocal(this.storageKey, this.record(this.dirty));
  }

  /** Called on every edit. */
  changed() {
    this.remember();
    this.blocked = null;
    this.onStatus(this.settled());
    // A save at most every intervalMs while typing (not only after a pause:
    // someone who types for ten minutes straight still gets saved).
    if (!this.timer) this.schedule(this.intervalMs);
  }

  schedule(delay) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.dirty) this.save();
    }, delay);
  }

  retryLater(afterMs = 0) {
    clearTimeout(this.timer);
    // A busy server says when to come back (Retry-After); otherwise back off.
    const delay = Math.max(afterMs, this.retryDelay);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.dirty && !this.blocked) this.save();
    }, delay);
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX);
  }

  /** Retry at once (back online, page visible again, logged in elsewhere). */
  nudge() {
    if (this.dirty && !this.blocked && !this.inflight) {
      this.retryDelay = RETRY_MIN;
      this.schedule(0);
    }
  }

  /**
   * Take what another tab or device saved meanwhile, when this page has no
   * unsaved edits of its own (an idle tab must not later overwrite newer text).
   */
  async refresh() {
    if (this.dirty || this.inflight || !this.stateUrl) return false;
    const now = Date.now();
    if (this.lastRefresh && now - this.lastRefresh < 3000) return false;
    this.lastRefresh = now;
    let data;
    try {
      const response = await fetch(this.stateUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (!response.ok) return false;
      data = await response.json();
    } catch {
      return false;
    }
    this.clock.sync(data.now);
    if (this.dirty || data.saved_at <= this.savedAt || data.text === this.getText()) return false;
    this.setRevision(data.revision);
    this.setText(data.text);
    this.lastSaved = data.text;
    this.savedAt = data.saved_at;
    writeLocal(this.storageKey, this.record(false));
    this.onStatus({ kind: "synced", savedAt: data.saved_at });
    return true;
  }

  /** Save now; resolves to {ok, error} once the server holds the current text. */
  async save({ keepalive = false } = {}) {
    if (this.inflight) {
      await this.inflight;
      if (!this.dirty) return { ok: true };
    }
    if (this.conflict) return { ok: false, error: "conflict" }; // wait for the candidate's choice
    const text = this.getText();
    this.inflight = this.post(text, keepalive);
    try {
      return await this.inflight;
    } finally {
      this.inflight = null;
    }
  }

  async post(text, keepalive, retried = false) {
    this.onStatus({ kind: "saving" });
    const body = JSON.stringify({ text, revision: this.revision });
    let response;
    try {
      response = await fetch(this.saveUrl, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": this.getToken(),
        },
        body,
        credentials: "same-origin",
        redirect: "manual",
        keepalive: keepalive && body.length * 3 < KEEPALIVE_LIMIT,
      });
    } catch {
      return this.failed("offline");
    }
    if (response.ok) {
      const data = await response.json();
      this.clock.sync(data.now);
      this.setRevision(data.revision);
      this.lastSaved = text;
      this.savedAt = data.saved_at;
      this.serverCount = data.char_count;
      this.retryDelay = RETRY_MIN;
      writeLocal(this.storageKey, this.record(this.dirty));
      this.onStatus(this.dirty ? { kind: "dirty" } : { kind: "saved", savedAt: data.saved_at });
      if (this.dirty && !this.timer) this.schedule(this.intervalMs);
      return { ok: true };
    }
    let data = {};
    try {
      data = await response.json();
    } catch {
      /* not JSON: a proxy error page or a redirect */
    }
    if (response.status === 400 && data.error === "csrf" && !retried) {
      const fresh = await this.refreshToken();
      if (fresh === true) return this.post(text, keepalive, true);
      return this.failed(fresh);
    }
    if (response.status === 401 || response.type === "opaqueredirect") return this.failed("login");
    if (response.status === 503 && data.error === "busy") {
      const seconds = Number(response.headers.get("Retry-After")) || 0;
      return this.failed("busy", "", false, Math.min(seconds * 1000, RETRY_MAX));
    }
    if (response.status === 409 && data.error === "conflict") {
      // Another device or tab saved since this page's revision: keep both, let the candidate choose.
      this.conflict = { text: data.text, revision: data.revision, message: data.message };
      if (this.onConflict) this.onConflict(this.conflict);
      return this.failed("conflict", data.message, true);
    }
    if (response.status === 409) return this.failed("no_draft", data.message, true);
    if (response.status === 413) return this.failed("too_long", data.message, true);
    if (response.status === 400 && data.error === "csrf") return this.failed("csrf");
    return this.failed("server", data.message);
  }

  setRevision(revision) {
    if (typeof revision !== "number") return;
    this.revision = revision;
    if (this.onRevision) this.onRevision(revision);
  }

  /**
   * The candidate chose after a conflict: ``text`` (theirs, the server's or a
   * merge) is saved on top of the server's revision they have now seen.
   */
  resolve(text) {
    if (!this.conflict) return Promise.resolve({ ok: true });
    this.setRevision(this.conflict.revision);
    this.conflict = null;
    this.blocked = null;
    this.setText(text);
    this.remember();
    return this.save();
  }

  async refreshToken() {
    try {
      const response = await fetch(this.tokenUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.status === 401 || response.type === "opaqueredirect") return "login";
      if (!response.ok) return "server";
      const data = await response.json();
      this.setToken(data.token);
      return true;
    } catch {
      return "offline";
    }
  }

  failed(kind, message = "", block = false, retryMs = 0) {
    this.remember();
    this.blocked = block ? kind : null;
    this.onStatus({ kind, message });
    if (!block) this.retryLater(retryMs);
    return { ok: false, error: kind };
  }
}
