# SPDX-License-Identifier: GPL-3.0-or-later
"""Lightbox demo data generator (see docs/demo-data.md).

Everything here is deterministic: fixed seeds, fixed dates, fixed UIDs.
"""
