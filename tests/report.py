"""The closing report of `make test`: per suite, its tests, failures and time, from pytest's
JUnit XML files; then one line with the totals.   Usage: python tests/report.py XML [XML...]

Each suite runs on a worker of its own, so its time is the sum of its tests' (set-up, call and
tear-down included): how long it held its worker.
"""

import sys
import xml.etree.ElementTree as ET
from collections import defaultdict


def suites(path: str) -> dict[str, list[float]]:
    """{suite: [tests, failed, skipped, seconds]} of one JUnit XML file."""
    totals = defaultdict(lambda: [0, 0, 0, 0.0])
    for case in ET.parse(path).iter("testcase"):
        parts = case.get("classname", "").split(".")
        suite = parts[1] if len(parts) > 1 and parts[0] == "tests" else parts[0]
        row = totals[suite]
        row[0] += 1
        row[1] += any(case.find(tag) is not None for tag in ("failure", "error"))
        row[2] += case.find("skipped") is not None
        row[3] += float(case.get("time", 0))
    return dict(totals)


def main(paths: list[str]) -> None:
    rows = []
    for index, path in enumerate(paths):
        label = "" if index == 0 else " (again: " + path.rsplit("/", 1)[-1].removesuffix(".xml") + ")"
        rows += [(suite + label, *row) for suite, row in sorted(suites(path).items())]
    print(f"{'suite':<28} {'tests':>6} {'failed':>7} {'skipped':>8} {'time':>9}")
    for name, tests, failed, skipped, seconds in rows:
        print(f"{name:<28} {tests:>6} {failed:>7} {skipped:>8} {seconds:>7.0f} s")
    failed = sum(row[2] for row in rows)
    skipped = sum(row[3] for row in rows)
    passed = sum(row[1] for row in rows) - failed - skipped
    print(f"total: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
