// Soạn thảo: one form per draft kind, generated from /api/draft-kinds; Markdown preview; .docx download.

import { download, getJSON, postJSON } from "./api.js";
import { $, clear, el, renderMarkdown } from "./dom.js";

let kinds = [];
let loaded = false;

const ROW_TYPES = new Set(["steps"]);
const MULTI_LINE = new Set(["list", "steps", "longtext"]);

function defaultText(field) {
  const d = field.default;
  if (d === null || d === undefined) return "";
  if (Array.isArray(d)) {
    return d.map((item) => (item && typeof item === "object" ? Object.values(item).join(" | ") : String(item))).join("\n");
  }
  return String(d);
}

function input(field) {
  const id = `f-${field.name}`;
  const common = { id, name: field.name, "data-type": field.type, required: field.required };
  if (field.type === "bool") {
    return el("input", { ...common, type: "checkbox", checked: field.default === true });
  }
  if (MULTI_LINE.has(field.type)) {
    const rows = field.type === "longtext" ? 5 : 4;
    const ta = el("textarea", { ...common, rows, placeholder: field.type === "list" ? "Mỗi dòng một mục" : "" });
    ta.value = defaultText(field);
    return ta;
  }
  const type = field.type === "int" ? "number" : field.type === "date" ? "date" : "text";
  const node = el("input", { ...common, type, step: field.type === "int" ? "1" : null });
  node.value = defaultText(field);
  return node;
}

function renderForm(kind) {
  const form = clear($("draft-form"));
  const spec = kinds.find((k) => k.kind === kind);
  if (!spec) return;
  const required = spec.fields.filter((f) => f.required);
  const optional = spec.fields.filter((f) => !f.required);
  const block = (f) => el("div", { class: `field field-${f.type}` },
    el("label", { for: `f-${f.name}` }, f.label, f.required ? el("span", { class: "req", title: "Bắt buộc", text: " *" }) : null),
    input(f),
    f.help ? el("small", { class: "help", text: f.help }) : null,
  );
  form.append(...required.map(block));
  if (optional.length) {
    form.append(el("details", { class: "optional" }, el("summary", { text: `Trường không bắt buộc (${optional.length})` }),
      ...optional.map(block)));
  }
}

function collect() {
  const fields = {};
  for (const node of $("draft-form").querySelectorAll("[name]")) {
    const type = node.dataset.type;
    if (type === "bool") {
      fields[node.name] = node.checked;
      continue;
    }
    const value = node.value.trim();
    if (!value) continue;
    if (type === "int") fields[node.name] = Number.isInteger(Number(value)) ? Number(value) : value;
    else if (type === "list" || ROW_TYPES.has(type)) fields[node.name] = value.split("\n").map((l) => l.trim()).filter(Boolean);
    else fields[node.name] = value;
  }
  return { kind: $("draft-kind").value, fields };
}

function showError(message) {
  const box = $("draft-message");
  box.textContent = message;
  box.hidden = !message;
}

async function preview() {
  showError("");
  const out = $("draft-output");
  try {
    const draft = await postJSON("/api/drafts/preview", collect());
    clear(out).append(el("h2", { text: `Xem trước: ${draft.title}` }));
    if (draft.warnings?.length) {
      out.append(el("div", { class: "warnings" }, el("ul", {}, draft.warnings.map((w) => el("li", { text: w.message })))));
    }
    if (draft.placeholders?.length) {
      out.append(el("p", { class: "placeholders" }, "Chỗ cần bổ sung: ", draft.placeholders.join("; ")));
    }
    out.append(el("div", { class: "markdown" }, renderMarkdown(draft.markdown)));
    out.hidden = false;
    out.scrollIntoView({ block: "start" });
  } catch (err) {
    showError(err.message);
  }
}

async function docx() {
  showError("");
  try {
    await download("/api/drafts", collect(), "du-thao.docx");
  } catch (err) {
    showError(err.message);
  }
}

let wired = false;

export async function showDrafts() {
  if (loaded) return;
  loaded = true;
  const select = $("draft-kind");
  if (!wired) {
    wired = true;
    $("draft-preview").addEventListener("click", preview);
    $("draft-download").addEventListener("click", docx);
    select.addEventListener("change", () => {
      renderForm(select.value);
      $("draft-output").hidden = true;
      showError("");
    });
  }
  try {
    kinds = await getJSON("/api/draft-kinds");
  } catch (err) {
    loaded = false;
    showError(err.message);
    return;
  }
  for (const k of kinds) select.append(el("option", { value: k.kind, text: k.title }));
  if (kinds.length) renderForm(kinds[0].kind);
}
