# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the ui suite: start the real app, find widgets through AT-SPI,
activate actions over D-Bus, take screenshots. Runs inside dbus-run-session
and xvfb-run (tools/check)."""
import os
import signal
import subprocess
import sys
import time

# fatal-warnings is for the code under test, not for this harness: a
# warning from the accessibility client library must not kill the test.
os.environ["G_DEBUG"] = ""

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

APP_ID = "io.github.lightboxpacs.Lightbox"
OBJECT_PATH = "/io/github/lightboxpacs/Lightbox"


def orthanc_rest(path):
    """GET from the harness Orthanc's own REST API (for checking the archive)."""
    import urllib.request
    with urllib.request.urlopen(os.environ["LIGHTBOX_TEST_ORTHANC_URL"] + path, timeout=30) as r:
        return r.read()


def orthanc_instances(study_uid, modality):
    """Orthanc ids of the instances of one modality (KO, PR…) in a study."""
    import json
    out = []
    for st in json.loads(orthanc_rest("/studies?expand")):
        if st["MainDicomTags"].get("StudyInstanceUID") != study_uid:
            continue
        for series_id in st["Series"]:
            series = json.loads(orthanc_rest("/series/" + series_id))
            if series["MainDicomTags"].get("Modality") == modality:
                out += series["Instances"]
    return out


def wait_until(pred, timeout, interval=0.3):
    """Polls pred() until it is true or timeout seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(interval)
    return pred()


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what):
        self.n += 1
        if not cond:
            self.failed += 1
        print(("ok %d - %s" if cond else "not ok %d - %s") % (self.n, what), flush=True)
        return cond

    def done(self):
        print("1..%d" % self.n, flush=True)
        return 1 if self.failed else 0


class App:
    def __init__(self, args, env=None, data_dir=None):
        e = dict(os.environ)
        e.setdefault("GSK_RENDERER", "cairo")
        e["GTK_A11Y"] = "atspi"
        e.pop("NO_AT_BRIDGE", None)
        # fatal-warnings would turn a missing a11y bus into a crash; the
        # app's own warnings are checked by reading stderr instead.
        e["G_DEBUG"] = ""
        # A private data folder: the app's database (outbox, audit) is fresh.
        import tempfile
        self.keep_data = data_dir is not None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="lightbox-ui-")
        e["XDG_DATA_HOME"] = self.data_dir
        e["XDG_CACHE_HOME"] = os.path.join(self.data_dir, "cache")
        if env:
            e.update(env)
        self.log_path = os.path.join(os.environ.get("G_TEST_BUILDDIR", "."), "ui-app.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([os.environ["LIGHTBOX_APP"]] + args, env=e,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.app = None

    def _find_app(self):
        try:
            desktop = Atspi.get_desktop(0)
        except Exception:
            return None
        for i in range(desktop.get_child_count()):
            child = desktop.get_child_at_index(i)
            if child is None:
                continue
            try:
                if child.get_process_id() == self.proc.pid:
                    return child
            except Exception:
                continue
        return None

    def wait_for_window(self, title, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("app exited early: " + open(self.log_path).read())
            self.app = self._find_app()
            if self.app is not None:
                for i in range(self.app.get_child_count()):
                    w = self.app.get_child_at_index(i)
                    if w is not None and w.get_name() == title:
                        return w
            time.sleep(0.2)
        return None

    def walk(self, node=None, depth=0):
        node = node or self.app
        if node is None or depth > 60:
            return
        yield node
        try:
            n = node.get_child_count()
        except Exception:
            return
        for i in range(n):
            try:
                child = node.get_child_at_index(i)
            except Exception:
                continue
            if child is not None:
                yield from self.walk(child, depth + 1)

    def names(self):
        out = []
        for node in self.walk():
            try:
                out.append(node.get_name())
            except Exception:
                pass
        return out

    def wait_for_labels(self, wanted, timeout=30):
        deadline = time.monotonic() + timeout
        names = []
        while time.monotonic() < deadline:
            names = self.names()
            if all(w in names for w in wanted):
                break
            time.sleep(0.3)
        return names

    def find(self, role=None, name=None):
        for node in self.walk():
            try:
                if name is not None and node.get_name() != name:
                    continue
                if role is not None and node.get_role_name() != role:
                    continue
                return node
            except Exception:
                continue
        return None

    def activate_action(self, action, param=None, window=None):
        path = OBJECT_PATH if window is None else "%s/window/%d" % (OBJECT_PATH, window)
        args = ["gdbus", "call", "--session", "--dest", APP_ID, "--object-path", path,
                "--method", "org.gtk.Actions.Activate", action,
                "[]" if param is None else "[%s]" % param, "{}"]
        return subprocess.run(args, capture_output=True, text=True, timeout=10)

    def key(self, *keys):
        """Type keys into the focused window, as a person would."""
        subprocess.run(["xdotool", "key", "--delay", "80"] + list(keys), check=True, timeout=30)

    def wait_for(self, predicate, timeout=30, interval=0.3):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            names = self.names()
            if predicate(names):
                return names
            time.sleep(interval)
        return self.names()

    def screenshot(self, name):
        out_dir = os.path.join(os.environ.get("G_TEST_BUILDDIR", "."), "screenshots")
        os.makedirs(out_dir, exist_ok=True)
        path = os.path.join(out_dir, name)
        time.sleep(0.5)
        subprocess.run(["import", "-window", "root", path], check=True, timeout=30)
        return path

    def quit(self, timeout=15):
        if self.proc.poll() is None:
            self.activate_action("quit")
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        self.log.close()
        import shutil
        if not self.keep_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)
        log = open(self.log_path).read()
        if "CRITICAL" in log or "WARNING" in log:
            sys.stderr.write(log)
            print("# app printed warnings: see " + self.log_path)
            return 99
        return self.proc.returncode
