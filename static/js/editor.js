// The parts of an answer editor shared by the practice page (one editor) and
// the 模拟考试 page (one editor per question): the status texts, the live
// 字数 counter with its limit bar, and the 方格纸 view. Each function takes
// the elements it drives, so several editors can live on one page.

import { charCount, limitState } from "./counter.js";
import { layoutGrid, renderGrid } from "./grid.js";

export const STATUS = {
  idle: "输入后自动保存",
  saving: "正在保存…",
  restored: "已恢复本机未同步的内容，正在保存…",
  synced: "已载入其他窗口保存的内容",
  offline: "未连上服务器 · 已存本机",
  login: "登录已过期 · 已存本机",
  csrf: "页面已过期 · 已存本机",
  server: "服务器出错 · 已存本机",
  busy: "服务器繁忙 · 已存本机",
  no_draft: "未保存到服务器 · 已存本机",
  too_long: "内容过长 · 已存本机",
  conflict: "其他设备保存过新内容 · 请选择保留哪一份",
};

export const ALERTS = {
  offline: "无法连接服务器。内容已保存在本机浏览器中，恢复连接后会自动上传。",
  login: "登录已过期。内容已保存在本机浏览器中，重新登录后回到本页会自动恢复并保存。",
  csrf: "页面已过期。内容已保存在本机浏览器中，请刷新页面，刷新后会自动恢复。",
  server: "服务器暂时出错，稍后会自动重试。内容已保存在本机浏览器中。",
  busy: "服务器繁忙，几秒后会自动重试。内容已保存在本机浏览器中。",
  conflict: "这份草稿已在其他设备或窗口中修改过：两份内容都在编辑区上方，请选择保留哪一份或合并（在此之前不会自动保存）。",
};

/** True the first time a page of this draft or sitting asks: a refused auto-submit must not loop. */
export function firstAutoSubmit(key) {
  let done = false;
  try {
    done = window.sessionStorage.getItem(key) === "1";
    window.sessionStorage.setItem(key, "1");
  } catch {
    /* no sessionStorage: still submit once per page */
  }
  return !done;
}

export function timeFormatter(timeZone) {
  try {
    return new Intl.DateTimeFormat("zh-CN", {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
  } catch {
    return new Intl.DateTimeFormat("zh-CN", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }
}

/** Limits from an element's data-limit-min / -max / -floor attributes. */
export function limitsOf(dataset) {
  return {
    min: Number(dataset.limitMin) || null,
    max: Number(dataset.limitMax) || null,
    floor: Number(dataset.limitFloor) || null,
  };
}

/**
 * The live 字数 and the under / within / over bar. Returns update(), to call
 * after every change of the text; `root.dataset.limitState` says where it stands.
 */
export function attachCounter({ root, area, countEl, noteEl, bar, limits }) {
  if (limits.max) {
    const scale = limits.max * 1.25;
    bar.classList.remove("is-off");
    bar.style.setProperty("--max", String(limits.max / scale));
    bar.style.setProperty("--floor", String((limits.min || limits.floor || 0) / scale));
    bar.dataset.scale = String(scale);
  }
  return () => {
    const count = charCount(area.value);
    countEl.textContent = String(count);
    const state = limitState(count, limits);
    root.dataset.limitState = state.state;
    noteEl.textContent = state.text;
    if (limits.max) {
      bar.dataset.state = state.state;
      bar.style.setProperty("--fill", String(Math.min(1, count / Number(bar.dataset.scale))));
      bar.setAttribute("aria-valuenow", String(count));
    }
    return count;
  };
}

/**
 * The 方格纸 view with its toggle and print button; the preference is kept
 * for every editor. Returns schedule(), to redraw shortly after a change.
 */
export function attachGrid({ root, area, pane, gridEl, summaryEl, toggle, printButton, limits }) {
  let timer = null;
  const draw = () => {
    const layout = layoutGrid(area.value, { minCells: limits.max || 0 });
    renderGrid(gridEl, layout);
    summaryEl.textContent = `${layout.count} 字 · 占 ${layout.used} 格（每行 25 格）`;
  };
  const schedule = () => {
    if (pane.hidden) return;
    clearTimeout(timer);
    timer = setTimeout(draw, 150);
  };
  const set = (on) => {
    pane.hidden = !on;
    root.classList.toggle("show-grid", on);
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = on ? "隐藏方格纸" : "方格纸";
    try {
      window.localStorage.setItem("fazhi:grid", on ? "1" : "0");
    } catch {
      /* preference only */
    }
    if (on) draw();
  };
  toggle.hidden = false;
  toggle.addEventListener("click", () => set(pane.hidden));
  printButton.addEventListener("click", () => {
    draw();
    window.print();
  });
  window.addEventListener("beforeprint", draw);
  let wanted = false;
  try {
    wanted = window.localStorage.getItem("fazhi:grid") === "1";
  } catch {
    /* default: off */
  }
  if (wanted) set(true);
  return schedule;
}
