#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`meson install` installs the app, the CLI and every desktop integration
file (checked from meson's own install plan, without installing)."""
import json
import subprocess
import sys

build = sys.argv[1]
plan = json.loads(subprocess.run(["meson", "introspect", "--installed", build],
                                 capture_output=True, text=True, check=True).stdout)
installed = set(plan.values())
wanted = [
    "bin/lightbox",
    "bin/lightbox-cli",
    "share/applications/io.github.lightboxpacs.Lightbox.desktop",
    "share/metainfo/io.github.lightboxpacs.Lightbox.metainfo.xml",
    "share/glib-2.0/schemas/io.github.lightboxpacs.Lightbox.gschema.xml",
    "share/icons/hicolor/scalable/apps/io.github.lightboxpacs.Lightbox.svg",
    "share/icons/hicolor/symbolic/apps/io.github.lightboxpacs.Lightbox-symbolic.svg",
]
n = 0
failed = 0
for w in wanted:
    n += 1
    ok = any(p.endswith("/" + w) for p in installed)
    failed += not ok
    print(("ok %d - installs %s" if ok else "not ok %d - installs %s") % (n, w))
print("1..%d" % n)
sys.exit(1 if failed else 0)
