// Progressive enhancement: GOV.UK Frontend's components, only where modules run.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initAutosave } from "./autosave.js";
import { initJobStatus } from "./job-status.js";
import { initLivePreviews } from "./preview.js";
import { initTimeoutWarning } from "./timeout.js";

initAll();
initLivePreviews();
initJobStatus();
initAutosave();
initTimeoutWarning();
