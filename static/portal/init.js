// Progressive enhancement: GOV.UK Frontend's components, only where modules run.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
