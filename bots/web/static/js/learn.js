// Học ISO: lesson list with progress ticks, province tailoring, a lesson with [n] chips that open the
// source panel, its quiz with feedback, "Hoàn thành bài", and the glossary. DOM is built with
// createElement/textContent only (lesson text goes through a tiny safe Markdown renderer).

import { getJSON, postJSON } from "./api.js";
import { $, clear, el, sectionLabel } from "./dom.js";
import { libraryDocuments, openSource } from "./source.js";

const PROVINCE_KEY = "isoassist.learnProvince";
let provincesLoaded = false;
let glossaryTimer = null;
let glossaryWired = false;

function savedProvince() {
  try {
    return localStorage.getItem(PROVINCE_KEY) || "";
  } catch {
    return "";
  }
}

function saveProvince(value) {
  try {
    if (value) localStorage.setItem(PROVINCE_KEY, value);
    else localStorage.removeItem(PROVINCE_KEY);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

// ------------------------------------------------------------------------------ safe Markdown
function citationChip(c) {
  if (!c.chunk_id) {
    return el("span", { class: "chip static", title: "Tài liệu này chưa có trong kho", text: `[${c.n}]` });
  }
  return el("button", {
    type: "button",
    class: "chip",
    title: `${c.number || c.title} — ${sectionLabel(c.section)}`,
    "data-n": c.n,
    onclick: () => openSource(c),
    text: `[${c.n}]`,
  });
}

// **bold**, *italic* and [n] markers of one line, as DOM nodes.
function inline(text, byN) {
  const out = [];
  const re = /\*\*(.+?)\*\*|\*([^*\s][^*]*?)\*|\[(\d+)\]/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1] !== undefined) out.push(el("strong", {}, inline(m[1], byN)));
    else if (m[2] !== undefined) out.push(el("em", {}, inline(m[2], byN)));
    else {
      const c = byN.get(Number(m[3]));
      out.push(c ? citationChip(c) : m[0]);
    }
    last = re.lastIndex;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

// Headings, paragraphs, bullet and numbered lists.
export function renderLesson(md, citations) {
  const byN = new Map((citations || []).map((c) => [c.n, c]));
  const root = document.createDocumentFragment();
  const lines = (md || "").replace(/\r\n?/g, "\n").split("\n");
  let para = [];
  const flush = () => {
    if (para.length) root.append(el("p", {}, inline(para.join(" "), byN)));
    para = [];
  };
  for (let i = 0; i < lines.length; ) {
    const trimmed = lines[i].trim();
    let m;
    if (!trimmed) {
      flush();
      i++;
    } else if ((m = /^(#{1,6})\s+(.*)$/.exec(trimmed))) {
      flush();
      root.append(el(`h${Math.min(m[1].length + 1, 6)}`, {}, inline(m[2], byN)));
      i++;
    } else if (/^([-*+]|\d+[.)])\s+/.test(trimmed)) {
      flush();
      const ordered = /^\d/.test(trimmed);
      const list = el(ordered ? "ol" : "ul");
      while (i < lines.length && /^\s*([-*+]|\d+[.)])\s+/.test(lines[i])) {
        list.append(el("li", {}, inline(lines[i].trim().replace(/^([-*+]|\d+[.)])\s+/, ""), byN)));
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

// ------------------------------------------------------------------------------ lesson list
async function loadProvinces() {
  if (provincesLoaded) return;
  const select = $("learn-province");
  try {
    const docs = await libraryDocuments();
    const provinces = [...new Set(docs.map((d) => d.province).filter(Boolean))].sort((a, b) => a.localeCompare(b, "vi"));
    for (const p of provinces) select.append(el("option", { value: p, text: p }));
    provincesLoaded = true;
  } catch {
    /* lessons still work without tailoring */
  }
  select.value = savedProvince();
}

function scoreText(score) {
  return score ? ` · kiểm tra ${score.correct}/${score.total}` : "";
}

async function showList() {
  $("learn-home").hidden = false;
  $("lesson-view").hidden = true;
  const list = clear($("lesson-list"));
  const status = $("learn-progress");
  status.textContent = "Đang tải lộ trình…";
  let data;
  try {
    data = await getJSON("/api/learn/lessons");
  } catch (err) {
    status.textContent = err.message;
    status.classList.add("error");
    return;
  }
  status.classList.remove("error");
  const p = data.progress;
  status.textContent = `Đã học ${p.completed.length}/${p.total_lessons} bài.`
    + (p.next_lesson ? ` Bài nên học tiếp: ${p.next_lesson.order}. ${p.next_lesson.title}.` : " Bạn đã học xong lộ trình!");
  for (const s of data.lessons) {
    list.append(el("li", { class: s.done ? "lesson-item done" : "lesson-item", "data-id": s.id },
      el("span", { class: "tick", "aria-label": s.done ? "Đã học" : "Chưa học", text: s.done ? "✓" : String(s.order) }),
      el("div", { class: "lesson-item-text" },
        el("a", { href: `/learn/${encodeURIComponent(s.id)}`, "data-route": "1", text: s.title }),
        el("span", { class: "muted", text: ` · ${s.minutes} phút${scoreText(s.score)}` }),
        el("p", { class: "muted lesson-summary", text: s.summary }),
      ),
    ));
  }
}

// ------------------------------------------------------------------------------ glossary
let glossarySeq = 0;

async function searchGlossary() {
  const q = $("glossary-q").value.trim();
  const seq = ++glossarySeq;
  let data;
  let failure = null;
  try {
    data = await getJSON(`/api/learn/glossary?q=${encodeURIComponent(q)}`);
  } catch (err) {
    failure = err.message;
  }
  if (seq !== glossarySeq) return; // a newer search is on its way
  const out = clear($("glossary-list"));
  if (failure) {
    out.append(el("p", { class: "message error", text: failure }));
    return;
  }
  if (!data.terms.length) {
    out.append(el("p", { class: "muted", text: `Chưa có thuật ngữ “${q}” trong bảng thuật ngữ.` }));
    return;
  }
  for (const t of data.terms) {
    const names = [...t.abbreviations, ...t.aliases];
    out.append(el("div", { class: "term" },
      el("dt", {}, el("strong", { text: t.term }), names.length ? el("span", { class: "muted", text: ` (${names.join(", ")})` }) : null),
      el("dd", {}, t.definition,
        t.source ? el("span", { class: "term-source muted" }, " Nguồn: ", el("q", { text: t.source.quote }), ` — ${t.source.label || t.source.doc_id}, ${sectionLabel(t.source.section)}`) : null,
        t.note ? el("span", { class: "term-source muted", text: ` ${t.note}` }) : null),
    ));
  }
}

function wireGlossary() {
  if (glossaryWired) return;
  glossaryWired = true;
  $("glossary-q").addEventListener("input", () => {
    clearTimeout(glossaryTimer);
    glossaryTimer = setTimeout(searchGlossary, 250);
  });
  $("glossary-box").addEventListener("toggle", () => {
    if ($("glossary-box").open && !$("glossary-list").firstChild) searchGlossary();
  });
  $("learn-province").addEventListener("change", (e) => saveProvince(e.target.value));
}

// ------------------------------------------------------------------------------ quiz
function feedbackNodes(res) {
  return [
    el("strong", { text: res.correct ? "✓ Đúng rồi!" : "✗ Chưa đúng." }),
    res.correct ? null : el("span", {}, " Đáp án đúng: ", el("strong", { text: res.correct_answer })),
    el("p", { text: res.explanation }),
    el("p", { class: "muted" }, "Nguồn: ", citationChip(res.citation), " ",
      res.citation.number || res.citation.title, ` · ${sectionLabel(res.citation.section)}`),
  ];
}

function questionCard(lessonId, q, index, total, onScore) {
  const feedback = el("div", { class: "quiz-feedback", role: "status", hidden: true });
  const card = el("div", { class: "quiz-q", "data-qid": q.id },
    el("p", { class: "quiz-title" }, el("span", { class: "muted", text: `Câu ${index + 1}/${total}. ` }), q.question));
  const submit = async (answer, buttons) => {
    for (const b of buttons) b.disabled = true;
    try {
      const res = await postJSON(`/api/learn/lessons/${encodeURIComponent(lessonId)}/quiz`, { question_id: q.id, answer });
      feedback.className = `quiz-feedback ${res.correct ? "ok" : "bad"}`;
      clear(feedback).append(...feedbackNodes(res).filter(Boolean));
      onScore(res.score);
    } catch (err) {
      feedback.className = "quiz-feedback bad";
      clear(feedback).append(el("span", { text: err.message }));
    }
    feedback.hidden = false;
    for (const b of buttons) b.disabled = false;
  };
  if (q.type === "choice") {
    const choices = el("div", { class: "choices" });
    const buttons = q.choices.map((text, k) => el("button", {
      type: "button", class: "choice", "data-k": k,
      onclick: (e) => {
        for (const b of buttons) b.classList.toggle("picked", b === e.currentTarget);
        submit(k, buttons);
      },
    }, el("span", { class: "choice-letter", text: String.fromCharCode(65 + k) }), text));
    choices.append(...buttons);
    card.append(choices);
  } else {
    const input = el("input", { type: "text", class: "short-answer", maxlength: "300", placeholder: "Nhập câu trả lời ngắn" });
    const btn = el("button", { type: "submit", text: "Trả lời" });
    const form = el("form", { class: "short-form" }, input, btn);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      submit(input.value, [btn]);
    });
    card.append(form);
  }
  card.append(feedback);
  return card;
}

// ------------------------------------------------------------------------------ lesson view
const SHOWN_WARNINGS = 2;

function warningsBox(warnings) {
  if (!warnings.length) return null;
  const messages = [...new Set(warnings.map((w) => w.message))];
  const rest = messages.slice(SHOWN_WARNINGS);
  return el("div", { class: "warnings", role: "note" }, el("strong", { text: "Lưu ý: " }),
    messages.length === 1 ? messages[0] : el("ul", {}, messages.slice(0, SHOWN_WARNINGS).map((m) => el("li", { text: m }))),
    rest.length
      ? el("details", {}, el("summary", { text: `Xem thêm ${rest.length} lưu ý` }),
        el("ul", {}, rest.map((m) => el("li", { text: m }))))
      : null);
}

function sourcesBox(citations) {
  if (!citations.length) return null;
  return el("div", { class: "sources" }, el("h3", { text: "Nguồn" }),
    el("ol", {}, citations.map((c) => el("li", {}, citationChip(c), " ",
      c.chunk_id
        ? el("button", { type: "button", class: "link", onclick: () => openSource(c) }, c.number ? `${c.number} — ${c.title}` : c.title)
        : el("span", { text: c.title }),
      el("span", { class: "muted", text: ` · ${sectionLabel(c.section)}` })))));
}

async function showLesson(lessonId) {
  $("learn-home").hidden = true;
  const view = clear($("lesson-view"));
  view.hidden = false;
  view.append(el("p", { class: "muted", text: "Đang tải bài học…" }));
  await loadProvinces();
  const province = $("learn-province").value;
  let lesson;
  try {
    const qs = province ? `?province=${encodeURIComponent(province)}` : "";
    lesson = await getJSON(`/api/learn/lessons/${encodeURIComponent(lessonId)}${qs}`);
  } catch (err) {
    clear(view).append(el("a", { href: "/learn", "data-route": "1", class: "back", text: "← Danh sách bài" }),
      el("p", { class: "message error", role: "alert", text: err.message }));
    return;
  }
  const scoreLine = el("p", { class: "muted quiz-score", role: "status" });
  const setScore = (s) => { scoreLine.textContent = s ? `Đã trả lời ${s.answered}/${s.total} câu, đúng ${s.correct}.` : ""; };
  setScore(lesson.score);
  const doneBtn = el("button", { type: "button", id: "lesson-done", text: lesson.done ? "✓ Đã hoàn thành" : "Hoàn thành bài" });
  const doneStatus = el("span", { class: "muted", role: "status" });
  doneBtn.addEventListener("click", async () => {
    doneBtn.disabled = true;
    try {
      const p = await postJSON(`/api/learn/lessons/${encodeURIComponent(lesson.id)}/done`, {});
      doneBtn.textContent = "✓ Đã hoàn thành";
      doneStatus.textContent = ` Đã lưu tiến độ: ${p.completed.length}/${p.total_lessons} bài.`;
      if (p.next_lesson) {
        doneStatus.append(" ", el("a", { href: `/learn/${encodeURIComponent(p.next_lesson.id)}`, "data-route": "1",
          text: `Bài tiếp: ${p.next_lesson.title} →` }));
      }
    } catch (err) {
      doneStatus.textContent = ` ${err.message}`;
    }
    doneBtn.disabled = false;
  });
  clear(view).append(
    el("a", { href: "/learn", "data-route": "1", class: "back", text: "← Danh sách bài" }),
    el("h1", { text: `Bài ${lesson.order}/${lesson.total_lessons}: ${lesson.title}` }),
    el("p", { class: "muted", text: `Khoảng ${lesson.minutes} phút${lesson.province ? ` · có phần riêng của ${lesson.province}` : ""}` }),
    warningsBox(lesson.warnings),
    el("div", { class: "lesson-body" }, renderLesson(lesson.markdown, lesson.citations)),
    sourcesBox(lesson.citations),
    lesson.quiz.length
      ? el("section", { class: "quiz" }, el("h2", { text: "Kiểm tra nhanh" }),
        lesson.quiz.map((q, i) => questionCard(lesson.id, q, i, lesson.quiz.length, setScore)), scoreLine)
      : null,
    el("div", { class: "lesson-actions" }, doneBtn, doneStatus),
  );
}

// Entry from the router: /learn (list) or /learn/<lesson id>.
export function showLearn(path) {
  wireGlossary();
  const id = decodeURIComponent(path.replace(/^\/learn\/?/, "").split("/")[0] || "");
  if (id) showLesson(id);
  else {
    loadProvinces();
    showList();
  }
}

// For the chat: a link to the learning path under an onboarding answer.
export function learnLink() {
  return el("p", { class: "learn-cta" }, el("a", { href: "/learn", "data-route": "1", class: "button-link", text: "📘 Bắt đầu học ISO" }));
}
