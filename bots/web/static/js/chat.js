// Chat: streaming answers, [n] citation chips, warnings, refusals with nearest sources, feedback.

import { postJSON, streamSSE } from "./api.js";
import { $, clear, el, sectionLabel } from "./dom.js";
import { learnLink } from "./learn.js";
import { openSource } from "./source.js";

const EXAMPLES = [
  "Chuyển đổi từ ISO 9001:2008 sang 2015 cần làm những gì?",
  "Hạn nộp báo cáo ISO hằng năm là khi nào? Ai chủ trì kiểm tra?",
  "Mức chi tối đa để duy trì HTQLCL mỗi năm là bao nhiêu?",
  "Tôi mới được giao làm ISO, bắt đầu từ đâu?",
];
const MAX_TURNS = 6;

let turns = [];
let busy = false;

function scrollToEnd() {
  const log = $("chat-log");
  log.scrollTop = log.scrollHeight;
  window.scrollTo(0, document.body.scrollHeight);
}

// Answer text with each known [n] turned into a chip that opens its source.
function answerNodes(text, citations) {
  const byN = new Map(citations.map((c) => [c.n, c]));
  const out = [];
  const re = /\[(\d+)\]/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    const c = byN.get(Number(m[1]));
    if (!c) continue;
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(citationChip(c));
    last = re.lastIndex;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function citationChip(c) {
  return el("button", {
    type: "button",
    class: "chip",
    title: `${c.number || c.title} — ${sectionLabel(c.section)}`,
    "data-n": c.n,
    onclick: () => openSource(c),
    text: `[${c.n}]`,
  });
}

function sourcesList(citations) {
  if (!citations.length) return null;
  return el("div", { class: "sources" },
    el("h3", { text: "Nguồn" }),
    el("ol", {}, citations.map((c) => el("li", {},
      citationChip(c), " ",
      el("button", { type: "button", class: "link", onclick: () => openSource(c) },
        c.number ? `${c.number} — ${c.title}` : c.title),
      el("span", { class: "muted", text: ` · ${sectionLabel(c.section)}` }),
    ))),
  );
}

function nearestList(hits) {
  if (!hits.length) return null;
  return el("div", { class: "sources nearest" },
    el("h3", { text: "Nguồn gần nhất" }),
    el("ul", {}, hits.map((h) => el("li", {},
      el("button", { type: "button", class: "link", onclick: () => openSource({ ...h, quote: "" }) },
        h.number ? `${h.number} — ${h.title}` : h.title),
      el("span", { class: "muted", text: ` · ${sectionLabel(h.section)}` }),
      el("p", { class: "snippet", text: h.text.length > 220 ? `${h.text.slice(0, 220)}…` : h.text }),
    ))),
  );
}

const SHOWN_WARNINGS = 2;

function warningsBanner(warnings) {
  if (!warnings.length) return null;
  const first = warnings.slice(0, SHOWN_WARNINGS);
  const rest = warnings.slice(SHOWN_WARNINGS);
  return el("div", { class: "warnings", role: "note" },
    el("strong", { text: "Lưu ý: " }),
    warnings.length === 1
      ? warnings[0].message
      : el("ul", {}, first.map((w) => el("li", { text: w.message }))),
    rest.length
      ? el("details", {}, el("summary", { text: `Xem thêm ${rest.length} lưu ý` }),
        el("ul", {}, rest.map((w) => el("li", { text: w.message }))))
      : null,
  );
}

function feedbackBox(question, answer) {
  const box = el("div", { class: "feedback" });
  const comment = el("input", { type: "text", class: "fb-comment", placeholder: "Nhận xét (không bắt buộc)", maxlength: "2000", hidden: true });
  const sendBtn = el("button", { type: "button", class: "secondary fb-send", hidden: true, text: "Gửi góp ý" });
  const status = el("span", { class: "muted fb-status", role: "status" });
  let useful = null;
  const choose = (value) => {
    useful = value;
    up.classList.toggle("on", value);
    down.classList.toggle("on", !value);
    comment.hidden = false;
    sendBtn.hidden = false;
    comment.focus();
  };
  const up = el("button", { type: "button", class: "fb fb-up", title: "Hữu ích", "aria-label": "Hữu ích", text: "👍 Có", onclick: () => choose(true) });
  const down = el("button", { type: "button", class: "fb fb-down", title: "Chưa hữu ích", "aria-label": "Chưa hữu ích", text: "👎 Không", onclick: () => choose(false) });
  sendBtn.addEventListener("click", async () => {
    sendBtn.disabled = true;
    try {
      const res = await postJSON("/api/feedback", {
        question, answer: answer.answer, citations: answer.citations, useful, comment: comment.value.trim(),
      });
      status.textContent = res.message || "Đã ghi nhận góp ý.";
      comment.hidden = true;
      sendBtn.hidden = true;
      up.disabled = true;
      down.disabled = true;
    } catch (err) {
      status.textContent = err.message;
      sendBtn.disabled = false;
    }
  });
  box.append(el("span", { class: "muted", text: "Câu trả lời có hữu ích không?" }), up, down, comment, sendBtn, status);
  return box;
}

function renderFinal(card, question, answer) {
  const body = clear(card.querySelector(".answer-body"));
  card.classList.toggle("refused", !!answer.refused);
  const banner = warningsBanner(answer.warnings || []);
  if (banner) card.insertBefore(banner, body);
  body.append(el("div", { class: "answer-text" }, answerNodes(answer.answer, answer.citations || [])));
  if (answer.refused) body.append(nearestList(answer.nearest || []));
  else body.append(sourcesList(answer.citations || []));
  if (answer.route === "onboarding") body.append(learnLink());
  body.append(feedbackBox(question, answer));
}

async function ask(question) {
  if (busy || !question.trim()) return;
  busy = true;
  $("ask-send").disabled = true;
  $("welcome")?.remove();
  const log = $("chat-log");
  log.append(el("div", { class: "msg user", text: question }));
  const streaming = el("div", { class: "answer-text streaming" });
  const card = el("div", { class: "msg bot" }, el("div", { class: "answer-body" }, streaming,
    el("p", { class: "muted typing", text: "Đang tìm trong tài liệu…" })));
  log.append(card);
  scrollToEnd();
  let final = null;
  let failure = null;
  try {
    await streamSSE("/api/ask/stream", { question, history: turns.slice(-MAX_TURNS) }, (event, data) => {
      if (event === "delta") {
        streaming.append(JSON.parse(data).text);
        scrollToEnd();
      } else if (event === "answer") {
        final = JSON.parse(data);
      } else if (event === "error") {
        failure = JSON.parse(data).error;
      }
    });
  } catch (err) {
    failure = err.message;
  }
  if (final) {
    renderFinal(card, question, final);
    turns.push({ question, answer: final.answer });
  } else {
    clear(card.querySelector(".answer-body")).append(
      el("p", { class: "message error", text: failure || "Không nhận được câu trả lời. Vui lòng thử lại." }));
  }
  scrollToEnd();
  busy = false;
  $("ask-send").disabled = false;
}

export function initChat() {
  const examples = $("examples");
  for (const q of EXAMPLES) {
    examples.append(el("button", { type: "button", class: "example", text: q, onclick: () => ask(q) }));
  }
  const input = $("ask-input");
  $("ask-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    input.value = "";
    ask(q);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      $("ask-form").requestSubmit();
    }
  });
  $("new-chat").addEventListener("click", () => {
    turns = [];
    for (const m of [...$("chat-log").querySelectorAll(".msg")]) m.remove();
    input.focus();
  });
}
