// Hạn chót: a filterable table (province, agency, month) with sources and an .ics download.

import { download, getJSON } from "./api.js";
import { $, clear, el, sectionLabel } from "./dom.js";
import { libraryDocuments, openSource } from "./source.js";

let loaded = false;

function query() {
  const p = new URLSearchParams();
  const province = $("dl-province").value;
  const agency = $("dl-agency").value.trim();
  if (province) p.set("province", province);
  if (agency) p.set("agency", agency);
  const s = p.toString();
  return s ? `?${s}` : "";
}

function inMonth(fact, month) {
  if (!month) return true;
  const d = fact.deadline || {};
  if (d.month) return d.month === month;
  if (d.quarter) return Math.ceil(month / 3) === d.quarter;
  return false;
}

const COLUMNS = ["Hạn", "Công việc", "Chủ trì", "Phối hợp", "Tỉnh", "Nguồn"];

function row(f) {
  const cell = (i, ...content) => el("td", { "data-label": COLUMNS[i] }, ...content);
  return el("tr", {},
    cell(0, el("strong", { text: f.deadline ? f.deadline.raw : "" })),
    cell(1, f.task || f.quote),
    cell(2, f.lead || "—"),
    cell(3, (f.cooperating || []).join("; ") || "—"),
    cell(4, f.province || "—"),
    cell(5, el("button", {
      type: "button",
      class: "chip source-chip",
      onclick: () => openSource({ chunk_id: f.chunk_id, quote: f.quote, title: f.title, number: f.number, section: f.section }),
      text: `${f.number || f.title} · ${sectionLabel(f.section)}`,
    })),
  );
}

async function load() {
  const message = $("dl-message");
  const box = clear($("dl-table"));
  message.textContent = "Đang tải…";
  message.classList.remove("error");
  let facts;
  try {
    facts = await getJSON(`/api/deadlines${query()}`);
  } catch (err) {
    message.textContent = err.message;
    message.classList.add("error");
    return;
  }
  const month = Number($("dl-month").value) || 0;
  const shown = facts.filter((f) => inMonth(f, month));
  message.textContent = shown.length
    ? `${shown.length} thời hạn. Bấm vào nguồn để xem đoạn văn bản gốc.`
    : "Không có thời hạn nào khớp bộ lọc.";
  if (!shown.length) return;
  box.append(el("div", { class: "table-wrap" }, el("table", { class: "deadlines" },
    el("thead", {}, el("tr", {}, COLUMNS.map((c) => el("th", { text: c })))),
    el("tbody", {}, shown.map(row)),
  )));
}

export async function showDeadlines() {
  if (loaded) return;
  loaded = true;
  const months = $("dl-month");
  for (let m = 1; m <= 12; m++) months.append(el("option", { value: m, text: `Tháng ${m}` }));
  $("deadline-filters").addEventListener("submit", (e) => {
    e.preventDefault();
    load();
  });
  months.addEventListener("change", load);
  $("dl-province").addEventListener("change", load);
  $("dl-ics").addEventListener("click", async () => {
    try {
      await download(`/api/deadlines.ics${query()}`, undefined, "han-chot-iso.ics");
    } catch (err) {
      $("dl-message").textContent = err.message;
    }
  });
  try {
    const docs = await libraryDocuments();
    const provinces = [...new Set(docs.map((d) => d.province).filter(Boolean))].sort((a, b) => a.localeCompare(b, "vi"));
    for (const p of provinces) $("dl-province").append(el("option", { value: p, text: p }));
  } catch {
    /* the table still loads without the province list */
  }
  await load();
}
