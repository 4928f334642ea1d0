// Section pages: show and hide conditional questions, and save each changed answer as it changes.
// Everything also works without this file: the server applies the same conditions, and "Save"
// sends the whole page.
(function () {
  "use strict";

  const form = document.getElementById("section-form");
  if (!form) return;

  const STORAGE_KEY = "cybermaturity:pending:" + form.dataset.submission;
  const statusBox = form.querySelector(".save-status");
  const messages = JSON.parse(document.getElementById("survey-messages").textContent);
  // Question id -> the number of its latest change, so that a change made while a save is under
  // way stays pending when that save comes back. Changes left from an earlier visit count as 0.
  const pending = new Map(Object.keys(loadPending()).map((id) => [id, 0]));
  let changes = 0;
  let timer = null;
  let retryDelay = 2000;
  let inFlight = false;

  // --- Conditions: the same grammar as questionnaires/conditions.py ---

  function questionBlocks() {
    return Array.from(form.querySelectorAll(".question[data-question]"));
  }

  // How each question type's answer is read: the page names it per block (data-read, from the
  // type's `script` in questionnaires/types), so the values match the server's normal form.
  const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  const readers = {
    choice: (inputs) => checkedValue(inputs),
    level: (inputs) => {
      const value = checkedValue(inputs);
      return value === null || value === "n/a" ? value : Number(value);
    },
    choices: (inputs) => {
      const chosen = inputs.filter((i) => i.checked).map((i) => i.value);
      return chosen.length ? chosen : null;
    },
    number: (inputs) => {
      const text = inputs[0].value.trim();
      if (!text) return null;
      const digits = text.replace(/[ \u00a0]/g, "").replace(/,/g, ".");
      return NUMBER.test(digits) ? Number(digits) : text;
    },
    text: (inputs) => inputs[0].value.trim() || null,
    lines: (inputs) => {
      const lines = inputs[0].value.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      return lines.length ? Array.from(new Set(lines)) : null;
    },
  };

  function checkedValue(inputs) {
    const chosen = inputs.find((i) => i.checked);
    return chosen ? chosen.value : null;
  }

  function valueOf(block) {
    const id = block.dataset.question;
    const na = form.elements.namedItem(id + ":na");
    if (na && na.checked) return "n/a";
    const inputs = Array.from(block.querySelectorAll("[name='" + CSS.escape(id) + "']"));
    if (!inputs.length) return null;
    const read = readers[block.dataset.read] || readers.text;
    return read(inputs);
  }

  function isNumber(v) {
    return typeof v === "number" && Number.isFinite(v);
  }

  // Numbers by value (2 equals 2.0), text exactly; no answer is a boolean, so `equals: true`
  // holds for none.
  function equal(value, operand) {
    return value === operand;
  }

  function matches(value, operand) {
    if (Array.isArray(value)) return value.some((item) => equal(item, operand));
    return equal(value, operand);
  }

  function compare(cond, answers) {
    const answered = Object.prototype.hasOwnProperty.call(answers, cond.question);
    const value = answered ? answers[cond.question] : undefined;
    if ("answered" in cond) return answered === cond.answered;
    if (!answered || value === "n/a") return false;
    if ("equals" in cond) return matches(value, cond.equals);
    if ("in" in cond) return cond.in.some((operand) => matches(value, operand));
    if (!isNumber(value)) return false;
    if ("gt" in cond) return value > cond.gt;
    if ("gte" in cond) return value >= cond.gte;
    if ("lt" in cond) return value < cond.lt;
    if ("lte" in cond) return value <= cond.lte;
    return false;
  }

  function evaluate(cond, answers) {
    if ("all" in cond) return cond.all.every((c) => evaluate(c, answers));
    if ("any" in cond) return cond.any.some((c) => evaluate(c, answers));
    if ("not" in cond) return !evaluate(cond.not, answers);
    return compare(cond, answers);
  }

  // Answers of earlier sections that conditions on this page read (those shown), as the server
  // has them.
  const earlier = JSON.parse(form.dataset.answers || "{}");

  // Conditions only look at earlier questions; an answer to a hidden question counts as none.
  function applyConditions() {
    const seen = Object.assign({}, earlier);
    for (const block of questionBlocks()) {
      const raw = block.dataset.showIf;
      const visible = !raw || evaluate(JSON.parse(raw), seen);
      block.hidden = !visible;
      const value = valueOf(block);
      if (visible && value !== null) seen[block.dataset.question] = value;
    }
  }

  // --- Autosave ---

  function loadPending() {
    try {
      return JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "{}");
    } catch (e) {
      return {};
    }
  }

  function rememberPending() {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(pending)));
    } catch (e) {
      /* private mode: the page itself still holds the answers */
    }
  }

  function setStatus(text, kind) {
    if (!statusBox) return;
    statusBox.textContent = text;
    statusBox.dataset.kind = kind || "";
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(flush, delay);
  }

  function payloadFor(ids) {
    const data = new FormData();
    data.append("csrf_token", form.elements.namedItem("csrf_token").value);
    for (const id of ids) {
      const block = form.querySelector(".question[data-question='" + CSS.escape(id) + "']");
      data.append("v:" + id, form.elements.namedItem("v:" + id).value);
      for (const input of block.querySelectorAll("[name]")) {
        if (input.name !== id && input.name !== id + ":na") continue;
        if ((input.type === "radio" || input.type === "checkbox") && !input.checked) continue;
        data.append(input.name, input.value);
      }
    }
    return data;
  }

  async function refreshToken() {
    const response = await fetch(form.dataset.csrfUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) throw new Error("token");
    const body = await response.json();
    form.elements.namedItem("csrf_token").value = body.csrf_token;
  }

  async function flush() {
    if (inFlight || !pending.size) return;
    inFlight = true;
    const sent = new Map(pending);
    const ids = Array.from(sent.keys());
    setStatus(messages.saving, "busy");
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: payloadFor(ids),
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "X-CSRFToken": form.elements.namedItem("csrf_token").value,
        },
      });
      await handle(response, sent);
    } catch (e) {
      setStatus(messages.offline, "error");
      retryLater();
    } finally {
      inFlight = false;
    }
  }

  // The answer as it was sent is settled; a newer change to it is still to be saved.
  function settle(sent, id) {
    if (pending.get(id) === sent.get(id)) pending.delete(id);
  }

  async function handle(response, sent) {
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      for (const [id, version] of Object.entries(body.versions || {})) {
        form.elements.namedItem("v:" + id).value = version;
      }
      const progress = document.querySelector("[data-section-progress]");
      if (progress && typeof body.progress_html === "string") {
        progress.innerHTML = body.progress_html; // rendered and escaped by the server
      }
      sent.forEach((_, id) => {
        settle(sent, id);
        showProblem(id, "");
      });
      rememberPending();
      retryDelay = 2000;
      if (pending.size) {
        setStatus(messages.unsaved, "busy");
        schedule(500);
        return;
      }
      const time = new Date(body.saved_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      setStatus(messages.savedAt.replace("{time}", time), "ok");
      return;
    }
    if (response.status === 400 && body.error === "csrf") {
      await refreshToken();
      schedule(100);
      return;
    }
    if (response.status === 401) {
      setStatus(messages.signedOut, "error");
      retryLater();
      return;
    }
    if (response.status === 409 && body.error === "conflict") {
      body.conflicts.forEach((c) => {
        settle(sent, c.question_id);
        showProblem(c.question_id, messages.conflict.replace("{who}", c.updated_by || "?"));
      });
      rememberPending();
      setStatus(messages.notSaved, "error");
      if (pending.size) schedule(500); // the others sent with it, and newer changes
      return;
    }
    if (response.status === 422 && body.errors) {
      for (const [id, errors] of Object.entries(body.errors)) {
        settle(sent, id);
        showProblem(id, errors.join(" "));
      }
      rememberPending();
      setStatus(messages.notSaved, "error");
      if (pending.size) schedule(500); // the others sent with it, and newer changes
      return;
    }
    setStatus(body.message || messages.notSaved, "error");
    if (response.status >= 500) retryLater();
  }

  function showProblem(id, text) {
    const block = form.querySelector(".question[data-question='" + CSS.escape(id) + "']");
    const box = block && block.querySelector(".autosave-problem");
    if (!box) return;
    box.textContent = text;
    box.hidden = !text;
  }

  function retryLater() {
    retryDelay = Math.min(retryDelay * 2, 60000);
    schedule(retryDelay);
  }

  function onChange(event) {
    const block = event.target.closest(".question[data-question]");
    applyConditions();
    if (!block || !event.target.name || event.target.type === "file") return;
    if (event.target.name.startsWith("link:")) return;
    pending.set(block.dataset.question, ++changes);
    rememberPending();
    setStatus(messages.unsaved, "busy");
    schedule(event.type === "input" ? 1500 : 300);
  }

  form.addEventListener("change", onChange);
  form.addEventListener("input", (event) => {
    if (event.target.tagName === "TEXTAREA" || event.target.type === "text") onChange(event);
  });
  form.addEventListener("submit", () => {
    window.clearTimeout(timer);
    pending.clear();
    rememberPending();
  });
  window.addEventListener("online", () => schedule(100));
  window.addEventListener("beforeunload", (event) => {
    if (pending.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  applyConditions();
  // Answers left unsaved when the page was last closed; a read-only page saves nothing.
  if (pending.size && form.dataset.autosaveUrl) schedule(1000);
})();
