"""The task worker: each job once, failures that may pass retried, a refusal not, and a
task whose worker died run again by another (jobs.services, manage.py run_worker)."""

import datetime

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs import services
from jobs.models import Job, WorkerBeat
from tests.jobs import tasks
from tests.jobs.worker import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def queued_to_the_database(database_queue, settings):
    settings.TASK_WORKER_LOST_SECONDS = 30
    tasks.reset()


def job_of(key):
    return Job.objects.get(key=key)


def test_asking_twice_for_one_job_queues_it_once():
    first = services.submit(tasks.works, key="k", label="Work", args=("a",))
    again = services.submit(tasks.works, key="k", label="Work", args=("a",))
    assert again.pk == first.pk
    assert DBTaskResult.objects.count() == 1


def test_a_queued_job_waits_for_the_worker():
    services.submit(tasks.works, key="k", label="Work", args=("a",))
    assert job_of("k").state == Job.State.QUEUED
    assert tasks.RUNS["k"] == 0


def test_the_worker_runs_a_job_and_records_its_result():
    services.submit(tasks.works, key="k", label="Work", args=("a",))
    run_worker()
    job = job_of("k")
    assert (job.state, job.result, job.attempts) == (Job.State.DONE, {"note": "a"}, 1)
    assert job.finished_at is not None


def test_a_failure_that_may_pass_is_retried_until_it_works():
    services.submit(tasks.fails_then_works, key="k", label="Work", args=(2,))
    run_worker()
    job = job_of("k")
    assert tasks.RUNS["k"] == 3
    assert (job.state, job.attempts) == (Job.State.DONE, 3)
    assert tasks.GAVE_UP == []


def test_a_retry_waits_longer_each_time(settings):
    settings.TASK_RETRY_SECONDS = 10
    services.submit(tasks.fails_then_works, key="k", label="Work", args=(1,))
    before = timezone.now()
    run_worker()
    queued = DBTaskResult.objects.get()
    assert queued.status == TaskResultStatus.READY
    assert queued.run_after >= before + datetime.timedelta(seconds=10)
    assert job_of("k").state == Job.State.QUEUED
    assert job_of("k").message == "Something went wrong (Flaky)."


def test_a_job_that_keeps_failing_gives_up_after_the_last_run():
    services.submit(tasks.fails_then_works, key="k", label="Work", args=(99,))
    run_worker()
    assert tasks.RUNS["k"] == 3
    assert job_of("k").state == Job.State.FAILED
    assert tasks.GAVE_UP == [("k", "Flaky", (99,))]
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED


def test_a_refusal_is_not_retried():
    services.submit(tasks.refused, key="k", label="Work")
    run_worker()
    job = job_of("k")
    assert tasks.RUNS["k"] == 1
    assert (job.state, job.message) == (Job.State.FAILED, "You may not do this")
    assert tasks.GAVE_UP == [("k", "PermissionDenied", ())]


def test_a_failed_job_asked_for_again_runs_again():
    services.submit(tasks.refused, key="k", label="Work")
    run_worker()
    again = services.submit(tasks.refused, key="k", label="Work")
    assert again.state == Job.State.QUEUED
    assert again.message == ""
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_a_task_delivered_again_after_its_job_is_done_does_nothing():
    job = services.submit(tasks.works, key="k", label="Work", args=("a",))
    run_worker()
    tasks.works.enqueue(job.pk, "a")  # the same job, delivered a second time
    run_worker()
    assert tasks.DONE["k"] == 1


def claimed_by_dead_worker(key, *, minutes_ago=5, worker="worker-dead"):
    """A job whose task a worker claimed, then died (it no longer beats)."""
    job = services.submit(tasks.works, key=key, label="Work", args=("a",))
    db_result = DBTaskResult.objects.get(id=job.task_id)
    db_result.claim(worker)
    started = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    DBTaskResult.objects.filter(pk=db_result.pk).update(started_at=started)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)
    WorkerBeat.objects.create(worker_id=worker, host="h", pid=1, beat_at=started)
    return job


def test_a_task_whose_worker_died_is_run_by_another():
    claimed_by_dead_worker("k")
    assert services.recover_lost() == 1
    run_worker("worker-b")
    job = job_of("k")
    assert job.state == Job.State.DONE
    assert tasks.DONE["k"] == 1
    assert DBTaskResult.objects.get().worker_ids == ["worker-dead", "worker-b"]


def test_a_task_whose_worker_still_beats_is_left_alone():
    claimed_by_dead_worker("k")
    services.beat("worker-dead", host="h", pid=1)
    assert services.recover_lost() == 0
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING


def test_a_task_just_claimed_is_left_alone_before_its_worker_beats():
    claimed_by_dead_worker("k", minutes_ago=0)
    WorkerBeat.objects.all().delete()
    assert services.recover_lost() == 0


def test_a_task_that_has_lost_every_worker_it_had_fails():
    job = claimed_by_dead_worker("k")
    DBTaskResult.objects.filter(id=job.task_id).update(worker_ids=["w1", "w2", "worker-dead"])
    assert services.recover_lost() == 0
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    job = job_of("k")
    assert job.state == Job.State.FAILED
    assert "stopped too many times" in job.message
