// Tutor workspace enhancements. Every form works without this script; it only
// saves round trips: live 给定材料 preview, live 试评 while a rubric is edited,
// moving points without a reload, term suggestions fetched after the page has
// loaded (jieba is slow to start), and confirmations before deleting.

const debounce = (fn, ms) => {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
};

const csrfOf = (form) => form.querySelector('input[name="csrf_token"]')?.value ?? "";

// -- question editor: 给定材料 preview and the limit in force ----------------
function questionEditor(form) {
  const preview = document.getElementById("materials-preview");
  const hint = document.getElementById("limit-hint");
  const fields = ["materials", "prompt", "limit"].map((name) => form.elements.namedItem(name));
  if (!preview || fields.some((f) => !f)) return;
  const [materials, prompt, limit] = fields;
  const refresh = debounce(async () => {
    try {
      const response = await fetch(form.dataset.previewUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfOf(form) },
        body: JSON.stringify({ materials: materials.value, prompt: prompt.value, limit: limit.value }),
      });
      if (!response.ok) return;
      const data = await response.json();
      preview.innerHTML = data.html; // sanitised by the server (markdown, then nh3)
      const empty = document.getElementById("preview-empty");
      if (empty) empty.hidden = data.html.trim() !== "";
      if (hint) hint.textContent = data.limit_hint;
    } catch {
      // offline: the 预览材料 button still works
    }
  }, 400);
  for (const field of fields) field.addEventListener("input", refresh);
}

// -- rubric editor ---------------------------------------------------------------
function rubricEditor(form) {
  const trial = document.getElementById("trial");
  const status = document.getElementById("live-status");
  let dirty = false;
  let sequence = 0;

  const runTrial = debounce(async () => {
    if (!trial) return;
    const mine = ++sequence;
    if (status) status.textContent = "正在试评…";
    const body = new FormData(form);
    body.delete("action");
    try {
      const response = await fetch(form.dataset.previewUrl, { method: "POST", body });
      const html = await response.text();
      if (mine !== sequence) return; // a newer edit is on its way
      trial.innerHTML = html; // rendered and escaped by the server
      if (status) status.textContent = response.ok ? "试评已按当前修改更新（尚未保存）" : "表单有错误，未能试评";
    } catch {
      if (status) status.textContent = "无法连接服务器：点“保存并试评”";
    }
  }, 700);

  // the library filter and picker choose what to add; they change nothing yet
  const choosing = (event) => ["library-filter", "library_point", "library-mine"].includes(event.target.id);
  form.addEventListener("input", (event) => {
    if (choosing(event)) return;
    dirty = true;
    runTrial();
  });
  form.addEventListener("change", (event) => {
    if (choosing(event)) return;
    dirty = true;
    runTrial();
  });
  form.addEventListener("submit", () => {
    dirty = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) event.preventDefault();
  });

  // Moving a point reorders the page and its hidden `position` fields; the
  // server orders points by them, so nothing else needs renumbering.
  const list = document.getElementById("point-list");
  const renumber = () => {
    const items = [...list.querySelectorAll(".point-edit")];
    items.forEach((item, i) => {
      item.querySelector(".point-position").value = String(i);
      const number = item.querySelector("legend .point-no");
      if (number) number.textContent = String(i + 1);
      item.querySelector('[data-move="up"]').disabled = i === 0;
      item.querySelector('[data-move="down"]').disabled = i === items.length - 1;
    });
  };
  list?.addEventListener("click", (event) => {
    const button = event.target.closest("[data-move]");
    if (!button) return;
    event.preventDefault();
    const item = button.closest(".point-edit");
    if (button.dataset.move === "up" && item.previousElementSibling) {
      item.parentNode.insertBefore(item, item.previousElementSibling);
    } else if (button.dataset.move === "down" && item.nextElementSibling) {
      item.parentNode.insertBefore(item.nextElementSibling, item);
    }
    renumber();
    button.focus();
    dirty = true;
    runTrial();
  });

  // The 纲要 library picker: typing filters its options (the list works without this).
  const filter = document.getElementById("library-filter");
  const picker = document.getElementById("library_point");
  const count = document.getElementById("library-count");
  const mine = document.getElementById("library-mine");
  const narrow = () => {
    const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const onlyMine = Boolean(mine?.checked);
    let shown = 0;
    for (const group of picker.querySelectorAll("optgroup")) {
      if (onlyMine && group.dataset.mine !== "yes") {
        group.hidden = true;
        for (const option of group.querySelectorAll("option")) option.hidden = true;
        continue;
      }
      let any = false;
      for (const option of group.querySelectorAll("option")) {
        const text = option.dataset.search.toLowerCase();
        const match = words.every((w) => text.includes(w));
        option.hidden = !match;
        if (match) { any = true; shown += 1; }
      }
      group.hidden = !any;
    }
    if (count) {
      const where = onlyMine ? "本题领域中" : "";
      count.textContent = words.length || onlyMine ? `${where}找到 ${shown} 个要点` + (onlyMine && words.length && !shown ? "：取消勾选“只看本题领域”可搜索全部领域" : "") : "";
    }
  };
  if (filter && picker) {
    // the area filter needs this script: without it every area stays listed
    if (mine) mine.closest("label").hidden = false;
    filter.addEventListener("input", narrow);
    mine?.addEventListener("change", narrow);
    narrow();
  }
  // the chosen point's label and whole source (an option is cut at the list's width)
  const preview = document.getElementById("library-preview");
  picker?.addEventListener("change", () => {
    const option = picker.selectedOptions[0];
    if (!preview || !option) return;
    preview.hidden = false;
    preview.textContent = `${option.title}`;
  });
  // filtering is not an edit of the rubric: no 试评, no unsaved-changes warning
  filter?.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });

  // Term suggestions: fetched only once the tutor scrolls to them or asks.
  const box = document.getElementById("suggestion-list");
  if (box && box.dataset.loaded === "no") {
    const load = async () => {
      if (box.dataset.loaded !== "no") return;
      box.dataset.loaded = "loading";
      box.innerHTML = '<p class="muted">正在分析范文和材料…</p>';
      try {
        const response = await fetch(form.dataset.suggestUrl);
        box.innerHTML = await response.text(); // escaped by the server
        box.dataset.loaded = "yes";
      } catch {
        box.dataset.loaded = "no";
        box.innerHTML = '<p class="bad">未能取得建议，请刷新页面重试。</p>';
      }
    };
    box.querySelector(".load-suggestions")?.addEventListener("click", (event) => {
      event.preventDefault();
      load();
    });
    if ("IntersectionObserver" in window) {
      const observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          observer.disconnect();
          load();
        }
      });
      observer.observe(box);
    }
  }
}

// -- confirmations before destructive buttons -----------------------------------
for (const form of document.querySelectorAll("form.confirm[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

const questionForm = document.getElementById("question-form");
if (questionForm) questionEditor(questionForm);
const rubricForm = document.getElementById("rubric-form");
if (rubricForm) rubricEditor(rubricForm);
