// DOM helpers. Document text is untrusted: everything is built with createElement/textContent,
// never innerHTML.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const c of [children].flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export const $ = (id) => document.getElementById(id);

// Where `quote` sits in `text`: exact, else ignoring case and runs of white space. [start, end) or null.
export function findQuote(text, quote) {
  if (!text || !quote) return null;
  text = text.normalize("NFC");
  quote = quote.normalize("NFC").trim();
  const exact = text.indexOf(quote);
  if (exact >= 0) return [exact, exact + quote.length];
  const squash = (s) => {
    let out = "";
    const map = [];
    let space = false;
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      if (/\s/.test(ch)) {
        if (space) continue;
        space = true;
        out += " ";
      } else {
        space = false;
        out += ch.toLowerCase();
      }
      map.push(i);
    }
    return [out, map];
  };
  const [t, map] = squash(text);
  const [q] = squash(quote);
  const at = t.indexOf(q);
  if (at < 0 || !q) return null;
  return [map[at], map[at + q.length - 1] + 1];
}

// Text nodes with the quote wrapped in <mark class="quote">.
export function markedText(text, quote) {
  const span = findQuote(text, quote);
  if (!span) return [document.createTextNode(text)];
  const [a, b] = span;
  return [
    document.createTextNode(text.slice(0, a)),
    el("mark", { class: "quote", text: text.slice(a, b) }),
    document.createTextNode(text.slice(b)),
  ];
}

const STATUS_LABELS = {
  "còn hiệu lực": ["Còn hiệu lực", "ok"],
  "bị thay thế": ["Đã bị thay thế", "bad"],
  "hết hiệu lực": ["Hết hiệu lực", "bad"],
  "giai đoạn đã kết thúc": ["Giai đoạn đã kết thúc", "old"],
  "chưa xác định": ["Chưa xác định hiệu lực", "unknown"],
};

export function statusBadge(status) {
  const [label, tone] = STATUS_LABELS[status] || [status || "Chưa xác định hiệu lực", "unknown"];
  return el("span", { class: `badge badge-${tone}`, text: label });
}

export function docLabel(d) {
  if (!d) return "";
  return d.number ? `${d.number} — ${d.title}` : d.title;
}

export function sectionLabel(section) {
  return section ? section : "Phần mở đầu";
}

export function chunkHref(docId, chunkId) {
  const base = `/documents/${encodeURIComponent(docId)}`;
  return chunkId ? `${base}?chunk=${encodeURIComponent(chunkId)}#chunk-${encodeURIComponent(chunkId)}` : base;
}

// A small, safe Markdown renderer for draft previews: headings, paragraphs, lists, tables, rules,
// **bold** and *italic*. Builds DOM nodes only.
export function renderMarkdown(md) {
  const root = document.createDocumentFragment();
  const lines = (md || "").replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  let para = [];
  const flush = () => {
    if (para.length) root.append(el("p", {}, inline(para.join(" "))));
    para = [];
  };
  while (i < lines.length) {
    const line = lines[i];
    const trimmed = line.trim();
    let m;
    if (!trimmed) {
      flush();
      i++;
    } else if ((m = /^(#{1,6})\s+(.*)$/.exec(trimmed))) {
      flush();
      root.append(el(`h${Math.min(m[1].length + 1, 6)}`, {}, inline(m[2])));
      i++;
    } else if (/^(-{3,}|\*{3,}|_{3,})$/.test(trimmed)) {
      flush();
      root.append(el("hr"));
      i++;
    } else if (trimmed.startsWith("|")) {
      flush();
      const rows = [];
      while (i < lines.length && lines[i].trim().startsWith("|")) rows.push(lines[i++].trim());
      root.append(table(rows));
    } else if (/^([-*+]|\d+[.)])\s+/.test(trimmed)) {
      flush();
      const ordered = /^\d/.test(trimmed);
      const list = el(ordered ? "ol" : "ul");
      while (i < lines.length && /^\s*([-*+]|\d+[.)])\s+/.test(lines[i])) {
        list.append(el("li", {}, inline(lines[i].trim().replace(/^([-*+]|\d+[.)])\s+/, ""))));
        i++;
      }
      root.append(list);
    } else {
      para.push(trimmed);
      i++;
    }
  }
  flush();
  return root;
}

function table(rows) {
  const cells = (r) => r.replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
  const t = el("table", { class: "md-table" });
  let body = rows;
  if (rows.length > 1 && /^\|?\s*:?-{2,}/.test(rows[1])) {
    t.append(el("thead", {}, el("tr", {}, cells(rows[0]).map((c) => el("th", {}, inline(c))))));
    body = rows.slice(2);
  }
  t.append(el("tbody", {}, body.map((r) => el("tr", {}, cells(r).map((c) => el("td", {}, inline(c)))))));
  return el("div", { class: "table-wrap" }, t);
}

function inline(text) {
  const out = [];
  const re = /\*\*(.+?)\*\*|\*([^*\s][^*]*?)\*/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1] !== undefined) out.push(el("strong", { text: m[1] }));
    else out.push(el("em", { text: m[2] }));
    last = re.lastIndex;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
