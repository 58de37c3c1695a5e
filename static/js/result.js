// The result page: the answer is stored as an attempt, so the browser copy of
// its draft is no longer needed (only the copy of this very draft is removed).

import { clearLocal } from "./autosave.js";

const root = document.getElementById("attempt");
if (root && root.dataset.clearKey) {
  clearLocal(root.dataset.clearKey, Number(root.dataset.draftStart));
}
