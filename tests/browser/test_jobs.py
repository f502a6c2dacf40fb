"""The job's page, as its user sees it while the worker prints and after: axe finds
nothing serious, on a phone's width, with or without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from jobs.models import Job
from tests.browser.axe import assert_no_serious_violations

pytestmark = pytest.mark.django_db(transaction=True)

STATES = {
    Job.State.QUEUED: {"stage": "", "message": "", "result": {}},
    Job.State.RUNNING: {"stage": "Printing the letter", "message": "", "result": {}},
    Job.State.DONE: {
        "stage": "",
        "message": "",
        "result": {
            "message": "Letter published as version 1.",
            "link": "/review/",
            "link_text": "Back to letters to review",
        },
    },
    Job.State.FAILED: {
        "stage": "",
        "message": "The letter took longer than 60 seconds to print",
        "result": {"back": "/review/"},
    },
}
SAYS = {
    Job.State.QUEUED: "Waiting for the next free worker.",
    Job.State.RUNNING: "Printing the letter.",
    Job.State.DONE: "Letter published as version 1.",
    Job.State.FAILED: "The letter took longer than 60 seconds to print",
}


@pytest.mark.parametrize("state", list(STATES))
def test_the_jobs_page_reads_well_in_every_state(new_page, sign_in, inspector, state):
    job = Job.objects.create(
        key=f"browser:{state}",
        label="Publishing the letter",
        requested_by=inspector,
        state=state,
        **STATES[state],
    )
    page = sign_in(new_page(), inspector)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/jobs/{job.pk}/")
    expect(page.get_by_text(SAYS[state])).to_be_visible()
    assert_no_serious_violations(page)


def test_the_page_follows_its_job_to_the_end(new_page, sign_in, inspector):
    """With scripts, the stage and then the outcome appear without a click."""
    job = Job.objects.create(
        key="browser:follow",
        label="Publishing the letter",
        requested_by=inspector,
        state=Job.State.QUEUED,
    )
    page = sign_in(new_page(), inspector)
    page.goto(f"/jobs/{job.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Waiting for the next free worker.")
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, stage="Printing the letter")
    expect(page.get_by_role("status")).to_contain_text("Printing the letter.")
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.DONE, result={"title": "Letter published", "link": "/review/"}
    )
    expect(page.locator(".govuk-panel__title")).to_have_text("Letter published")


def test_without_javascript_a_link_refreshes_the_page(browser, live_server, sign_in, inspector):
    job = Job.objects.create(
        key="browser:refresh",
        label="Publishing the letter",
        requested_by=inspector,
        state=Job.State.RUNNING,
        stage="Printing the letter",
    )
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = sign_in(context.new_page(), inspector)
        page.goto(f"/jobs/{job.pk}/")
        expect(page.get_by_text("Printing the letter.")).to_be_visible()
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.DONE,
            result={"title": "Letter published", "message": "Letter published as version 1."},
        )
        page.get_by_role("link", name="Refresh this page").click()
        expect(page.locator(".govuk-panel__title")).to_have_text("Letter published")
        expect(page).to_have_url(re.compile(rf"/jobs/{job.pk}/$"))
    finally:
        context.close()
