// Calls to the JSON API, with the API key (if any) from localStorage.

const KEY_NAME = "isoassist.apiKey";

export function apiKey() {
  try {
    return localStorage.getItem(KEY_NAME) || "";
  } catch {
    return "";
  }
}

export function setApiKey(key) {
  try {
    if (key) localStorage.setItem(KEY_NAME, key);
    else localStorage.removeItem(KEY_NAME);
  } catch {
    /* private mode: the key lasts for this page only */
  }
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function headers(extra = {}) {
  const h = { ...extra };
  const key = apiKey();
  if (key) h["X-API-Key"] = key;
  return h;
}

async function errorOf(resp) {
  let message = `Máy chủ trả lỗi ${resp.status}.`;
  try {
    const body = await resp.json();
    if (body && body.error) message = body.error;
  } catch {
    /* not JSON */
  }
  return new ApiError(resp.status, message);
}

async function send(path, options) {
  let resp;
  try {
    resp = await fetch(path, { ...options, headers: headers(options.headers) });
  } catch {
    throw new ApiError(0, "Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.");
  }
  if (!resp.ok) throw await errorOf(resp);
  return resp;
}

export async function getJSON(path) {
  return (await send(path, { method: "GET" })).json();
}

export async function postJSON(path, body) {
  const resp = await send(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return resp.json();
}

export async function postForm(path, form) {
  return (await send(path, { method: "POST", body: form })).json();
}

function fileNameOf(resp, fallback) {
  const cd = resp.headers.get("Content-Disposition") || "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain ? plain[1] : fallback;
}

// Fetch a file (GET or POST JSON) and hand it to the browser as a download.
export async function download(path, body, fallbackName) {
  const options = body === undefined
    ? { method: "GET" }
    : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const resp = await send(path, options);
  const blob = await resp.blob();
  const name = fileNameOf(resp, fallbackName);
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

// POST a JSON body and read a Server-Sent Events stream: onEvent(name, data) per event.
export async function streamSSE(path, body, onEvent) {
  const resp = await send(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify(body),
  });
  const reader = resp.body.getReader();
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  let pendingCR = "";
  const dispatch = (block) => {
    let name = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") name = value;
      else if (field === "data") data.push(value);
    }
    if (data.length) onEvent(name, data.join("\n"));
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    let text = pendingCR + decoder.decode(value, { stream: true });
    pendingCR = "";
    if (text.endsWith("\r")) {
      pendingCR = "\r"; // the \n of a \r\n may come in the next chunk
      text = text.slice(0, -1);
    }
    buffer += text.replace(/\r\n?/g, "\n");
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      dispatch(buffer.slice(0, cut));
      buffer = buffer.slice(cut + 2);
    }
  }
  if (buffer.trim()) dispatch(buffer);
}
