"""The closing report of `make test`: a line per JUnit XML file that pytest wrote (one per
suite, named after it), with its tests, failures and time; then one line with the totals.
Usage: python tests/report.py XML [XML...]
"""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def main(paths: list[str]) -> None:
    print(f"{'suite':<20} {'tests':>6} {'failed':>7} {'skipped':>8} {'time':>8}")
    passed = failed = skipped = 0
    for path in paths:
        # The files pytest just wrote in this run, not data from elsewhere.
        suite = ET.parse(path).getroot().find("testsuite")  # noqa: S314
        tests = int(suite.get("tests"))
        bad = int(suite.get("failures")) + int(suite.get("errors"))
        skips = int(suite.get("skipped"))
        seconds = float(suite.get("time"))
        print(f"{Path(path).stem:<20} {tests:>6} {bad:>7} {skips:>8} {seconds:>6.0f} s")
        passed, failed, skipped = passed + tests - bad - skips, failed + bad, skipped + skips
    print(f"total: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
