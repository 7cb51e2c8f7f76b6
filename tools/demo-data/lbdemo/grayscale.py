# SPDX-License-Identifier: GPL-3.0-or-later
"""Synthetic grayscale images: a 12-bit chest radiograph (CR) with a wide
dynamic range, and a home lung-ultrasound sweep (8-bit multi-frame sector
clip with moving speckle). Fixed seeds; numpy + PIL only."""

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .photos import FONT_BOLD, smooth_field, smoothstep


def _blurred_mask(size, draw_fn, radius):
    m = Image.new("L", size, 0)
    draw_fn(ImageDraw.Draw(m))
    if radius > 0:
        m = m.filter(ImageFilter.GaussianBlur(radius))
    return np.asarray(m, np.float32) / 255.0


def chest_cr(seed=3101, rows=2500, cols=2048, spacing_mm=0.17):
    """PA chest radiograph, stored values 0..4095 (12 bits in 16).

    Bone is bright (MONOCHROME2), lungs dark, a lead "L" marker saturates.
    Mild cardiomegaly and blunted costophrenic angles (heart failure).
    Returns (uint16 array rows×cols, facts)."""
    rng = np.random.default_rng(seed)
    H, W = rows // 2, cols // 2          # draw at half resolution, then upsample
    mm = spacing_mm * 2.0                # mm per half-res pixel

    def P(x_mm, y_mm):                   # patient-centred mm -> half-res px
        return (W / 2 + 0.86 * x_mm / mm, 0.20 * H + 0.86 * y_mm / mm)

    size = (W, H)
    # torso with shoulders and neck
    def torso(d):
        pts = [P(-60, -80), P(-62, -10), P(-150, 10), P(-178, 60), P(-170, 200),
               P(-160, 330), P(-150, 420), P(150, 420), P(160, 330), P(170, 200),
               P(178, 60), P(150, 10), P(62, -10), P(60, -80)]
        d.polygon(pts, fill=255)
        d.ellipse([*P(-215, 0), *P(-150, 120)], fill=255)   # shoulders / arms
        d.ellipse([*P(150, 0), *P(215, 120)], fill=255)
    body = _blurred_mask(size, torso, 10)

    def lungs(d):
        # image left = patient's right; right hemidiaphragm a little higher
        d.polygon([P(-22, 30), P(-60, 12), P(-105, 30), P(-140, 95), P(-150, 200),
                   P(-152, 275), P(-140, 300), P(-100, 262), P(-60, 250), P(-28, 240)], fill=255)
        d.polygon([P(24, 35), P(60, 14), P(105, 30), P(140, 95), P(152, 200),
                   P(156, 292), P(146, 318), P(110, 292), P(80, 284), P(40, 272)], fill=255)
    lung = _blurred_mask(size, lungs, 7)

    def heart(d):
        d.ellipse([*P(-48, 150), *P(112, 292)], fill=255)     # enlarged, to the left
        d.polygon([P(-26, 20), P(26, 20), P(38, 170), P(-40, 170)], fill=255)  # mediastinum
    hrt = _blurred_mask(size, heart, 9)

    def spine(d):
        d.rectangle([*P(-19, -80), *P(19, 420)], fill=255)
    sp = _blurred_mask(size, spine, 4)
    ys = np.arange(H, dtype=np.float32)[:, None] * mm
    vert = 0.5 + 0.5 * np.cos(ys / 24.0 * 2 * math.pi) ** 8  # endplates

    def ribs(d):
        for i in range(10):
            y0 = 10 + i * 25.0
            for sgn in (-1, 1):
                pts = []
                for j in range(21):
                    t = j / 20.0
                    x = sgn * (18 + 150 * math.sin(t * math.pi * 0.62))
                    y = y0 + 70 * t * t - 18 * math.sin(t * math.pi) + 0.25 * i * t * 20
                    pts.append(P(x, y))
                d.line(pts, fill=255, width=int(9 / mm), joint="curve")
    rib = _blurred_mask(size, ribs, 2)

    def ribs_inner(d):
        for i in range(10):
            y0 = 10 + i * 25.0
            for sgn in (-1, 1):
                pts = []
                for j in range(21):
                    t = j / 20.0
                    x = sgn * (18 + 150 * math.sin(t * math.pi * 0.62))
                    y = y0 + 70 * t * t - 18 * math.sin(t * math.pi) + 0.25 * i * t * 20
                    pts.append(P(x, y))
                d.line(pts, fill=255, width=int(5 / mm), joint="curve")
    rib_in = _blurred_mask(size, ribs_inner, 2)

    def clavicles(d):
        d.line([P(-18, 12), P(-70, -4), P(-140, 8)], fill=255, width=int(12 / mm), joint="curve")
        d.line([P(18, 12), P(70, -4), P(140, 8)], fill=255, width=int(12 / mm), joint="curve")
        d.ellipse([*P(-190, -5), *P(-150, 40)], fill=255)    # humeral heads
        d.ellipse([*P(150, -5), *P(190, 40)], fill=255)
    clav = _blurred_mask(size, clavicles, 2)

    def effusion(d):
        d.polygon([P(-152, 235), P(-152, 300), P(-110, 300)], fill=255)
        d.polygon([P(156, 250), P(156, 318), P(112, 318)], fill=255)
    eff = _blurred_mask(size, effusion, 14)

    vessels = np.abs(smooth_field(rng, H, W, 5.0 / mm))
    vessels = 1.0 - smoothstep(0.0, 0.25, vessels)       # thin branching ridges
    hila = np.zeros((H, W), np.float32)
    yy = np.arange(H, dtype=np.float32)[:, None]
    xx = np.arange(W, dtype=np.float32)[None, :]
    for sgn in (-1, 1):
        hx, hy = P(sgn * 45, 140)
        hila += np.exp(-(((xx - hx) * mm / 70.0) ** 2 + ((yy - hy) * mm / 90.0) ** 2))

    dens = 0.04 + 0.80 * body
    dens -= 0.50 * lung * (1 - 0.6 * hrt)
    dens += 0.26 * hrt
    dens += lung * (0.035 * vessels * (0.4 + hila) + 0.08 * hila)
    dens += 0.22 * eff * lung
    dens += (0.13 * rib - 0.05 * rib_in) * body
    dens += 0.20 * clav
    dens += sp * (0.18 + 0.10 * vert) * body
    dens += 0.04 * smooth_field(rng, H, W, 40.0 / mm) * body

    big = Image.fromarray(dens.astype(np.float32), "F").resize((cols, rows), Image.BICUBIC)
    d = np.asarray(big, np.float32).copy()
    # lead marker "L" (patient's left = image right on a PA view): saturates
    mk = Image.new("L", (cols, rows), 0)
    dm = ImageDraw.Draw(mk)
    font = ImageFont.truetype(FONT_BOLD, size=int(22 / spacing_mm))
    x0, y0 = int(cols * 0.86), int(rows * 0.06)
    dm.rectangle([x0 - 8, y0 - 8, x0 + int(24 / spacing_mm), y0 + int(26 / spacing_mm)], outline=255, width=6)
    dm.text((x0 + int(3 / spacing_mm), y0), "L", font=font, fill=255)
    marker = np.asarray(mk, np.float32) / 255.0
    # detector response: log-ish, with quantum noise
    v = 160.0 + 3100.0 * np.clip(d, 0.0, 1.15) ** 1.1
    v += rng.standard_normal(v.shape, dtype=np.float32) * (6.0 + 0.004 * v)
    v = v * (1 - marker) + 4095.0 * marker
    out = np.clip(v + 0.5, 0, 4095).astype(np.uint16)
    facts = {
        "pixel_spacing_mm": spacing_mm,
        "stored_range": [int(out.min()), int(out.max())],
        "windows": WINDOWS_CR,
    }
    return out, facts


# (centre, width, explanation) in stored units (Rescale Slope 1, Intercept 0)
WINDOWS_CR = [(2000, 3800, "FULL RANGE"), (1500, 1400, "LUNG"), (2900, 1100, "MEDIASTINUM")]


def lung_us_clip(seed=3202, frames=48, rows=360, cols=480, depth_cm=10.0):
    """Home lung ultrasound: curvilinear sector, intercostal view between two
    ribs, pleural line with lung sliding, A-lines and moving B-lines, speckle
    that follows the tissue as the probe slides. Returns (uint8 frames×rows×cols, facts)."""
    rng = np.random.default_rng(seed)
    D, L = 300, 256                      # samples in depth, scan lines
    extra = 160                          # lateral room for the probe sweep
    apex = (cols / 2.0, -40.0)           # virtual apex above the image
    r0, r1 = 60.0, 60.0 + 300.0          # sector radii (px)
    half_angle = math.radians(34)
    cm_per_px = depth_cm / (r1 - r0)

    # complex speckle fields (tissue above pleura moves with the probe; lung
    # below it moves with breathing as well)
    def speckle(shape):
        def smooth(x):   # short axial, longer lateral correlation
            x = (x + np.roll(x, 1, 0)) / 2.0
            return (x + np.roll(x, 1, 1) + np.roll(x, -1, 1) + 0.5 * np.roll(x, 2, 1)) / 3.5
        re = rng.standard_normal(shape).astype(np.float32)
        im = rng.standard_normal(shape).astype(np.float32)
        return smooth(re), smooth(im)
    tre, tim = speckle((D, L + extra))
    lre, lim = speckle((D, L + extra + 40))

    dd = np.arange(D, dtype=np.float32)[:, None]
    pleura = 118.0
    # tissue echogenicity (depth × lateral, in the body's frame)
    lat = np.arange(L + extra, dtype=np.float32)[None, :]
    tissue = np.full((D, L + extra), 0.40, np.float32)
    tissue += 0.25 * np.exp(-((dd - 6) / 5.0) ** 2)                 # skin
    tissue -= 0.25 * np.exp(-((dd - 28) / 12.0) ** 2)                # fat
    tissue += 0.18 * np.sin(dd / 3.2) ** 2 * (dd > 45) * (dd < 100)  # muscle fibres
    ribs_x = [40.0, 250.0]                                           # rib centres (lateral)
    rib_half = 34.0

    # polar lookup for scan conversion
    ys = np.arange(rows, dtype=np.float32)[:, None] + 0.5
    xs = np.arange(cols, dtype=np.float32)[None, :] + 0.5
    rr = np.sqrt((xs - apex[0]) ** 2 + (ys - apex[1]) ** 2)
    ang = np.arctan2(xs - apex[0], ys - apex[1])
    di = (rr - r0) / (r1 - r0) * (D - 1)
    li = (ang + half_angle) / (2 * half_angle) * (L - 1)
    inside = (di >= 0) & (di <= D - 1) & (li >= 0) & (li <= L - 1)
    dic = np.clip(np.round(di), 0, D - 1).astype(np.intp)
    lic = np.clip(np.round(li), 0, L - 1).astype(np.intp)
    edge = (smoothstep(0, 2, di) * smoothstep(0, 2, D - 1 - di)
            * smoothstep(0, 2, li) * smoothstep(0, 2, L - 1 - li)).astype(np.float32)

    out = np.zeros((frames, rows, cols), np.uint8)
    lat_rel = np.arange(L, dtype=np.float32)[None, :]
    for f in range(frames):
        probe = 1.6 * f                                  # slow sweep (lines)
        breath = 5.0 * math.sin(2 * math.pi * f / 32.0)  # lung sliding (lines)
        po = int(probe)
        lo = int(round(probe + breath + 20))
        t_amp = np.sqrt(tre[:, po:po + L] ** 2 + tim[:, po:po + L] ** 2)
        l_amp = np.sqrt(lre[:, lo:lo + L] ** 2 + lim[:, lo:lo + L] ** 2)
        # decorrelate a little from frame to frame
        n = rng.standard_normal((D, L)).astype(np.float32) * 0.25
        x = lat_rel + probe                             # body frame lateral coord
        ech = tissue[:, po:po + L] * t_amp
        below = dd > pleura
        # lung: A-lines (reverberations of the pleura) and B-lines
        lung = 0.12 + 0.55 * np.exp(-((dd - 2 * pleura) / 3.5) ** 2)
        for bx in (150.0, 185.0):
            bxx = bx + breath
            lung = lung + 0.75 * np.exp(-((x - bxx) / 3.2) ** 2) * (dd > pleura)
        ech = np.where(below, lung * l_amp, ech)
        ech += 1.9 * np.exp(-((dd - pleura) / 1.6) ** 2) * (0.8 + 0.4 * l_amp)
        # ribs: bright curved surface, black acoustic shadow underneath
        for rx in ribs_x:
            rel = (x - rx) / rib_half
            in_rib = np.abs(rel) < 1.0
            top = pleura - 14.0 + 10.0 * rel ** 2
            surf = 2.4 * np.exp(-((dd - top) / 2.2) ** 2) * in_rib
            shadow = np.where((dd > top + 2) & in_rib, 0.06, 1.0)
            ech = ech * shadow + surf
        ech = np.maximum(ech + 0.05 * n, 1e-3)
        tgc = 1.0 + 0.004 * dd
        db = 20.0 * np.log10(ech * tgc)
        img = np.clip((db + 26.0) / 38.0, 0.0, 1.0) * 255.0
        frame = np.where(inside, img[dic, lic] * edge, 0.0)
        out[f] = np.clip(frame + 0.5, 0, 255).astype(np.uint8)
    # depth scale dots (every 1 cm) along the right edge of the sector
    for k in range(int(depth_cm) + 1):
        r = r0 + k / cm_per_px
        x = apex[0] + r * math.sin(half_angle) + 8
        y = apex[1] + r * math.cos(half_angle)
        if 0 <= y < rows - 2 and 0 <= x < cols - 2:
            out[:, int(y):int(y) + 3, int(x):int(x) + 3] = 200 if k % 5 else 255
    facts = {
        "frames": frames,
        "cm_per_pixel": round(cm_per_px, 6),
        "sector": {"apex": apex, "r0": r0, "r1": r1, "half_angle_deg": 34},
    }
    return out, facts
