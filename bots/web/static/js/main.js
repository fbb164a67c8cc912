// Entry point: routes (/, /deadlines, /drafts, /documents[/id], /learn), the API key box.

import { apiKey, getJSON, setApiKey } from "./api.js";
import { $ } from "./dom.js";
import { initChat } from "./chat.js";
import { showDeadlines } from "./deadlines.js";
import { showDrafts } from "./drafts.js";
import { showLearn } from "./learn.js";
import { showLibrary } from "./library.js";
import { closeSource, installSourcePanel, libraryDocuments } from "./source.js";

function viewOf(path) {
  if (path.startsWith("/deadlines")) return "deadlines";
  if (path.startsWith("/drafts")) return "drafts";
  if (path.startsWith("/documents")) return "library";
  if (path.startsWith("/learn")) return "learn";
  return "chat";
}

function route() {
  const path = location.pathname;
  const view = viewOf(path);
  for (const section of document.querySelectorAll("main > .view")) section.hidden = section.dataset.view !== view;
  for (const tab of document.querySelectorAll(".tabs a")) {
    if (tab.dataset.view === view) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  if (view === "deadlines") showDeadlines();
  else if (view === "drafts") showDrafts();
  else if (view === "library") showLibrary(path);
  else if (view === "learn") showLearn(path);
  else if (view === "chat") $("ask-input").focus({ preventScroll: true });
}

export function navigate(href) {
  history.pushState(null, "", href);
  closeSource();
  route();
  if (!location.hash) window.scrollTo(0, 0);
}

function installRouter() {
  document.addEventListener("click", (e) => {
    const a = e.target.closest("a[data-route]");
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin) return;
    e.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
  window.addEventListener("popstate", route);
}

function installKeyBox() {
  const box = $("key-box");
  const input = $("key-input");
  const status = $("key-status");
  const showRole = async () => {
    try {
      const me = await getJSON("/api/me");
      status.textContent = me.role === "admin" ? "Vai trò: quản trị viên." : "Vai trò: người đọc.";
    } catch (err) {
      status.textContent = err.message;
    }
  };
  $("key-btn").addEventListener("click", () => {
    box.hidden = !box.hidden;
    if (!box.hidden) {
      input.value = apiKey();
      showRole();
      input.focus();
    }
  });
  $("key-save").addEventListener("click", async () => {
    setApiKey(input.value.trim());
    await libraryDocuments(true).catch(() => null);
    await showRole();
  });
}

installSourcePanel();
installRouter();
installKeyBox();
initChat();
route();
