/* Chat widget of the Lai Châu admissions assistant. One tag on the college's site:
 *   <script src="https://ASSISTANT/webhooks/webchat/widget.js" data-title="Tư vấn tuyển sinh"
 *           data-color="#0b6e4f" data-greeting="Xin chào!" defer></script>
 * No framework, no external resources. Talks to Rasa's REST channel. Text from users and
 * from the assistant is always inserted as text (textContent), never as HTML. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[src*='widget.js']");
  var cfg = script ? script.dataset : {};
  var server = (cfg.server || (script ? new URL(script.src, location.href).origin : location.origin)).replace(/\/$/, "");
  var title = cfg.title || "Tư vấn tuyển sinh - Trường Cao đẳng Lai Châu";
  var color = /^#[0-9a-fA-F]{3,8}$/.test(cfg.color || "") ? cfg.color : "#0b6e4f";
  var greeting = cfg.greeting || "Xin chào! Bạn cần tư vấn về ngành nghề, học phí hay chính sách hỗ trợ?";
  var KEY = "laichau-widget:" + server;
  var MAX_KEPT = 100;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || null; } catch (e) { return null; }
  }
  function newSender() {
    // 128 random bits: the id also keys the counsellor's replies in the inbox (SECURITY.md).
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return "web-" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  var state = load() || { sender: newSender(), log: [], pending: [] };
  function save() {
    state.log = state.log.slice(-MAX_KEPT);
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode: keep in memory */ }
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  var css = "" +
    ".lcw-launch{position:fixed;right:16px;bottom:16px;z-index:2147483000;border:0;border-radius:28px;padding:14px 18px;" +
    "font:600 15px system-ui,sans-serif;color:#fff;background:" + color + ";box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer}" +
    ".lcw-panel{position:fixed;right:16px;bottom:16px;z-index:2147483001;width:min(380px,calc(100vw - 32px));" +
    "height:min(600px,calc(100vh - 32px));display:none;flex-direction:column;background:#fff;border-radius:12px;" +
    "box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden;font:15px/1.45 system-ui,sans-serif;color:#1d1d1d}" +
    ".lcw-open .lcw-panel{display:flex}.lcw-open .lcw-launch{display:none}" +
    "@media (max-width:480px){.lcw-panel{right:0;bottom:0;width:100vw;height:100vh;border-radius:0}}" +
    ".lcw-head{display:flex;align-items:center;justify-content:space-between;padding:12px 14px;color:#fff;background:" + color + "}" +
    ".lcw-head h2{margin:0;font-size:16px}.lcw-close{border:0;background:transparent;color:#fff;font-size:22px;cursor:pointer}" +
    ".lcw-tools{display:flex;align-items:center;gap:6px}.lcw-clear{border:1px solid rgba(255,255,255,.7);background:transparent;" +
    "color:#fff;border-radius:12px;padding:3px 8px;font:13px system-ui,sans-serif;cursor:pointer}" +
    ".lcw-log{flex:1;overflow-y:auto;padding:10px}" +
    ".lcw-msg{max-width:85%;margin:6px 0;padding:8px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}" +
    ".lcw-user{margin-left:auto;background:" + color + ";color:#fff}.lcw-bot{background:#eef2f0}" +
    ".lcw-pending{opacity:.6}.lcw-status{font-size:13px;color:#8a4b00;padding:0 12px}" +
    ".lcw-buttons{display:flex;flex-wrap:wrap;gap:6px;margin:2px 0 8px}" +
    ".lcw-buttons button{border:1px solid " + color + ";color:" + color + ";background:#fff;border-radius:16px;padding:6px 10px;cursor:pointer;font:inherit}" +
    ".lcw-buttons button:focus,.lcw-send:focus,.lcw-input:focus{outline:3px solid #f2b300;outline-offset:1px}" +
    ".lcw-form{display:flex;gap:8px;padding:10px;border-top:1px solid #ddd}" +
    ".lcw-input{flex:1;min-width:0;padding:10px;border:1px solid #aaa;border-radius:8px;font:16px system-ui,sans-serif}" +
    ".lcw-send{border:0;border-radius:8px;padding:0 16px;color:#fff;background:" + color + ";font:600 15px system-ui,sans-serif;cursor:pointer}";
  document.head.appendChild(el("style", {}, css));

  var root = el("div", { "class": "lcw", id: "lcw-root" });
  var launch = el("button", { "class": "lcw-launch", type: "button", "aria-label": "Mở cửa sổ tư vấn tuyển sinh" }, "Tư vấn tuyển sinh");
  var panel = el("section", { "class": "lcw-panel", role: "dialog", "aria-label": title });
  var head = el("div", { "class": "lcw-head" });
  head.appendChild(el("h2", {}, title));
  var tools = el("div", { "class": "lcw-tools" });
  // On a shared computer (a school's, a family's), the conversation (name, phone) stays in this
  // browser until it is cleared here.
  var clear = el("button", { "class": "lcw-clear", type: "button", title: "Xóa cuộc trò chuyện trên máy này" }, "Xóa trên máy này");
  var close = el("button", { "class": "lcw-close", type: "button", "aria-label": "Đóng cửa sổ tư vấn" }, "×");
  tools.appendChild(clear); tools.appendChild(close);
  head.appendChild(tools);
  var log = el("div", { "class": "lcw-log", role: "log", "aria-live": "polite", "aria-label": "Nội dung trò chuyện" });
  var status = el("div", { "class": "lcw-status", role: "status", "aria-live": "assertive" });
  var form = el("form", { "class": "lcw-form" });
  var input = el("input", { "class": "lcw-input", type: "text", autocomplete: "off", maxlength: "1000",
    placeholder: "Nhập câu hỏi...", "aria-label": "Câu hỏi của bạn" });
  var send = el("button", { "class": "lcw-send", type: "submit" }, "Gửi");
  form.appendChild(input); form.appendChild(send);
  [head, log, status, form].forEach(function (n) { panel.appendChild(n); });
  root.appendChild(launch); root.appendChild(panel);

  function scroll() { log.scrollTop = log.scrollHeight; }

  function renderButtons(buttons) {
    var row = el("div", { "class": "lcw-buttons", role: "group", "aria-label": "Gợi ý câu hỏi" });
    buttons.forEach(function (b) {
      var btn = el("button", { type: "button" }, b.title);
      btn.addEventListener("click", function () { ask(b.payload, b.title); });
      row.appendChild(btn);
    });
    log.appendChild(row);
  }

  function render(entry) {
    var node = el("div", { "class": "lcw-msg " + (entry.who === "user" ? "lcw-user" : "lcw-bot") }, entry.text);
    log.appendChild(node);
    if (entry.buttons && entry.buttons.length) { renderButtons(entry.buttons); }
    scroll();
    return node;
  }

  function remember(entry) { state.log.push(entry); save(); return render(entry); }

  var sending = false;
  var retryDelay = 1000;

  function flush() {
    if (sending || !state.pending.length) { return; }
    sending = true;
    var item = state.pending[0];
    fetch(server + "/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.sender, message: item.message, metadata: { channel: "webchat" } })
    }).then(function (r) {
      if (r.status === 429 || r.status === 413) {
        // Too fast (kept, sent again after Retry-After) or too long (dropped): say why.
        return r.json().then(function (body) {
          var note = (body && body[0] && body[0].text) || "";
          if (r.status === 413) { state.pending.shift(); save(); sending = false; status.textContent = note; flush(); return null; }
          status.textContent = note;
          var wait = parseInt(r.headers.get("Retry-After") || "5", 10);
          setTimeout(function () { sending = false; flush(); }, Math.max(1, wait) * 1000);
          return null;
        });
      }
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    }).then(function (replies) {
      if (replies === null) { return; }
      state.pending.shift();
      save();
      document.querySelectorAll(".lcw-pending").forEach(function (n) { n.classList.remove("lcw-pending"); });
      status.textContent = "";
      retryDelay = 1000;
      var first = null;
      (replies || []).forEach(function (m) {
        if (m.text || (m.buttons && m.buttons.length)) {
          var node = remember({ who: "bot", text: m.text || "", buttons: m.buttons || [] });
          first = first || node;
        }
      });
      // A long answer is read from its start, not from its end: the view goes to its first line.
      if (first) {
        var above = first.getBoundingClientRect().top - log.getBoundingClientRect().top;
        if (above < 0) { log.scrollTop += above - 8; }
      }
      sending = false;
      flush();
    }).catch(function () {
      sending = false;
      status.textContent = "Mất kết nối, đang thử gửi lại... (tin nhắn của bạn vẫn được giữ)";
      setTimeout(flush, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 15000);
    });
  }

  function ask(message, shown) {
    var node = remember({ who: "user", text: shown || message });
    node.classList.add("lcw-pending");
    state.pending.push({ message: message });
    save();
    flush();
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    ask(text);
  });
  function greet() {
    remember({ who: "bot", text: greeting, buttons: [
      { title: "Các ngành đào tạo", payload: "/ask_programmes" },
      { title: "Học phí", payload: "/ask_tuition" },
      { title: "Chính sách hỗ trợ", payload: "/ask_policy" }] });
  }
  clear.addEventListener("click", function () {
    if (!window.confirm("Xóa cuộc trò chuyện này khỏi máy? (Thông tin bạn đã gửi cho trường vẫn được giữ; muốn xóa cả ở trường, gõ \"xóa thông tin của tôi\" trước.)")) { return; }
    try { localStorage.removeItem(KEY); } catch (e) { /* private mode */ }
    state = { sender: newSender(), log: [], pending: [] };
    while (log.firstChild) { log.removeChild(log.firstChild); }
    status.textContent = "Đã xóa cuộc trò chuyện trên máy này.";
    greet();
    input.focus();
  });
  function open() { root.classList.add("lcw-open"); input.focus(); scroll(); }
  launch.addEventListener("click", open);
  close.addEventListener("click", function () { root.classList.remove("lcw-open"); launch.focus(); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && root.classList.contains("lcw-open")) { close.click(); }
  });
  window.addEventListener("online", flush);

  // A counsellor who takes over the conversation writes from the staff console; while the
  // panel is open the widget asks every few seconds for their messages.
  var POLL_MS = 5000;
  function poll() {
    if (!root.classList.contains("lcw-open")) { return; }
    fetch(server + "/webhooks/webchat/inbox?sender=" + encodeURIComponent(state.sender) + "&after=" + (state.staffSeen || 0))
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (messages) {
        messages.forEach(function (m) {
          state.staffSeen = Math.max(state.staffSeen || 0, m.id);
          remember({ who: "bot", text: m.text, buttons: [] });
        });
      }).catch(function () { /* offline: try again later */ });
  }
  setInterval(poll, POLL_MS);

  function start() {
    document.body.appendChild(root);
    if (!state.log.length) { greet(); }
    else { state.log.forEach(render); }
    if (cfg.open === "true") { open(); }
    flush();  // messages that could not be sent before a reload
  }
  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }
  window.LaiChauWidget = { open: open };
})();
