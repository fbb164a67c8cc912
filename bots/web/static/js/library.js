// Tài liệu: the library (status, replaces / replaced by) and one document's full text by section;
// a chunk anchor (#chunk-… or ?chunk=…) scrolls to the chunk and highlights it.

import { getJSON, postForm, postJSON } from "./api.js";
import { $, chunkHref, clear, el, sectionLabel, statusBadge } from "./dom.js";
import { libraryDocuments } from "./source.js";

let docsById = new Map();
let wired = false;

function docLink(id) {
  const d = docsById.get(id);
  const label = d ? (d.number || d.title) : id;
  return el("a", { href: chunkHref(id), "data-route": "1", text: label });
}

function relation(label, ids) {
  if (!ids || !ids.length) return null;
  const links = [];
  ids.forEach((id, i) => {
    if (i) links.push(", ");
    links.push(docLink(id));
  });
  return el("p", { class: "relation" }, `${label}: `, links);
}

function entryCard(d) {
  const meta = [d.kind, d.province, d.period, d.iso_version ? `ISO ${d.iso_version}` : null].filter(Boolean).join(" · ");
  return el("article", { class: "doc-card", "data-doc": d.id },
    el("div", { class: "doc-card-head" }, statusBadge(d.status),
      el("span", { class: d.held ? "held" : "held no", text: d.held ? "Có toàn văn" : "Chỉ được trích dẫn" })),
    el("h2", {}, d.held ? el("a", { href: chunkHref(d.doc_ids[0] || d.id), "data-route": "1" }, d.number ? `${d.number} — ${d.title}` : d.title)
      : (d.number ? `${d.number} — ${d.title}` : d.title)),
    meta ? el("p", { class: "muted", text: meta }) : null,
    relation("Thay thế", d.replaces),
    relation("Bị thay thế bởi", d.replaced_by),
    (d.restructuring || []).length ? el("ul", { class: "restructuring" }, d.restructuring.map((r) => el("li", { text: r.message }))) : null,
  );
}

function renderList(docs) {
  const q = $("library-filter").value.trim().toLowerCase();
  const shown = docs.filter((d) => !q || [d.number, d.title, d.province, d.kind].filter(Boolean).join(" ").toLowerCase().includes(q));
  clear($("library-list")).append(...shown.map(entryCard));
  if (!shown.length) $("library-list").append(el("p", { class: "muted", text: "Không có văn bản nào khớp." }));
}

async function showList() {
  $("library-list-view").hidden = false;
  $("document-view").hidden = true;
  try {
    const docs = await libraryDocuments();
    docsById = new Map(docs.map((d) => [d.id, d]));
    renderList(docs);
  } catch (err) {
    clear($("library-list")).append(el("p", { class: "message error", text: err.message }));
  }
  try {
    const me = await getJSON("/api/me");
    $("admin-tools").hidden = me.role !== "admin";
  } catch {
    $("admin-tools").hidden = true;
  }
}

function targetChunk() {
  const params = new URLSearchParams(location.search);
  if (params.get("chunk")) return params.get("chunk");
  if (location.hash.startsWith("#chunk-")) return decodeURIComponent(location.hash.slice(7));
  return null;
}

async function showDocument(docId) {
  $("library-list-view").hidden = true;
  const view = clear($("document-view"));
  view.hidden = false;
  view.append(el("p", {}, el("a", { href: "/documents", "data-route": "1", text: "← Thư viện" })));
  let doc;
  try {
    const docs = await libraryDocuments();
    docsById = new Map(docs.map((d) => [d.id, d]));
    doc = await getJSON(`/api/documents/${encodeURIComponent(docId)}`);
  } catch (err) {
    view.append(el("p", { class: "message error", text: err.message }));
    return;
  }
  const info = doc.info;
  if (info) view.append(entryCard(info));
  if (!doc.sections.length) {
    view.append(el("p", { class: "muted", text: "Kho chưa có toàn văn của văn bản này (chỉ được các văn bản khác trích dẫn)." }));
    return;
  }
  const toc = el("nav", { class: "toc" });
  const text = el("div", { class: "doc-text" });
  doc.sections.forEach((s, i) => {
    const sid = `section-${i}`;
    const title = s.heading || sectionLabel(s.section);
    toc.append(el("a", { href: `#${sid}`, text: title.length > 80 ? `${title.slice(0, 80)}…` : title }));
    text.append(el("section", { id: sid, class: "doc-section" },
      el("h3", {}, s.section ? el("span", { class: "section-path", text: s.section }) : null, s.heading || (s.section ? "" : "Phần mở đầu")),
      s.chunks.map((c) => el("p", { id: `chunk-${c.chunk_id}`, class: "chunk", "data-chunk": c.chunk_id, text: c.text })),
    ));
  });
  view.append(el("details", { class: "toc-box" }, el("summary", { text: `Mục lục (${doc.sections.length} mục)` }), toc), text);
  const target = targetChunk();
  if (target) {
    const node = document.getElementById(`chunk-${target}`);
    if (node) {
      node.classList.add("highlight");
      node.scrollIntoView({ block: "center" });
    }
  }
}

function wire() {
  if (wired) return;
  wired = true;
  $("library-filter").addEventListener("input", async () => renderList(await libraryDocuments()));
  $("upload-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const file = $("upload-file").files[0];
    const msg = $("admin-message");
    if (!file) {
      msg.textContent = "Hãy chọn một tệp.";
      return;
    }
    const form = new FormData();
    form.append("file", file);
    msg.textContent = "Đang tải lên và lập chỉ mục…";
    try {
      const r = await postForm("/api/documents", form);
      msg.textContent = `Đã lập chỉ mục: ${[...r.added, ...r.updated].join(", ") || "không có thay đổi"} (${r.chunks} đoạn).`;
      renderList(await libraryDocuments(true));
    } catch (err) {
      msg.textContent = err.message;
    }
  });
  $("reindex-btn").addEventListener("click", async () => {
    const msg = $("admin-message");
    msg.textContent = "Đang lập lại chỉ mục…";
    try {
      const r = await postJSON("/api/reindex", {});
      msg.textContent = `Xong: ${r.chunks} đoạn, phiên bản chỉ mục ${r.version || "?"}.`;
      renderList(await libraryDocuments(true));
    } catch (err) {
      msg.textContent = err.message;
    }
  });
}

// path: "/documents" or "/documents/<id>"
export function showLibrary(path) {
  wire();
  const rest = path.replace(/^\/documents\/?/, "");
  if (rest) return showDocument(decodeURIComponent(rest));
  return showList();
}
