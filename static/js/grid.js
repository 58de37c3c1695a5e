// 方格纸: the answer laid out on an answer sheet the way PRODUCT.md describes
// it — 25 cells a row, a mark every 100 cells, paragraphs indented two cells,
// two ASCII letters/digits a cell, and a sentence mark never starting a row
// (it is squeezed into the last cell of the row above).

import { isAsciiAlnum, isSpace } from "./counter.js";

export const COLS = 25;
// 点号 and closing quotes/brackets: written at the end of the row above
// rather than at the start of a new one.
const NO_ROW_START = new Set("，。、；：？！,.;:?!”’）》」』】〉〕)]}");
const SENTENCE_END = /[。！？；：，!?;:,]$/;
const DATE_LINE = /^[0-9〇一二三四五六七八九十零]+年[0-9一二三四五六七八九十]+月[0-9一二三四五六七八九十]+日$/;
const ORGAN_LINE = /(政府|办公室|办公厅|委员会|委|局|厅|部|院|处|小组|中心|领导小组)$/;

/** One paragraph's cells: a cell is one character, or two ASCII letters/digits. */
export function cellsOf(text) {
  const cells = [];
  let run = "";
  for (const ch of text) {
    if (isAsciiAlnum(ch)) {
      run += ch;
      if (run.length === 2) {
        cells.push(run);
        run = "";
      }
      continue;
    }
    if (run) {
      cells.push(run);
      run = "";
    }
    if (!isSpace(ch)) cells.push(ch);
  }
  if (run) cells.push(run);
  return cells;
}

/**
 * How each paragraph starts: a title is centred, the addressee or salutation
 * right below it starts flush left, a closing 落款/date is set to the right,
 * every other paragraph is indented two cells.
 */
function placements(paragraphs) {
  const n = paragraphs.length;
  return paragraphs.map((cells, i) => {
    const line = cells.join("");
    if (n < 2) return "indent";
    if (i === 0 && cells.length <= COLS && !SENTENCE_END.test(line)) return "center";
    if (i <= 1 && /[：:]$/.test(line) && cells.length <= COLS) return "flush";
    if (i >= n - 2 && i >= 2 && cells.length <= COLS - 4 && (DATE_LINE.test(line) || ORGAN_LINE.test(line))) {
      return "right";
    }
    return "indent";
  });
}

/**
 * Lay the text out as rows of COLS cells.
 * Returns {rows: [[{text, squeezed}|null, …]], used, count}: `null` is an
 * empty cell, `used` the cells up to the last written one.
 */
export function layoutGrid(text, { minCells = 0 } = {}) {
  const paragraphs = (text || "")
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map(cellsOf)
    .filter((cells) => cells.length);
  const kinds = placements(paragraphs);
  const rows = [];
  let row = [];
  let count = 0;
  const close = () => {
    rows.push(row);
    row = [];
  };
  paragraphs.forEach((cells, p) => {
    if (row.length) close();
    const kind = kinds[p];
    let pad = 2;
    if (kind === "flush") pad = 0;
    if (kind === "center") pad = Math.floor((COLS - cells.length) / 2);
    if (kind === "right") pad = Math.max(0, COLS - 2 - cells.length);
    for (let i = 0; i < pad; i += 1) row.push(null);
    for (const cell of cells) {
      count += 1;
      if (row.length === COLS) {
        const last = row[COLS - 1];
        // Every mark of a run such as "）》，" goes into that last cell.
        if (NO_ROW_START.has(cell) && last) {
          last.text += cell;
          last.squeezed = true;
          continue;
        }
        close();
      }
      row.push({ text: cell, squeezed: false });
    }
  });
  if (row.length) close();
  const used = rows.length ? (rows.length - 1) * COLS + rows[rows.length - 1].length : 0;
  const wanted = Math.max(rows.length, Math.ceil(minCells / COLS));
  // Whole 100-cell blocks, as on a printed sheet.
  const total = Math.max(4, Math.ceil(wanted / 4) * 4);
  while (rows.length < total) rows.push([]);
  return { rows, used, count };
}

/** Draw a layout into `container` (text goes in as text nodes, never as HTML). */
export function renderGrid(container, layout) {
  const sheet = document.createDocumentFragment();
  layout.rows.forEach((cells, r) => {
    const rowEl = document.createElement("div");
    rowEl.className = "grid-row";
    const end = (r + 1) * COLS;
    if (end % 100 === 0) rowEl.dataset.mark = String(end);
    for (let c = 0; c < COLS; c += 1) {
      const cell = cells[c];
      const span = document.createElement("span");
      span.className = "cell";
      if (cell) {
        span.textContent = cell.text;
        if (cell.squeezed) span.classList.add("squeezed");
        else if (cell.text.length === 2) span.classList.add("pair");
      }
      rowEl.append(span);
    }
    sheet.append(rowEl);
  });
  container.replaceChildren(sheet);
}
