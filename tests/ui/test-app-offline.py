#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The last known worklist comes from the local database: after one session
against the archive, a second session with the archive gone still shows the
list at once, marked as offline, with a clear message instead of a blank
window."""
import os
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lbui  # noqa: E402

tap = lbui.Tap()
url = os.environ["LIGHTBOX_TEST_DICOMWEB_URL"]
with tempfile.TemporaryDirectory() as data:
    app = lbui.App(["--server", url], data_dir=data)
    try:
        app.wait_for_window("Lightbox", timeout=30)
        names = app.wait_for(lambda n: "10 studies" in n, timeout=30)
        tap.ok("10 studies" in names, "first session lists the archive's studies")
        # Let the background pass (quality hints) read every study once.
        names = app.wait_for(lambda n: sum(1 for x in n if x and "blurry" in x) >= 1
                             and sum(1 for x in n if x and "under-exposed" in x) >= 1, timeout=90)
        time.sleep(3)
    finally:
        tap.ok(app.quit() == 0, "first session exits cleanly")

    # The archive goes away for good.
    pid = int(os.environ["LIGHTBOX_TEST_ORTHANC_PID"])
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        try:
            os.kill(pid, 0)
            time.sleep(0.1)
        except ProcessLookupError:
            break

    app = lbui.App(["--server", url], data_dir=data)
    try:
        app.wait_for_window("Lightbox", timeout=30)
        names = app.wait_for(lambda n: any(x and "offline" in x for x in n), timeout=60)
        tap.ok(any(x and x.startswith("10 studies") and "offline" in x for x in names),
               "second session shows the last known list, marked offline")
        # The first session's background quality pass kept copies of the
        # studies: the newest one opens offline, from the local cache.
        time.sleep(0.5)
        app.key("Return")
        names = app.wait_for(lambda n: "It hurts more since Tuesday." in n, timeout=60)
        tap.ok("It hurts more since Tuesday." in names, "a study opens offline from the local copy")
        tap.ok("DOE, JANE" in names and "ROE, MAX" in names, "the cached rows carry the patients")
        app.screenshot("ui-offline.png")
    finally:
        tap.ok(app.quit() == 0, "second session exits cleanly")
sys.exit(tap.done())
