// The source panel: a cited passage with the quote highlighted, the document's number, title,
// section and status. Shared by the chat and the deadline table.

import { getJSON } from "./api.js";
import { $, chunkHref, clear, el, markedText, sectionLabel, statusBadge } from "./dom.js";

let documentsPromise = null;

// The library, loaded once per page (status badges, provinces).
export function libraryDocuments(reload = false) {
  if (!documentsPromise || reload) {
    documentsPromise = getJSON("/api/documents").catch((err) => {
      documentsPromise = null;
      throw err;
    });
  }
  return documentsPromise;
}

export function closeSource() {
  $("source-panel").hidden = true;
  document.body.classList.remove("panel-open");
}

// Open the panel on one chunk; `quote` (verbatim span of the chunk) is highlighted.
export async function openSource({ chunk_id, quote, n, title, number, section }) {
  const panel = $("source-panel");
  const body = clear($("source-body"));
  panel.hidden = false;
  document.body.classList.add("panel-open");
  body.append(el("p", { class: "muted", text: "Đang tải đoạn trích…" }));
  let chunk;
  try {
    chunk = await getJSON(`/api/chunks/${encodeURIComponent(chunk_id)}`);
  } catch (err) {
    clear(body).append(el("p", { class: "message error", text: err.message }));
    return;
  }
  const doc = chunk.document || { title, number };
  clear(body);
  body.append(
    el("div", { class: "source-meta" },
      n ? el("span", { class: "chip static", text: `[${n}]` }) : null,
      doc.status ? statusBadge(doc.status) : null,
    ),
    el("h2", { class: "source-title" }, doc.number ? el("span", { class: "doc-number", text: doc.number }) : null,
      doc.number ? " " : null, doc.title || title || chunk.doc_id),
    el("p", { class: "source-section" }, "Mục: ", el("strong", { text: sectionLabel(chunk.section || section) }),
      chunk.heading ? ` — ${chunk.heading}` : ""),
  );
  const passage = el("blockquote", { class: "passage" }, markedText(chunk.text, quote));
  body.append(passage);
  if (quote && !passage.querySelector("mark")) {
    body.append(el("p", { class: "muted" }, "Trích dẫn: ", el("q", { text: quote })));
  }
  body.append(el("p", {}, el("a", { href: chunkHref(chunk.doc_id, chunk.chunk_id), "data-route": "1", text: "Xem toàn văn tài liệu →" })));
  const notes = doc.restructuring || [];
  if (notes.length) {
    body.append(el("details", { class: "notes" }, el("summary", { text: `Lưu ý về sắp xếp bộ máy (${notes.length})` }),
      notes.map((note) => el("p", { class: "warning-inline", text: note.message }))));
  }
  body.scrollTop = 0;
  const mark = passage.querySelector("mark");
  if (mark) mark.scrollIntoView({ block: "nearest" });
}

export function installSourcePanel() {
  $("source-close").addEventListener("click", closeSource);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") closeSource();
  });
}
