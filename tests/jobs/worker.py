"""The task worker's loop, run in the test's own process and transaction (with the
database_queue fixture of tests/conftest.py)."""

from jobs.management.commands.run_worker import Worker


def run_worker(worker_id="worker-test"):
    """Run every task that is ready, then stop (the worker's --batch mode), with no
    heartbeat thread (tests beat by hand)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.heartbeat = False
    worker.run()
