"""Sign-in benchmark: the CPU one password check costs, and what the limits allow.

    python bench/sign_in.py [--runs N]

Checks a password N times with the portal's own hashers (PBKDF2, as in production)
and prints one figure a line: the median CPU time of one check, how many checks one
core does a second, and the CPU an address can spend an hour before its sign-ins are
refused unchecked (SIGN_IN_FAILURES_PER_ADDRESS, accounts.throttle).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="password checks (default 20)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import check_password, make_password

    encoded = make_password("correct horse battery staple")
    times = []
    for _ in range(args.runs):
        start = time.process_time()
        check_password("a wrong guess at the password", encoded)
        times.append(time.process_time() - start)
    median_ms = statistics.median(times) * 1000
    print(f"sign_in_cpu_ms_median: {median_ms:.1f}")
    print(f"sign_in_checks_per_core_second: {1000 / median_ms:.1f}")
    budget = settings.SIGN_IN_FAILURES_PER_ADDRESS * median_ms / 1000
    print(f"address_cpu_seconds_per_hour_at_limit: {budget:.1f}")


if __name__ == "__main__":
    main()
