// The live preview beside a letter form: as the user types, the form is posted with
// _preview=1 and the server answers with the letter as it would read, saving nothing.
// Only an answer marked as a preview replaces the preview's body (a sign-in page, say,
// after the session ended, does not).

const DELAY_MS = 400;
const FIELD = "_preview";
const HEADER = "X-Letter-Preview";
const BLOCKS = "h1, h2, p, li, address";

// The first block of the letter whose words changed, in the new body.
function firstChange(before, after) {
  const old = Array.from(before.querySelectorAll(BLOCKS), (block) => block.textContent);
  return Array.from(after.querySelectorAll(BLOCKS)).find((block, i) => block.textContent !== old[i]);
}

// Scroll the preview (not the page around it) to a block it does not show.
function reveal(frame, block) {
  const view = frame.contentWindow;
  const { top, bottom } = block.getBoundingClientRect();
  if (top >= 0 && bottom <= view.innerHeight) return;
  view.scrollTo({ top: view.scrollY + top - view.innerHeight / 3 });
}

function livePreview(form) {
  const frame = document.getElementById(form.dataset.letterPreview);
  if (!frame) return;
  let timer;
  let controller;
  let refused = false;

  async function refresh() {
    controller?.abort();
    controller = new AbortController();
    const data = new FormData(form);
    data.set(FIELD, "1");
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (response.redirected || (response.status >= 400 && response.status < 500)) {
        // Sent to sign in, or the letter can no longer be changed here: stop asking.
        // Saving the form says why.
        refused = true;
        return;
      }
      if (!response.ok || response.headers.get(HEADER) !== "1") return;
      const next = new DOMParser().parseFromString(await response.text(), "text/html");
      const shown = frame.contentDocument;
      if (!shown?.body) return;
      const body = shown.importNode(next.body, true);
      const changed = firstChange(shown.body, body);
      shown.body.replaceWith(body);
      if (changed) reveal(frame, changed);
    } catch {
      // Aborted by a newer keystroke, or the network failed: the next change asks again.
    }
  }

  function later() {
    if (refused) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, DELAY_MS);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
}

export function initLivePreviews() {
  document.querySelectorAll("form[data-letter-preview]").forEach(livePreview);
}
