// Progressive enhancement: GOV.UK Frontend's components, only where modules run.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initJobStatus } from "./job-status.js";
import { initLivePreviews } from "./preview.js";

initAll();
initLivePreviews();
initJobStatus();
