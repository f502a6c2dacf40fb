// The job's page follows its job: while it waits or runs, ask for its state every few
// seconds, say the new stage in the live region, and show the outcome once it is done.
// Without scripts the page has a link to refresh it (no timed refresh: WCAG 2.2.1).
export function initJobStatus() {
  const status = document.querySelector("[data-job-status]");
  if (!status) return;
  const url = status.getAttribute("data-job-status");
  const seconds = Number(status.getAttribute("data-job-refresh") || "2");
  const stage = status.querySelector("[data-job-stage]");

  async function poll() {
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const job = await response.json();
        if (job.finished) {
          window.location.reload();
          return;
        }
        if (stage && job.says && stage.textContent !== job.says) stage.textContent = job.says;
      }
    } catch (error) {
      // The network is away: try again at the next tick; the link still works.
    }
    window.setTimeout(poll, seconds * 1000);
  }
  window.setTimeout(poll, seconds * 1000);
}
