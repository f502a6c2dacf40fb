// Never lose a word: what is typed in a form marked data-autosave is kept in this browser
// (localStorage, keyed by the user and the form's path) as it is typed, and on the server
// every 10 seconds while it changes, until the form is saved or the text discarded.
// Opening the form again offers the text back in a GOV.UK notification banner. Without
// scripts the server's copy is offered by the page itself (autosave/banner.html).

const LOCAL_DELAY_MS = 500;
const SERVER_EVERY_MS = 10_000;
const NOT_KEPT = new Set(["csrfmiddlewaretoken", "_preview", "_autosave_owner"]);
const NOT_TYPED = new Set(["password", "file", "submit", "button", "reset", "image"]);

// The form's values as it would post them: {name: [values]}. typed: visible fields only.
function valuesOf(form, typed = false) {
  const data = {};
  for (const field of form.elements) {
    const { name, type } = field;
    if (!name || field.disabled || NOT_KEPT.has(name) || NOT_TYPED.has(type)) continue;
    if (typed && type === "hidden") continue;
    if ((type === "checkbox" || type === "radio") && !field.checked) continue;
    const values = type === "select-multiple"
      ? Array.from(field.selectedOptions, (option) => option.value)
      : [field.value];
    (data[name] ||= []).push(...values);
  }
  return data;
}

function same(a, b) {
  const clean = (data) => JSON.stringify(
    Object.keys(data).sort().map((name) => [name, data[name].map((v) => v.trim())]),
  );
  return clean(a) === clean(b);
}

function typedPart(form, data) {
  const typed = valuesOf(form, true);
  return Object.fromEntries(Object.keys(typed).map((name) => [name, data[name] || [""]]));
}

function fill(form, data) {
  for (const field of form.elements) {
    const { name, type } = field;
    if (!name || !(name in data) || NOT_KEPT.has(name) || NOT_TYPED.has(type)) continue;
    const values = data[name];
    if (type === "checkbox" || type === "radio") field.checked = values.includes(field.value);
    else if (type === "select-multiple") {
      for (const option of field.options) option.selected = values.includes(option.value);
    } else field.value = values[0] ?? "";
  }
  // Checkboxes left out of the kept values were not ticked.
  for (const field of form.querySelectorAll("input[type=checkbox]")) {
    if (!(field.name in data)) field.checked = false;
  }
  form.dispatchEvent(new Event("input", { bubbles: true }));
}

function read(storeKey) {
  try {
    return JSON.parse(window.localStorage.getItem(storeKey));
  } catch {
    return null;
  }
}

function when(at) {
  const date = new Date(at);
  const time = date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  if (date.toDateString() === new Date().toDateString()) return time;
  return `${time} on ${date.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" })}`;
}

function autosave(form) {
  const key = form.dataset.autosave;
  const storeKey = `portal-autosave:${form.dataset.autosaveUser}:${key}`;
  let changed = false; // since the server last kept it
  let pending = false; // typed, and not yet in this browser's copy
  let stopped = false;
  let submitting = false;
  let timer;

  function keepLocal() {
    clearTimeout(timer);
    pending = false;
    if (submitting) return;
    try {
      window.localStorage.setItem(storeKey, JSON.stringify({ at: Date.now(), data: valuesOf(form) }));
    } catch {
      // Storage is full or refused: the server's copy still keeps the text.
    }
  }

  function body() {
    const data = new FormData(form);
    data.delete("_preview");
    data.set("_autosave_key", key);
    return data;
  }

  async function keepOnServer() {
    if (!changed || stopped || submitting) return;
    changed = false;
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: body(),
        credentials: "same-origin",
        redirect: "manual",
      });
      // Signed out, or a form the server will not keep: the browser's copy still does.
      if (response.status !== 204) stopped = true;
    } catch {
      changed = true; // the network is away: try again at the next tick
    }
  }

  function discardOnServer() {
    const data = new FormData();
    data.set("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken?.value || "");
    data.set("_autosave_key", key);
    fetch(form.dataset.autosaveDiscardUrl, { method: "POST", body: data, credentials: "same-origin", redirect: "manual" })
      .catch(() => {});
  }

  function offer(kept) {
    const template = document.querySelector("template[data-autosave-template]");
    if (!template) return;
    const banner = template.content.firstElementChild.cloneNode(true);
    banner.querySelector("[data-autosave-when]").textContent = when(kept.at);
    const firstField = () => form.querySelector("input:not([type=hidden]), textarea, select");
    banner.querySelector("[data-autosave-restore]").addEventListener("click", () => {
      fill(form, kept.data);
      banner.remove();
      firstField()?.focus();
    });
    banner.querySelector("[data-autosave-discard]").addEventListener("click", () => {
      window.localStorage.removeItem(storeKey);
      discardOnServer();
      banner.remove();
      firstField()?.focus();
    });
    template.after(banner);
  }

  // On load: offer text kept in this browser if the form does not say it already, and it
  // is newer than what the server offers (the server's banner then goes).
  const kept = read(storeKey);
  if (kept?.data && !same(typedPart(form, kept.data), valuesOf(form, true))) {
    const server = document.querySelector("[data-autosave-banner][data-autosave-at]");
    if (!server || kept.at > Number(server.dataset.autosaveAt)) {
      server?.remove();
      offer(kept);
    }
  }

  function typing() {
    changed = true;
    pending = true;
    clearTimeout(timer);
    timer = setTimeout(keepLocal, LOCAL_DELAY_MS);
  }

  form.addEventListener("input", typing);
  form.addEventListener("change", typing);
  form.addEventListener("submit", () => {
    // Saved or refused, the server answers with the text: the page it returns keeps it
    // (a form with errors, the page of a refused save, or the sign-in page that keeps it).
    submitting = true;
    clearTimeout(timer);
    window.localStorage.removeItem(storeKey);
  });
  window.setInterval(keepOnServer, SERVER_EVERY_MS);
  // The timeout warning (timeout.js): keep everything now, before the session ends.
  document.addEventListener("portal:session-warning", () => {
    if (pending) keepLocal();
    keepOnServer();
  });
  document.addEventListener("portal:session-ended", () => {
    if (pending) keepLocal();
  });
}

export function initAutosave() {
  if (!window.localStorage || !window.fetch) return;
  document.querySelectorAll("form[data-autosave]").forEach(autosave);
}
