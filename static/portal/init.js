// Progressive enhancement: GOV.UK Frontend's components, only where modules run.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initLivePreviews } from "./preview.js";

initAll();
initLivePreviews();
