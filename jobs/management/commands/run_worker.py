"""The task worker: django-tasks-db's, which also beats, retries and recovers.

    python manage.py run_worker [--queue-name ...] [--interval S] [--batch] ...

Each worker writes a heartbeat every TASK_HEARTBEAT_SECONDS from a thread of its own
(the task it runs prints in a child process, so the beat goes on during a long render)
and, on the same beat, puts back in the queue any running task whose worker has been
silent for TASK_WORKER_LOST_SECONDS. A failed task whose failure may pass is run again
(jobs.services.retry_if_failed).
"""

import os
import socket
import threading

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands import db_worker

from jobs import services
from jobs.models import WorkerBeat


class Heart(threading.Thread):
    def __init__(self, worker_id):
        super().__init__(name="worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()

    def run(self):
        host, pid = socket.gethostname(), os.getpid()
        try:
            while True:
                try:
                    services.beat(self.worker_id, host=host, pid=pid)
                    services.recover_lost()
                except Exception:  # the database is away: beat again next time
                    db_worker.logger.exception("Heartbeat failed")
                if self.stopping.wait(settings.TASK_HEARTBEAT_SECONDS):
                    break
        finally:
            connection.close()


class Worker(db_worker.Worker):
    heartbeat = True  # tests run the loop without the thread, and beat by hand

    def run(self):
        if not self.heartbeat:
            return super().run()
        heart = Heart(self.worker_id)
        heart.start()
        try:
            super().run()
        finally:
            heart.stopping.set()
            heart.join(10)
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()

    def run_task(self, db_task_result):
        super().run_task(db_task_result)
        services.retry_if_failed(db_task_result)


class Command(db_worker.Command):
    help = "Run the task worker (printing, e-mail), with retries and recovery of lost tasks"

    def handle(self, *args, **options):
        original = db_worker.Worker
        db_worker.Worker = Worker
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original
