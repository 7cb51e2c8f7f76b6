# SPDX-License-Identifier: GPL-3.0-or-later
"""The demo photos: wound visits, mole visits, back lesion (blurred / dark),
otoscope view. Each returns (jpeg_bytes, facts) where facts documents what
was drawn (pixel scale, lesion size, ...) for the manifest and the tests."""

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from . import photos as P

JANE_SKIN = (226, 184, 158)
MAX_SKIN = (206, 160, 128)
TOWEL = (168, 184, 199)


def _rng(seed):
    return np.random.default_rng(seed)


def wound_visit(v):
    """Jane Doe's left lower leg, lateral view, wound beside a paper ruler.

    v: dict(seed, size, mm_per_px, area_mm2, ruler_deg, tilt_deg, wound_xy,
            stage (0 = baseline .. 1 = nearly healed), when)."""
    w, h = v["size"]
    s = v["mm_per_px"]
    rng = _rng(v["seed"])
    shape_rng = _rng(4711)                       # same wound outline every visit
    base = P.star_shape(shape_rng, n=7, irregularity=0.16)
    k, amps, phases = base
    # the outline changes a little as the wound heals
    amps = amps * (1.0 + 0.35 * v["stage"] * np.cos(np.arange(len(amps)) + 1.3))
    phases = phases + 0.25 * v["stage"] * np.sin(np.arange(len(phases)))
    table = P.radius_table((k, amps, phases), elong=(1.45, 0.78))

    cy = h * 0.48
    img, _ = P.limb_scene(rng, w, h, s, skin=JANE_SKIN, backdrop=TOWEL,
                          centre_y=cy, tilt_deg=v["tilt_deg"], half_width_mm=66.0,
                          taper_mm=18.0, redness=7.0)
    stage = v["stage"]
    bed = (184 + 18 * stage, 52 + 40 * stage, 54 + 36 * stage)   # beefy red -> pink
    rim = (116 - 6 * stage, 44, 42)
    slough = (205, 132, 86) if stage < 0.5 else None
    cx = w * v["wound_xy"][0]
    cyw = cy + v["wound_xy"][1] / s
    area = P.draw_wound(img, s, (cx, cyw), v["tilt_deg"] + 4.0, table, v["area_mm2"],
                        bed=bed, rim=rim, rim_mm=1.6 - 0.5 * stage, halo=(206, 124, 112),
                        halo_mm=3.5 - 1.5 * stage, rng=rng, slough=slough)
    ruler = P.make_ruler(s, length_mm=122.0, height_mm=17.0, n_cm=10,
                         title="WOUND RULER  mm")
    rx = cx + 8.0 / s
    ry = cyw + 34.0 / s
    P.place_ruler(img, ruler, (rx, ry), v["ruler_deg"], s)
    pil = P.camera_finish(img, rng, white=(1.0, 0.985, 0.95), light_dir=(0.07, -0.06),
                          vignette=0.18, noise=1.5)
    jpeg = P.encode_jpeg(pil, quality=90, subsampling=v.get("subsampling", "4:2:0"),
                         model=v.get("model", "Smartphone camera"), when=v["when"])
    facts = {
        "mm_per_pixel": s,
        "ruler": "paper ruler, 1 mm ticks, numbered every 1 cm (0-10 cm), "
                 "rotated %+.1f deg" % v["ruler_deg"],
        "wound_area_mm2": round(area, 1),
        "wound_centre_px": [int(round(cx)), int(round(cyw))],
    }
    return jpeg, facts


def mole_visit(v):
    """Max Roe's right forearm (dorsal), a naevus beside a small ruler sticker."""
    w, h = v["size"]
    s = v["mm_per_px"]
    rng = _rng(v["seed"])
    table = P.radius_table(P.star_shape(_rng(815), n=6, irregularity=0.07), elong=(1.12, 0.95))
    cy = h * 0.40
    img, _ = P.limb_scene(rng, w, h, s, skin=MAX_SKIN, backdrop=(92, 86, 80),
                          centre_y=cy, tilt_deg=v["tilt_deg"], half_width_mm=40.0,
                          taper_mm=6.0, redness=5.0)
    cx, cyl = w * 0.47, cy - 4.0 / s
    P.draw_naevus(img, s, (cx, cyl), table, v["diameter_mm"], rng=rng)
    # a few freckles
    for i in range(6):
        fx, fy = rng.random() * w, cy + rng.normal(0, 12.0) / s
        ft = P.radius_table(P.star_shape(rng, n=4, irregularity=0.08))
        P.draw_naevus(img, s, (fx, fy), ft, rng.uniform(0.8, 1.6), rng=rng,
                      dark=(150, 104, 78), light=(176, 128, 98), fuzz_mm=0.3)
    P.draw_hairs(img, rng, s, count=int(0.06 * w * h * s * s), direction_deg=v["tilt_deg"] + 8,
                 opacity=0.45, length_mm=(3.0, 7.0))
    ruler = P.make_ruler(s, length_mm=52.0, height_mm=11.0, n_cm=4,
                         paper=(250, 250, 246), ink=(20, 40, 90))
    P.place_ruler(img, ruler, (cx + 2.0 / s, cyl + 14.0 / s), v["ruler_deg"], s, shadow=0.22)
    pil = P.camera_finish(img, rng, white=(1.0, 0.99, 0.97), light_dir=(-0.05, -0.08),
                          vignette=0.14, noise=1.4)
    jpeg = P.encode_jpeg(pil, quality=90, subsampling="4:2:0", model="Smartphone camera",
                         when=v["when"])
    facts = {
        "mm_per_pixel": s,
        "ruler": "ruler sticker, 1 mm ticks, numbered 0-4 cm, rotated %+.1f deg" % v["ruler_deg"],
        "lesion_diameter_mm": v["diameter_mm"],
    }
    return jpeg, facts


def back_photo(v):
    """Max Roe's back (new lesion), either shaken (blur) or under-exposed (dark)."""
    w, h = v["size"]
    s = v["mm_per_px"]
    rng = _rng(v["seed"])
    img = P.skin_patch_scene(rng, w, h, s, skin=(212, 168, 138), groove_x=w * 0.18)
    table = P.radius_table(P.star_shape(_rng(2024), n=8, irregularity=0.14), elong=(1.2, 0.9))
    P.draw_naevus(img, s, (w * 0.55, h * 0.5), table, 7.5, rng=rng,
                  dark=(52, 34, 30), light=(112, 72, 56), fuzz_mm=0.4)
    for i in range(9):
        fx, fy = rng.random() * w, rng.random() * h
        ft = P.radius_table(P.star_shape(rng, n=4, irregularity=0.08))
        P.draw_naevus(img, s, (fx, fy), ft, rng.uniform(1.0, 2.4), rng=rng,
                      dark=(140, 96, 74), light=(170, 122, 94), fuzz_mm=0.3)
    P.draw_hairs(img, rng, s, count=int(0.02 * w * h * s * s), direction_deg=95,
                 opacity=0.35, length_mm=(3.0, 6.0))
    mode = v["mode"]
    if mode == "blur":
        img = P.motion_blur(img, length_px=v["blur_px"], angle_deg=24.0, extra_gauss=2.5)
        pil = P.camera_finish(img, rng, white=(1.0, 0.98, 0.94), vignette=0.2, noise=0.8)
    elif mode == "dark":
        # a dim bedroom lamp: ~2.5 stops under, warm cast, high-ISO noise
        pil = P.camera_finish(img, rng, gain=0.42, gamma=1.35, white=(1.0, 0.86, 0.66),
                              light_dir=(0.25, 0.1), vignette=0.5, noise=2.6)
    else:
        raise ValueError(mode)
    jpeg = P.encode_jpeg(pil, quality=90, subsampling="4:2:0", model="Smartphone camera",
                         when=v["when"])
    facts = {"mm_per_pixel": s, "defect": mode}
    return jpeg, facts


def otoscope_photo(v):
    """Right tympanic membrane through a clip-on smartphone otoscope: normal."""
    w, h = v["size"]
    rng = _rng(v["seed"])
    ys = np.arange(h, dtype=np.float32)[:, None] + 0.5
    xs = np.arange(w, dtype=np.float32)[None, :] + 0.5
    cx, cy = w / 2, h / 2
    rap = 0.46 * h
    rr = np.sqrt((xs - cx) ** 2 + (ys - cy) ** 2) / rap
    img = np.zeros((h, w, 3), np.float32)
    # ear canal wall: warm skin, darker towards the drum (deeper)
    wall = P.smooth_field(rng, h, w, 90.0)
    t = np.clip(rr, 0, 1)[..., None]
    canal = np.asarray((150, 78, 64), np.float32) * (1 - t) + np.asarray((214, 150, 128), np.float32) * t
    canal *= (1.0 + 0.06 * wall)[..., None]
    img[:] = canal
    # tympanic membrane: tilted ellipse, pearly grey, whiter annulus
    tx, ty = cx + 0.03 * w, cy + 0.02 * h
    a, b, ang = 0.29 * h, 0.25 * h, math.radians(-28)
    X = (xs - tx) * math.cos(ang) + (ys - ty) * math.sin(ang)
    Y = -(xs - tx) * math.sin(ang) + (ys - ty) * math.cos(ang)
    e = np.sqrt((X / a) ** 2 + (Y / b) ** 2)
    tm = 1.0 - P.smoothstep(0.97, 1.03, e)
    sheen = P.smooth_field(rng, h, w, 60.0)
    drum = np.empty((h, w, 3), np.float32)
    drum[:] = (182, 176, 172)
    drum *= (1.0 + 0.025 * sheen - 0.08 * e)[..., None]
    annulus = np.exp(-((e - 0.95) / 0.05) ** 2)
    P.blend(drum, (226, 214, 204), annulus * 0.7)
    img = img * (1 - tm[..., None]) + drum * tm[..., None]
    # malleus handle (from the umbo up and slightly forward), lateral process
    layer = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(layer)
    umbo = (tx + 0.01 * h, ty + 0.02 * h)
    top = (tx + 0.07 * h, ty - 0.19 * h)
    d.line([umbo, top], fill=255, width=int(0.022 * h))
    d.ellipse([top[0] - 0.02 * h, top[1] - 0.02 * h, top[0] + 0.02 * h, top[1] + 0.02 * h], fill=255)
    m = np.asarray(layer.filter(ImageFilter.GaussianBlur(3)), np.float32) / 255.0
    P.blend(img, (232, 222, 196), m * 0.85)
    # vessels along the handle
    vl = Image.new("L", (w, h), 0)
    dv = ImageDraw.Draw(vl)
    for off in (-0.018, 0.018):
        pts = [(umbo[0] + off * h + 0.004 * h * math.sin(i), umbo[1] + (top[1] - umbo[1]) * i / 10.0
                + 0.0) for i in range(11)]
        pts = [(x + (top[0] - umbo[0]) * j / 10.0, y) for j, (x, y) in enumerate(pts)]
        dv.line(pts, fill=255, width=2)
    P.blend(img, (170, 60, 58), np.asarray(vl.filter(ImageFilter.GaussianBlur(1)), np.float32) / 255.0 * 0.6)
    # cone of light: antero-inferior (5 o'clock in a right ear)
    phi = np.arctan2(ys - umbo[1], xs - umbo[0])
    dist = np.sqrt((xs - umbo[0]) ** 2 + (ys - umbo[1]) ** 2) / h
    cone = (np.exp(-((phi - math.radians(52)) / 0.16) ** 2)
            * P.smoothstep(0.02, 0.05, dist) * (1 - P.smoothstep(0.17, 0.23, dist)) * tm)
    P.blend(img, (252, 250, 244), cone * 0.9)
    # specular glints on the wet canal wall
    for i in range(5):
        gx, gy = cx + rng.normal(0, 0.3) * rap, cy + rng.normal(0, 0.3) * rap
        g = np.exp(-(((xs - gx) / 9.0) ** 2 + ((ys - gy) / 6.0) ** 2)) * (rr > 0.75)
        P.blend(img, (255, 255, 255), g * 0.7)
    # the speculum: everything outside the circle is black
    ap = 1.0 - P.smoothstep(0.985, 1.015, rr)
    img *= ap[..., None]
    img = np.asarray(Image.fromarray(np.clip(img + 0.5, 0, 255).astype(np.uint8), "RGB")
                     .filter(ImageFilter.GaussianBlur(1.2)), np.float32).copy()
    pil = P.camera_finish(img, rng, white=(1.0, 0.97, 0.9), light_dir=(0, 0), vignette=0.35, noise=1.8)
    jpeg = P.encode_jpeg(pil, quality=90, subsampling="4:2:2", model="Smartphone with clip-on otoscope",
                         when=v["when"])
    return jpeg, {"mm_per_pixel": None, "view": "right tympanic membrane, normal"}
