"""Running `epubcheck` (Debian's package) on EPUB files from tests.

epubcheck is a Java program that takes seconds to start, so `check_epubs` checks several books
at once, each in its own process, and returns what each one reported. A missing epubcheck (or
Java) is a loud skip, a failure under FABULA_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from fabula.test import require

EPUBCHECK = "/usr/bin/epubcheck"
# A quick-starting JVM: epubcheck's work is small, the JVM's start-up is what costs.
JAVA_OPTIONS = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"]
_SUMMARY = re.compile(r"Messages: (\d+) fatals? / (\d+) errors?")


def check_epubs(*paths: Path) -> dict[Path, str]:
    """epubcheck's report for each book; asserts that none has a fatal error or an error."""
    require(os.path.exists(EPUBCHECK), f"{EPUBCHECK} is absent (Debian package epubcheck)")
    java = shutil.which("java")
    require(java is not None, "java is absent (epubcheck needs it)")
    assert java is not None  # `require` stopped the test otherwise
    running = {
        path: subprocess.Popen(
            [java, *JAVA_OPTIONS, "-jar", os.path.realpath(EPUBCHECK), str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for path in paths
    }
    reports = {}
    for path, process in running.items():
        output, _ = process.communicate(timeout=300)
        reports[path] = output
        found = _SUMMARY.search(output)
        assert process.returncode == 0 and found and found.groups() == ("0", "0"), (
            f"epubcheck found problems in {path.name}:\n{output}"
        )
    return reports
