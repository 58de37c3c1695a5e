// The practice page's live parts: 字数 counter and limit bar, the countdown
// on the server's clock, autosave with a browser copy, the 方格纸 view, and a
// submit that first makes sure the server has the text. Without this script
// the page is a plain form that still saves and submits.

import { Autosave } from "./autosave.js";
import { ServerClock, formatDuration, startCountdown } from "./clock.js";
import { ALERTS, STATUS, attachCounter, attachGrid, firstAutoSubmit, limitsOf, timeFormatter } from "./editor.js";

function init(root) {
  const d = root.dataset;
  const form = document.getElementById("answer-form");
  const area = document.getElementById("answer");
  const tokenInput = form.querySelector('input[name="csrf_token"]');
  const statusEl = document.getElementById("save-status");
  const alertEl = document.getElementById("save-alert");
  const clock = new ServerClock(Number(d.serverNow));
  const hhmmss = timeFormatter(d.tz);
  const limits = limitsOf(d);
  let submitting = false; // true once the native form submit is under way
  root.classList.add("js");

  // -- 字数 and the limit bar ------------------------------------------
  const updateCount = attachCounter({
    root,
    area,
    countEl: document.getElementById("count-value"),
    noteEl: document.getElementById("limit-note"),
    bar: document.getElementById("limit-bar"),
    limits,
  });

  // -- status line and alerts -----------------------------------------
  const loginUrl = d.loginUrl;
  const showAlert = (message, withLogin = false) => {
    if (!message) {
      alertEl.hidden = true;
      alertEl.replaceChildren();
      return;
    }
    const parts = [document.createTextNode(message)];
    if (withLogin) {
      const link = document.createElement("a");
      link.href = loginUrl;
      link.textContent = "重新登录";
      link.id = "relogin-link";
      parts.push(document.createTextNode(" "), link);
    }
    alertEl.replaceChildren(...parts);
    alertEl.hidden = false;
  };
  const showStatus = ({ kind, savedAt, message }) => {
    let text = STATUS[kind] || "";
    if (kind === "saved") text = `已保存 ${hhmmss.format(new Date(savedAt))}`;
    if (kind === "synced") text = `${STATUS.synced}（${hhmmss.format(new Date(savedAt))}）`;
    if (kind === "dirty") {
      text = autosave && autosave.savedAt && autosave.lastSaved
        ? `有修改未保存 · 上次保存 ${hhmmss.format(new Date(autosave.savedAt))}`
        : "有修改未保存";
    }
    statusEl.textContent = text;
    statusEl.dataset.kind = kind;
    if (kind === "saved" || kind === "synced") showAlert("");
    else if (ALERTS[kind]) showAlert(ALERTS[kind], kind === "login");
    else if (message) showAlert(`${message} 内容已保存在本机浏览器中。`);
  };

  // -- two devices, one draft: show both texts until the candidate chooses --
  const revisionInput = document.getElementById("draft-revision");
  const conflictPane = document.getElementById("conflict-pane");
  const conflictServer = document.getElementById("conflict-server");
  const showConflict = ({ text }) => {
    conflictServer.value = text;
    document.getElementById("conflict-actions").hidden = false;
    document.getElementById("conflict-nojs").hidden = true;
    conflictPane.hidden = false;
  };
  const resolveConflict = async (text) => {
    conflictPane.hidden = true;
    const saving = autosave.resolve(text);
    refreshView();
    area.focus();
    await saving;
  };

  // -- autosave -----------------------------------------------------------
  const autosave = new Autosave({
    saveUrl: d.saveUrl,
    tokenUrl: d.tokenUrl,
    stateUrl: d.stateUrl,
    storageKey: `fazhi:draft:${d.user}:${d.slug}`,
    draftStart: Number(d.startedAt),
    // After a refused submit the page shows the posted text, which the server may not hold.
    serverText: d.unsaved === "1" ? null : area.value,
    serverSavedAt: Number(d.savedAt),
    revision: Number(revisionInput.value) || null,
    onRevision: (revision) => {
      revisionInput.value = String(revision);
    },
    onConflict: (conflict) => showConflict(conflict),
    clock,
    intervalMs: Number(d.autosaveMs) || 3000,
    getText: () => area.value,
    setText: (text) => {
      area.value = text;
    },
    getToken: () => tokenInput.value,
    setToken: (token) => {
      tokenInput.value = token;
    },
    onStatus: (status) => showStatus(status),
  });
  window.fazhiAutosave = autosave; // for the browser tests and the console
  if (d.conflict === "1") {
    // The server refused a stale save from this page (no script ran then): same choice.
    autosave.conflict = { text: conflictServer.value, revision: autosave.revision };
    showConflict(autosave.conflict);
  }
  document.getElementById("conflict-keep").addEventListener("click", () => resolveConflict(area.value));
  document.getElementById("conflict-take").addEventListener("click", () => resolveConflict(conflictServer.value));
  document.getElementById("conflict-merge").addEventListener("click", () =>
    resolveConflict(`${area.value.replace(/\s+$/, "")}\n${conflictServer.value}`),
  );
  autosave.restore({ forceDirty: d.unsaved === "1" });
  updateCount();

  const refreshView = () => {
    updateCount();
    scheduleGrid();
  };
  area.addEventListener("input", () => {
    updateCount();
    autosave.changed();
    scheduleGrid();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      autosave.remember();
      if (autosave.dirty) autosave.save({ keepalive: true });
    } else {
      autosave.nudge();
      autosave.refresh().then((changed) => changed && refreshView());
    }
  });
  window.addEventListener("pagehide", () => {
    autosave.remember();
    if (autosave.dirty && !submitting) autosave.save({ keepalive: true });
  });
  window.addEventListener("online", () => autosave.nudge());
  window.addEventListener("focus", () => {
    autosave.nudge();
    autosave.refresh().then((changed) => changed && refreshView());
  });

  // -- submit: make sure the server has the text, then post the form --------
  const submitBtn = document.getElementById("submit-btn");
  form.addEventListener("submit", async (event) => {
    if (submitting) return; // the real (native) submit, after the check below
    event.preventDefault();
    if (event.submitter && event.submitter.id === "save-btn") {
      await autosave.save();
      return;
    }
    submitBtn.disabled = true;
    const outcome = await autosave.save();
    // The server itself explains a too-long text or a finished draft (and keeps the text).
    if (outcome.ok || outcome.error === "too_long" || outcome.error === "no_draft") {
      submitting = true;
      // The button named "submit" shadows form.submit; the prototype's method is the real one.
      HTMLFormElement.prototype.submit.call(form);
      return;
    }
    submitBtn.disabled = false;
    const why = ALERTS[outcome.error] || "暂时无法提交。";
    showAlert(`未提交：${why}`, outcome.error === "login");
  });
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      event.preventDefault();
      autosave.save();
    }
  });

  // -- countdown on the server's clock -----------------------------------
  const clockEl = document.getElementById("clock");
  const clockValue = document.getElementById("clock-value");
  const clockLabel = document.getElementById("clock-label");
  const exam = d.exam === "1";
  const autoKey = `fazhi:autosubmitted:${d.user}:${d.slug}:${d.startedAt}`;
  startCountdown({
    clock,
    startedAt: Number(d.startedAt),
    minutes: Number(d.minutes),
    onTick: ({ remaining, overtime }) => {
      clockEl.classList.toggle("overtime", overtime);
      clockLabel.textContent = overtime ? "已超时" : "剩余时间";
      clockValue.textContent = overtime ? `+${formatDuration(remaining)}` : formatDuration(remaining);
    },
    onZero: () => {
      if (!exam) return;
      if (!firstAutoSubmit(autoKey) || d.error === "1") {
        showAlert("考试时间已到，请尽快提交。");
        return;
      }
      showAlert("考试时间到，正在自动交卷…");
      form.requestSubmit(submitBtn);
    },
  });

  // -- 方格纸 ------------------------------------------------------------
  const scheduleGrid = attachGrid({
    root,
    area,
    pane: document.getElementById("grid-pane"),
    gridEl: document.getElementById("grid"),
    summaryEl: document.getElementById("grid-summary"),
    toggle: document.getElementById("grid-toggle"),
    printButton: document.getElementById("grid-print"),
    limits,
  });
}

const root = document.getElementById("practice");
if (root) init(root);
