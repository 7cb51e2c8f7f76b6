#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Parse-check the Flatpak manifest (it cannot be built here: no Flathub).

Checks what flatpak-builder would refuse or what our policy requires: the app
id, a GNOME runtime, every external source pinned by sha256, and finish-args
limited to network, display, and the secret service."""
import json
import re
import sys

ALLOWED_FINISH_ARGS = {
    "--share=network", "--share=ipc", "--socket=fallback-x11", "--socket=wayland",
    "--device=dri", "--talk-name=org.freedesktop.secrets",
}

def fail(msg):
    print("not ok - " + msg)
    sys.exit(1)

with open(sys.argv[1]) as f:
    m = json.load(f)

if m.get("id") != "io.github.lightboxpacs.Lightbox":
    fail("app id")
if m.get("runtime") != "org.gnome.Platform" or m.get("sdk") != "org.gnome.Sdk":
    fail("GNOME runtime and SDK")
if m.get("command") != "lightbox":
    fail("command")
extra = set(m.get("finish-args", [])) - ALLOWED_FINISH_ARGS
if extra:
    fail("finish-args beyond what the app needs: %s" % sorted(extra))
names = [mod["name"] for mod in m["modules"]]
if names[-1] != "lightbox" or "dcmtk" not in names:
    fail("modules: dcmtk must be built before lightbox")
for mod in m["modules"]:
    for src in mod.get("sources", []):
        if src["type"] in ("archive", "file"):
            if not re.fullmatch(r"[0-9a-f]{64}", src.get("sha256", "")):
                fail("%s: source without a sha256" % mod["name"])
            if not src["url"].startswith("https://"):
                fail("%s: source not fetched over https" % mod["name"])
print("ok - manifest parses and follows policy (%d modules)" % len(names))
