"""How many generated cases a property test runs.

An optimised build runs every case. Under sanitizers (lit sets
CADENCE_CASES_DIVISOR) each case costs five to ten times more, and a memory
error shows in the code paths a case takes, not in how many cases take them:
such a build runs a share of the cases, from the same seed.
"""
import os


def scaled(count: int) -> int:
    divisor = max(1, int(os.environ.get("CADENCE_CASES_DIVISOR", "1")))
    return max(1, count // divisor)
