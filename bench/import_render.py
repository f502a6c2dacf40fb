"""Import-and-render benchmark: the six corpus letters, one worker then two, in one run.

    python bench/import_render.py [--rounds N]

Each worker is a process with its own throwaway SQLite database in a temp dir. A worker
imports each corpus PDF (letters.importing.parse, published with its original bytes) and
renders it again (letters.rendering.pdf.letter_pdf), N rounds. Prints one figure a line:
the median import and render time of one letter with one worker, and how much faster
two workers get through the same total work than one.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus():
    shared = Path(os.environ.get("LETTERS_SHARED_DIR", ROOT.parent / "shared"))
    files = sorted((shared / "corpus").glob("*.pdf"))
    if not files:
        sys.exit(f"bench/import_render.py: no corpus letters in {shared / 'corpus'}")
    return files


def worker(files, rounds, queue):
    """Import and render every file `rounds` times; put (import ms, render ms) lists."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ["DJANGO_MEDIA_ROOT"] = str(Path(tmp) / "media")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from letters.importing.services import import_letter_file
        from letters.rendering.compose import letter_queryset
        from letters.rendering.pdf import letter_pdf

        imports, renders = [], []
        began = time.time()  # wall clock, comparable across processes
        for _ in range(rounds):
            for path in files:
                start = time.perf_counter()
                visit, _ = import_letter_file(path)
                imports.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                letter_pdf(letter_queryset().get(visit=visit))
                renders.append((time.perf_counter() - start) * 1000)
        queue.put((imports, renders, began, time.time()))


def run(workers, files, rounds):
    """Split `rounds` rounds among the workers; returns (work seconds, imports, renders).

    The work span runs from the first worker starting its letters to the last finishing,
    leaving out process start-up and migrations.
    """
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    shares = [rounds // workers + (1 if n < rounds % workers else 0) for n in range(workers)]
    processes = [context.Process(target=worker, args=(files, share, queue)) for share in shares]
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    wall = max(result[3] for result in results) - min(result[2] for result in results)
    imports = [ms for result in results for ms in result[0]]
    renders = [ms for result in results for ms in result[1]]
    return wall, imports, renders


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4, help="rounds over the corpus")
    args = parser.parse_args()
    files = corpus()
    one_wall, imports, renders = run(1, files, args.rounds)
    two_wall, _, _ = run(2, files, args.rounds)
    print(f"import_ms_median: {statistics.median(imports):.1f}")
    print(f"render_ms_median: {statistics.median(renders):.1f}")
    print(f"two_worker_speedup: {one_wall / two_wall:.2f}")


if __name__ == "__main__":
    main()
