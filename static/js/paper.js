// The 模拟考试 page: one server clock for the whole paper and one editor per
// question (a tab each), every editor with its own 字数 counter, 方格纸 view
// and autosave — the practice page's own modules, one instance per question.
// Switching tabs tells the server (it credits the time to the question left).
// Without this script the page is a form: tabs save and switch, 交卷 confirms.

import { Autosave } from "./autosave.js";
import { ServerClock, formatDuration, startCountdown } from "./clock.js";
import { ALERTS, STATUS, attachCounter, attachGrid, firstAutoSubmit, limitsOf, timeFormatter } from "./editor.js";
import { charCount } from "./counter.js";

function init(root) {
  const d = root.dataset;
  const form = document.getElementById("exam-form");
  const tokenInput = form.querySelector('input[name="csrf_token"]');
  const currentInput = document.getElementById("current-input");
  const alertEl = document.getElementById("save-alert");
  const clock = new ServerClock(Number(d.serverNow));
  const hhmmss = timeFormatter(d.tz);
  const startedAt = Number(d.startedAt);
  let submitting = false;
  let current = Number(d.current);
  root.classList.add("js");

  const showAlert = (message, withLogin = false) => {
    if (!message) {
      alertEl.hidden = true;
      alertEl.replaceChildren();
      return;
    }
    const parts = [document.createTextNode(message)];
    if (withLogin) {
      const link = document.createElement("a");
      link.href = d.loginUrl;
      link.textContent = "重新登录";
      link.id = "relogin-link";
      parts.push(document.createTextNode(" "), link);
    }
    alertEl.replaceChildren(...parts);
    alertEl.hidden = false;
  };

  // -- one editor per question -------------------------------------------------
  const editors = new Map();
  for (const panel of root.querySelectorAll(".q-panel")) {
    const position = Number(panel.dataset.position);
    const area = panel.querySelector("textarea");
    const statusEl = panel.querySelector(".save-status");
    const tab = document.getElementById(`tab-${position}`);
    const limits = limitsOf(panel.dataset);
    const updateCount = attachCounter({
      root: panel,
      area,
      countEl: panel.querySelector(".count-value"),
      noteEl: panel.querySelector(".limit-note"),
      bar: panel.querySelector(".limit-bar"),
      limits,
    });
    const scheduleGrid = attachGrid({
      root: panel,
      area,
      pane: panel.querySelector(".grid-pane"),
      gridEl: panel.querySelector(".grid-sheet"),
      summaryEl: panel.querySelector(".grid-summary"),
      toggle: panel.querySelector(".grid-toggle"),
      printButton: panel.querySelector(".grid-print"),
      limits,
    });
    const showStatus = ({ kind, savedAt, message }) => {
      let text = STATUS[kind] || "";
      if (kind === "saved") text = `已保存 ${hhmmss.format(new Date(savedAt))}`;
      if (kind === "synced") text = `${STATUS.synced}（${hhmmss.format(new Date(savedAt))}）`;
      if (kind === "dirty") text = "有修改未保存";
      statusEl.textContent = text;
      statusEl.dataset.kind = kind;
      if (kind === "saved" || kind === "synced") showAlert("");
      else if (ALERTS[kind]) showAlert(ALERTS[kind], kind === "login");
      else if (message) showAlert(`第${position}题：${message} 内容已保存在本机浏览器中。`);
    };
    const autosave = new Autosave({
      saveUrl: panel.dataset.saveUrl,
      tokenUrl: d.tokenUrl,
      stateUrl: panel.dataset.stateUrl,
      storageKey: `fazhi:paper:${d.user}:${d.sitting}:${position}`,
      draftStart: startedAt,
      serverText: panel.dataset.unsaved === "1" ? null : area.value,
      serverSavedAt: Number(panel.dataset.savedAt),
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
    const refreshTab = () => {
      const count = updateCount();
      tab.querySelector(".tab-count").textContent = String(count);
      tab.querySelector(".tab-status").textContent = charCount(area.value) ? "已作答" : "未作答";
      scheduleGrid();
    };
    area.addEventListener("input", () => {
      refreshTab();
      autosave.changed();
    });
    const spentEl = panel.querySelector(".q-spent");
    editors.set(position, { panel, tab, area, autosave, refreshTab, spentEl, spent: 0 });
    autosave.restore({ forceDirty: panel.dataset.unsaved === "1" });
    refreshTab();
  }
  window.fazhiPaper = { editors, current: () => current }; // for the browser tests and the console

  const saveAll = async ({ keepalive = false } = {}) => {
    const outcomes = [];
    for (const editor of editors.values()) {
      if (editor.autosave.dirty) outcomes.push(await editor.autosave.save({ keepalive }));
    }
    return outcomes;
  };

  // -- switching questions -------------------------------------------------------
  const postFocus = (position) =>
    fetch(d.focusUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": tokenInput.value },
      body: JSON.stringify({ position }),
      credentials: "same-origin",
      redirect: "manual",
    }).catch(() => null);

  const show = (position, { tell = true } = {}) => {
    if (position === current || !editors.has(position)) return;
    const left = editors.get(current);
    if (left && left.autosave.dirty) left.autosave.save();
    for (const [n, editor] of editors) {
      editor.panel.hidden = n !== position;
      if (n === position) editor.tab.setAttribute("aria-current", "step");
      else editor.tab.removeAttribute("aria-current");
    }
    current = position;
    currentInput.value = String(position);
    const url = new URL(window.location.href);
    url.searchParams.set("q", String(position));
    window.history.replaceState(null, "", url);
    if (tell) postFocus(position);
    editors.get(position).area.focus({ preventScroll: true });
  };
  for (const [position, editor] of editors) {
    editor.tab.addEventListener("click", (event) => {
      event.preventDefault();
      show(position);
    });
  }

  // -- saving, leaving, coming back ------------------------------------------------
  document.addEventListener("visibilitychange", () => {
    for (const { autosave } of editors.values()) {
      if (document.visibilityState === "hidden") {
        autosave.remember();
        if (autosave.dirty) autosave.save({ keepalive: true });
      } else {
        autosave.nudge();
      }
    }
    if (document.visibilityState === "visible") refreshAll();
  });
  window.addEventListener("pagehide", () => {
    for (const { autosave } of editors.values()) {
      autosave.remember();
      if (autosave.dirty && !submitting) autosave.save({ keepalive: true });
    }
  });
  window.addEventListener("online", () => editors.forEach(({ autosave }) => autosave.nudge()));
  const refreshAll = () =>
    editors.forEach((editor) => {
      editor.autosave.nudge();
      editor.autosave.refresh().then((changed) => changed && editor.refreshTab());
    });
  window.addEventListener("focus", refreshAll);
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      event.preventDefault();
      saveAll();
    }
  });

  // -- 保存 and 交卷 -----------------------------------------------------------------
  const handInBtn = document.getElementById("hand-in-btn");
  const submitTo = (action, { confirm = false } = {}) => {
    submitting = true;
    form.action = action;
    if (confirm) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "confirm";
      input.value = "1";
      form.append(input);
    }
    // A button named "submit" would shadow form.submit; the prototype's method is the real one.
    HTMLFormElement.prototype.submit.call(form);
  };
  form.addEventListener("submit", async (event) => {
    if (submitting) return;
    event.preventDefault();
    const outcomes = await saveAll();
    if (!event.submitter || event.submitter.id !== "hand-in-btn") return;
    handInBtn.disabled = true;
    const failed = outcomes.find((o) => !o.ok && o.error !== "too_long" && o.error !== "no_draft");
    if (failed) {
      handInBtn.disabled = false;
      showAlert(`未交卷：${ALERTS[failed.error] || "暂时无法交卷。"}`, failed.error === "login");
      return;
    }
    // The server lists unanswered questions and asks to confirm (the same page without scripts).
    submitTo(handInBtn.getAttribute("formaction"));
  });

  // -- the paper's clock (the server's) --------------------------------------------
  const clockEl = document.getElementById("paper-clock");
  const clockValue = document.getElementById("paper-clock-value");
  const clockLabel = document.getElementById("paper-clock-label");
  const autoKey = `fazhi:paper-handed-in:${d.user}:${d.sitting}`;
  let lastTick = null;
  startCountdown({
    clock,
    startedAt,
    minutes: Number(d.minutes),
    onTick: ({ remaining, overtime }) => {
      clockEl.classList.toggle("overtime", overtime);
      clockLabel.textContent = overtime ? "时间到" : "剩余时间";
      clockValue.textContent = overtime ? "00:00" : formatDuration(remaining);
      // The question in front of the candidate shows its time going up (the server keeps the real count).
      const now = clock.now();
      const editor = editors.get(current);
      if (editor && lastTick !== null && !overtime) {
        editor.spent += now - lastTick;
        const base = editor.baseSpent ?? (editor.baseSpent = parseSpent(editor.spentEl.textContent));
        editor.spentEl.textContent = formatMinutes(base + editor.spent / 1000);
      }
      lastTick = now;
    },
    onZero: async () => {
      if (!firstAutoSubmit(autoKey) || d.error === "1") {
        showAlert("考试时间已到，请交卷。");
        return;
      }
      showAlert("考试时间到，正在自动交卷…");
      await saveAll();
      submitTo(handInBtn.getAttribute("formaction"), { confirm: true });
    },
  });
}

function parseSpent(text) {
  // "12分05秒" or "1小时3分", as the server's duration filter writes it.
  const h = /(\d+)小时/.exec(text);
  const m = /(\d+)分/.exec(text);
  const s = /(\d+)秒/.exec(text);
  return (h ? Number(h[1]) * 3600 : 0) + (m ? Number(m[1]) * 60 : 0) + (s ? Number(s[1]) : 0);
}

function formatMinutes(seconds) {
  const total = Math.floor(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h ? `${h}小时${m}分` : `${m}分${String(s).padStart(2, "0")}秒`;
}

const root = document.getElementById("paper-exam");
if (root) init(root);
