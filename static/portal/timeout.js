// The GOV.UK timeout warning. A signed-in page knows when its session would end idle
// (<body data-session-expires-in>); the given time before that (data-session-warning),
// it asks the server how long is really left (another tab, or the page's own requests,
// may have kept the session going) and, if the end is near, opens a modal dialog with a
// countdown, "Stay signed in" and "Sign out". Nothing on the page but a request to the
// server keeps the session going. Once the session has ended, the page keeps what was
// typed (autosave.js) and goes to the sign-in page, which brings the user back here.

const ANNOUNCE_EVERY_S = 20;

function inWords(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

export function initTimeoutWarning() {
  const body = document.body;
  const dialog = document.getElementById("timeout-dialog");
  if (!dialog || !body.dataset.sessionExpiresIn || typeof dialog.showModal !== "function") return;
  const warnMs = Number(body.dataset.sessionWarning) * 1000;
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announce = dialog.querySelector("[data-timeout-announce]");
  const stayForm = dialog.querySelector("[data-timeout-stay]");
  let deadline = Date.now() + Number(body.dataset.sessionExpiresIn) * 1000;
  let timer;
  let ticker;
  let lastAnnounced;
  let returnFocus;

  const left = () => Math.max(0, Math.ceil((deadline - Date.now()) / 1000));

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(0, deadline - warnMs - Date.now()));
  }

  // Seconds the session has left, as the server says; null once it has ended.
  async function secondsLeft() {
    try {
      const response = await fetch(dialog.dataset.sessionStatusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (!response.ok) return null;
      return (await response.json()).expires_in;
    } catch {
      return left(); // the network is away: trust the clock
    }
  }

  async function check() {
    const seconds = await secondsLeft();
    if (seconds === null) return ended();
    deadline = Date.now() + seconds * 1000;
    if (seconds * 1000 > warnMs + 1000) {
      if (dialog.open) close();
      schedule();
    } else if (!dialog.open) warn();
    else if (seconds <= 0) setTimeout(check, 1000); // ending within the second: ask again
    else {
      clearInterval(ticker);
      ticker = setInterval(show, 1000);
    }
  }

  function show() {
    const seconds = left();
    countdown.textContent = inWords(seconds);
    // Said to screen readers when the dialog opens, then now and then, and each of the
    // last few seconds' tens (not every second: that would drown everything else).
    const due = lastAnnounced === undefined || lastAnnounced - seconds >= ANNOUNCE_EVERY_S
      || (seconds <= 20 && seconds % 10 === 0 && seconds !== lastAnnounced);
    if (due) {
      announce.textContent = `For your security, we will sign you out in ${inWords(seconds)}.`;
      lastAnnounced = seconds;
    }
    if (seconds <= 0) {
      clearInterval(ticker);
      check();
    }
  }

  function warn() {
    document.dispatchEvent(new CustomEvent("portal:session-warning"));
    returnFocus = document.activeElement;
    lastAnnounced = undefined;
    dialog.showModal();
    dialog.querySelector("#timeout-title").focus();
    show();
    clearInterval(ticker);
    ticker = setInterval(show, 1000);
  }

  function close() {
    clearInterval(ticker);
    dialog.close();
    announce.textContent = "";
    returnFocus?.focus();
  }

  async function stay() {
    try {
      const response = await fetch(stayForm.action, {
        method: "POST",
        body: new FormData(stayForm),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (!response.ok) return ended();
      deadline = Date.now() + (await response.json()).expires_in * 1000;
    } catch {
      return; // the network is away: the dialog stays, and the user can try again
    }
    close();
    // At the 12-hour limit staying cannot give the full idle time: warn again when due.
    schedule();
  }

  function ended() {
    clearInterval(ticker);
    clearTimeout(timer);
    document.dispatchEvent(new CustomEvent("portal:session-ended"));
    const next = encodeURIComponent(window.location.pathname);
    window.location.assign(`${dialog.dataset.signInUrl}?next=${next}`);
  }

  stayForm.addEventListener("submit", (event) => {
    event.preventDefault();
    stay();
  });
  // Escape closes the warning and stays signed in, as the pattern asks.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  schedule();
}
