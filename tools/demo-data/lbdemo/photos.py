# SPDX-License-Identifier: GPL-3.0-or-later
"""Procedurally drawn "smartphone photos" (numpy + PIL, fixed seeds).

Every function takes an explicit numpy Generator, so the same seed gives the
same pixels; JPEG encoding uses fixed settings, so the same pixels give the
same bytes. Colours are 0..255 floats until the final quantisation.
"""

import io
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

TWO_PI = 2.0 * math.pi


# ---------------------------------------------------------------- helpers

def smooth_field(rng, h, w, cell_px):
    """Smooth noise, roughly N(0, 1), with features about cell_px wide."""
    cy = max(2, int(round(h / cell_px)) + 2)
    cx = max(2, int(round(w / cell_px)) + 2)
    small = rng.standard_normal((cy, cx)).astype(np.float32)
    im = Image.fromarray(small, mode="F").resize((w, h), Image.BICUBIC)
    a = np.asarray(im, dtype=np.float32)
    sd = float(a.std()) or 1.0
    return a / sd


def smoothstep(e0, e1, x):
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def star_shape(rng, n=7, irregularity=0.12):
    """Random harmonics of a star-shaped outline r(theta)."""
    k = np.arange(2, 2 + n, dtype=np.float64)
    amps = irregularity * rng.random(n) / np.sqrt(k - 1.0)
    phases = rng.random(n) * TWO_PI
    return k, amps, phases


def radius_table(shape, elong=(1.0, 1.0), n=4096):
    """Sampled outline and its exact polygon area (unit scale)."""
    k, amps, phases = shape
    th = np.arange(n, dtype=np.float64) * (TWO_PI / n)
    r = 1.0 + (amps[:, None] * np.cos(k[:, None] * th + phases[:, None])).sum(0)
    ea, eb = elong
    r = r / np.sqrt((np.cos(th) / ea) ** 2 + (np.sin(th) / eb) ** 2)
    area = 0.5 * float(np.sum(r * r)) * (TWO_PI / n)
    return th, r, area


def polar_coords(h, w, box, centre, angle_rad, mm_per_px):
    """mm coordinates (rotated into the object's frame) inside box."""
    x0, y0, x1, y1 = box
    ys = (np.arange(y0, y1, dtype=np.float32) + 0.5 - centre[1]) * mm_per_px
    xs = (np.arange(x0, x1, dtype=np.float32) + 0.5 - centre[0]) * mm_per_px
    X = xs[None, :]
    Y = ys[:, None]
    c, s = math.cos(angle_rad), math.sin(angle_rad)
    u = X * c + Y * s
    v = -X * s + Y * c
    r = np.sqrt(u * u + v * v)
    th = np.mod(np.arctan2(v, u), TWO_PI)
    return r, th


def clip_box(cx, cy, half, w, h):
    x0 = max(0, int(cx - half))
    y0 = max(0, int(cy - half))
    x1 = min(w, int(cx + half) + 1)
    y1 = min(h, int(cy + half) + 1)
    return x0, y0, x1, y1


def blend(base, colour, alpha):
    """base[...,3] += (colour - base) * alpha (alpha 2-D, colour 3-vector or image)."""
    a = alpha[..., None]
    base += (np.asarray(colour, dtype=np.float32) - base) * a


# ------------------------------------------------------------------ ruler

def make_ruler(mm_per_px, length_mm, height_mm, n_cm, title=None,
               paper=(244, 242, 233), ink=(28, 28, 34), ss=4):
    """A printed paper ruler: mm ticks along the top edge, cm numbers.

    Drawn supersampled (ss×) and box-filtered down, so tick positions are
    accurate to a fraction of a pixel. Returns an RGBA PIL image whose pixel
    scale is exactly mm_per_px. The 0 mark is 5 mm from the left end.
    """
    wf = int(math.ceil(length_mm / mm_per_px))
    hf = int(math.ceil(height_mm / mm_per_px))
    W, H = wf * ss, hf * ss
    ppm = ss / mm_per_px
    paper_m = Image.new("L", (W, H), 0)
    ImageDraw.Draw(paper_m).rounded_rectangle(
        [0, 0, int(length_mm * ppm) - 1, int(height_mm * ppm) - 1],
        radius=int(1.2 * ppm), fill=255)
    ink_m = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(ink_m)
    x0 = 5.0
    tw = max(0.15 * ppm, 1.6 * ss) / 2.0
    for i in range(0, n_cm * 10 + 1):
        x = (x0 + i) * ppm
        tl = 6.0 if i % 10 == 0 else (4.3 if i % 5 == 0 else 2.8)
        d.rectangle([int(round(x - tw)), 0, int(round(x + tw)), int(tl * ppm)], fill=255)
    font = ImageFont.truetype(FONT_BOLD, size=max(8, int(2.8 * ppm)))
    for c in range(0, n_cm + 1):
        d.text(((x0 + 10 * c) * ppm, 6.8 * ppm), str(c), font=font, fill=255, anchor="mt")
    small = ImageFont.truetype(FONT, size=max(6, int(1.9 * ppm)))
    d.text(((x0 + 10 * n_cm + 2.2) * ppm, 6.8 * ppm), "cm", font=small, fill=255, anchor="lt")
    if title:
        d.text((x0 * ppm, (height_mm - 1.6) * ppm), title, font=small, fill=255, anchor="ls")
    paper_m = paper_m.resize((wf, hf), Image.BOX)
    ink_m = ink_m.resize((wf, hf), Image.BOX)
    a_ink = np.asarray(ink_m, dtype=np.float32)[..., None] / 255.0
    rgb = np.asarray(paper, np.float32) * (1 - a_ink) + np.asarray(ink, np.float32) * a_ink
    rgba = np.dstack([rgb, np.asarray(paper_m, dtype=np.float32)])
    return Image.fromarray(np.clip(rgba + 0.5, 0, 255).astype(np.uint8), "RGBA")


def place_ruler(img, ruler, centre, angle_deg, mm_per_px, shadow=0.32):
    """Composite a (rotated) ruler with a soft drop shadow onto img (float HxWx3)."""
    h, w, _ = img.shape
    fill = ruler.getpixel((ruler.width // 2, ruler.height // 2))[:3] + (0,)
    rot = ruler.rotate(angle_deg, resample=Image.BICUBIC, expand=True, fillcolor=fill)
    a = np.asarray(rot, dtype=np.float32)
    rw, rh = rot.width, rot.height
    left = int(round(centre[0] - rw / 2))
    top = int(round(centre[1] - rh / 2))
    # shadow: blurred alpha, offset down-right
    blur_px = max(1.0, 0.9 / mm_per_px)
    sh = Image.fromarray(a[..., 3].astype(np.uint8), "L")
    pad = int(3 * blur_px)
    shp = Image.new("L", (rw + 2 * pad, rh + 2 * pad), 0)
    shp.paste(sh, (pad, pad))
    shp = shp.filter(ImageFilter.GaussianBlur(blur_px))
    sa = np.asarray(shp, dtype=np.float32) / 255.0
    off = (int(round(0.7 / mm_per_px)), int(round(1.1 / mm_per_px)))
    _darken(img, sa * shadow, left - pad + off[0], top - pad + off[1])
    _over(img, a[..., :3], a[..., 3] / 255.0, left, top)


def _region(img, arr, left, top):
    h, w = img.shape[:2]
    ah, aw = arr.shape[:2]
    x0, y0 = max(0, left), max(0, top)
    x1, y1 = min(w, left + aw), min(h, top + ah)
    if x0 >= x1 or y0 >= y1:
        return None
    return (slice(y0, y1), slice(x0, x1)), (slice(y0 - top, y1 - top), slice(x0 - left, x1 - left))


def _darken(img, alpha, left, top):
    r = _region(img, alpha, left, top)
    if r:
        dst, src = r
        img[dst] *= (1.0 - alpha[src])[..., None]


def _over(img, rgb, alpha, left, top):
    r = _region(img, alpha, left, top)
    if r:
        dst, src = r
        a = alpha[src][..., None]
        img[dst] = img[dst] * (1 - a) + rgb[src] * a


# ------------------------------------------------------------- camera

def camera_finish(img, rng, *, gain=1.0, white=(1.0, 1.0, 1.0), light_dir=(0.08, -0.05),
                  vignette=0.16, noise=1.6, gamma=1.0):
    """Uneven light, vignetting, exposure, white balance, sensor noise."""
    h, w, _ = img.shape
    ys = (np.arange(h, dtype=np.float32) - h / 2) / (h / 2)
    xs = (np.arange(w, dtype=np.float32) - w / 2) / (w / 2)
    light = (1.0 + light_dir[0] * xs[None, :] + light_dir[1] * ys[:, None]
             - vignette * 0.5 * (xs[None, :] ** 2 + ys[:, None] ** 2))
    img *= light[..., None]
    img *= np.asarray(white, np.float32) * gain
    if gamma != 1.0:
        np.clip(img, 0, 255, out=img)
        img[:] = 255.0 * (img / 255.0) ** gamma
    if noise > 0:
        img += rng.standard_normal(img.shape, dtype=np.float32) * noise
    np.clip(img + 0.5, 0, 255, out=img)
    return Image.fromarray(img.astype(np.uint8), "RGB")


def encode_jpeg(pil_img, *, quality=90, subsampling="4:2:0", make="Patient smartphone",
                model="Smartphone camera", when=None):
    """Baseline JPEG with a small EXIF block (no GPS), fixed settings."""
    exif = Image.Exif()
    exif[0x010F] = make            # Make
    exif[0x0110] = model           # Model
    exif[0x0112] = 1               # Orientation: upright (no rotation needed)
    exif[0x0131] = "Lightbox demo data"  # Software
    if when:
        exif[0x0132] = when        # DateTime, "YYYY:MM:DD HH:MM:SS"
    buf = io.BytesIO()
    pil_img.save(buf, "JPEG", quality=quality,
                 subsampling={"4:4:4": 0, "4:2:2": 1, "4:2:0": 2}[subsampling],
                 optimize=False, progressive=False, exif=exif.tobytes())
    return buf.getvalue()


# --------------------------------------------------------------- skin

def limb_scene(rng, w, h, s, *, skin, backdrop, centre_y, tilt_deg, half_width_mm,
               taper_mm=0.0, redness=6.0):
    """A limb (cylinder) across the frame on a fabric backdrop.

    s is mm per pixel. Returns (img float HxWx3, skin_alpha HxW)."""
    ys = np.arange(h, dtype=np.float32)[:, None] + 0.5
    xs = np.arange(w, dtype=np.float32)[None, :] + 0.5
    t = math.tan(math.radians(tilt_deg))
    yc = centre_y + t * (xs - w / 2)
    hw = (half_width_mm - taper_mm * (xs / w - 0.5)) / s
    u = (ys - yc) / hw * math.cos(math.radians(tilt_deg))
    e = 0.8 / half_width_mm                      # ~0.8 mm soft silhouette
    inside = 1.0 - smoothstep(1.0 - e, 1.0 + e, np.abs(u))
    # backdrop: a towel / sheet with folds and weave
    folds = smooth_field(rng, h, w, 38.0 / s)
    weave = smooth_field(rng, h, w, max(1.5, 0.7 / s))
    bd = np.empty((h, w, 3), np.float32)
    shade_bd = 0.92 + 0.07 * folds + 0.02 * weave
    bd[:] = np.asarray(backdrop, np.float32)
    bd *= shade_bd[..., None]
    # skin: cylinder shading, blotches, pores
    uu = np.clip(u, -1.0, 1.0)
    shade = 0.70 + 0.36 * np.sqrt(1.0 - uu * uu) - 0.06 * uu
    blot = smooth_field(rng, h, w, 16.0 / s)
    pores = smooth_field(rng, h, w, max(1.5, 0.45 / s))
    sk = np.empty((h, w, 3), np.float32)
    sk[:] = np.asarray(skin, np.float32)
    sk *= (shade * (1.0 + 0.025 * pores))[..., None]
    sk *= (1.0 + 0.012 * blot)[..., None]
    red = redness * np.maximum(blot + 0.3, 0.0)
    sk[..., 0] += 0.5 * red
    sk[..., 1] -= 0.5 * red
    sk[..., 2] -= 0.4 * red
    a = inside[..., None]
    img = bd * (1 - a) + sk * a
    return img, inside


def skin_patch_scene(rng, w, h, s, *, skin, groove_x=None, redness=5.0):
    """Skin filling the frame (the back), with an optional spine groove."""
    ys = (np.arange(h, dtype=np.float32)[:, None] + 0.5) / h
    xs = np.arange(w, dtype=np.float32)[None, :] + 0.5
    shade = 0.95 + 0.05 * (1 - ys) + np.zeros((1, w), np.float32)
    if groove_x is not None:
        shade = shade - 0.10 * np.exp(-((xs - groove_x) * s / 14.0) ** 2)
    blot = smooth_field(rng, h, w, 11.0 / s)
    pores = smooth_field(rng, h, w, max(1.5, 0.45 / s))
    img = np.empty((h, w, 3), np.float32)
    img[:] = np.asarray(skin, np.float32)
    img *= (shade * (1.0 + 0.03 * pores))[..., None]
    red = redness * np.maximum(blot + 0.3, 0.0)
    img[..., 0] += 0.5 * red
    img[..., 1] -= 0.5 * red
    img[..., 2] -= 0.4 * red
    return img


def draw_hairs(img, rng, s, count, direction_deg, colour=(62, 45, 36), opacity=0.55,
               length_mm=(4.0, 9.0), width_mm=0.05):
    """Fine body hair: thin curved strokes along a main direction."""
    h, w, _ = img.shape
    mask = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(mask)
    width = max(1, int(round(width_mm / s)))
    for _ in range(count):
        x, y = rng.random() * w, rng.random() * h
        ang = math.radians(direction_deg + rng.normal(0, 14))
        bend = rng.normal(0, 0.35)
        L = rng.uniform(*length_mm) / s
        pts = []
        for i in range(9):
            f = i / 8.0
            a = ang + bend * f
            pts.append((x, y))
            x += math.cos(a) * L / 8
            y += math.sin(a) * L / 8
        d.line(pts, fill=255, width=width)
    m = np.asarray(mask, np.float32) / 255.0 * opacity
    blend(img, colour, m)


def draw_wound(img, s, centre, axis_deg, table, area_mm2, *, bed, rim, rim_mm,
               halo, halo_mm, rng, mottle=16.0, slough=None):
    """Irregular wound: granulating bed, darker rim, erythema halo.

    Returns the drawn wound area in mm² (anti-aliased coverage × s²)."""
    h, w, _ = img.shape
    th_t, r_t, unit_area = table
    scale = math.sqrt(area_mm2 / unit_area)
    rmax = float(r_t.max()) * scale
    half = (rmax + 4 * halo_mm) / s + 4
    box = clip_box(centre[0], centre[1], half, w, h)
    x0, y0, x1, y1 = box
    r, th = polar_coords(h, w, box, centre, math.radians(axis_deg), s)
    R = np.interp(th, th_t, r_t * scale, period=TWO_PI).astype(np.float32)
    dmm = r - R                                   # < 0 inside
    cover = np.clip(0.5 - dmm / s, 0.0, 1.0)       # 1-px anti-aliased edge
    depth = np.clip(-dmm / rim_mm, 0.0, 1.0)
    bh, bw = y1 - y0, x1 - x0
    mot = smooth_field(rng, bh, bw, max(1.5, 0.55 / s))
    mot2 = smooth_field(rng, bh, bw, max(2.0, 2.5 / s))
    col = np.empty((bh, bw, 3), np.float32)
    col[:] = np.asarray(bed, np.float32)
    col[..., 0] += mottle * mot
    col[..., 1] += 0.45 * mottle * mot
    col[..., 2] += 0.40 * mottle * mot
    if slough is not None:
        sl = smoothstep(1.2, 1.9, mot2)[..., None] * smoothstep(0.35, 0.9, depth)[..., None] * 0.7
        col = col * (1 - sl) + np.asarray(slough, np.float32) * sl
    rim_w = (1.0 - depth) ** 1.4
    col = col * (1 - rim_w[..., None]) + np.asarray(rim, np.float32) * rim_w[..., None]
    region = img[y0:y1, x0:x1]
    # erythema outside the edge, fading out over halo_mm
    ery = np.where(dmm > 0, np.exp(-np.maximum(dmm, 0) / halo_mm), 0.0).astype(np.float32) * 0.5
    lum = region.mean(axis=2, keepdims=True) / 200.0
    blend(region, np.asarray(halo, np.float32) * lum, ery)
    region[:] = region * (1 - cover[..., None]) + col * lum * cover[..., None]
    return float(cover.sum()) * s * s


def draw_naevus(img, s, centre, table, diameter_mm, *, rng, dark=(66, 42, 33),
                light=(128, 86, 64), fuzz_mm=0.25):
    """A pigmented lesion: dark centre, lighter irregular border, soft edge."""
    h, w, _ = img.shape
    th_t, r_t, unit_area = table
    scale = (diameter_mm / 2.0) / math.sqrt(unit_area / math.pi)
    half = (float(r_t.max()) * scale + 3 * fuzz_mm) / s + 4
    box = clip_box(centre[0], centre[1], half, w, h)
    x0, y0, x1, y1 = box
    r, th = polar_coords(h, w, box, centre, 0.3, s)
    R = np.interp(th, th_t, r_t * scale, period=TWO_PI).astype(np.float32)
    rel = r / R
    bh, bw = y1 - y0, x1 - x0
    net = smooth_field(rng, bh, bw, max(1.5, 0.3 / s))
    cover = 1.0 - smoothstep(1.0 - fuzz_mm / (diameter_mm / 2), 1.0 + 0.3 * fuzz_mm / (diameter_mm / 2), rel)
    t = np.clip(rel, 0, 1)[..., None]
    col = np.asarray(dark, np.float32) * (1 - t ** 2) + np.asarray(light, np.float32) * t ** 2
    col *= (1.0 + 0.10 * net)[..., None]
    region = img[y0:y1, x0:x1]
    lum = region.mean(axis=2, keepdims=True) / 190.0
    region[:] = region * (1 - cover[..., None]) + col * lum * cover[..., None]


def motion_blur(img, length_px, angle_deg, extra_gauss=1.5):
    """Camera shake: average of shifted copies along a line, then a soft blur."""
    h, w, _ = img.shape
    pad = int(length_px) + 2
    padded = np.pad(img, ((pad, pad), (pad, pad), (0, 0)), mode="edge")
    acc = np.zeros_like(img)
    n = int(length_px)
    ca, sa = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))
    for i in range(n):
        f = i - (n - 1) / 2.0
        dx, dy = int(round(f * ca)), int(round(f * sa))
        acc += padded[pad + dy:pad + dy + h, pad + dx:pad + dx + w]
    acc /= n
    if extra_gauss > 0:
        im = Image.fromarray(np.clip(acc + 0.5, 0, 255).astype(np.uint8), "RGB")
        im = im.filter(ImageFilter.GaussianBlur(extra_gauss))
        acc = np.asarray(im, dtype=np.float32).copy()
    return acc
