/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-pipeline.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

struct _LbLut {
  LbPixelFormat  format;
  /* GRAY8: 256 entries; GRAY16U/S: 65536, so any 16-bit value is a valid
   * index even when a decoder failed to mask to Bits Stored; RGB8: three
   * 256-entry channel tables, pre-shifted to their ARGB position. */
  guint32       *table;
};

void
lb_pipeline_params_init (LbPipelineParams *params)
{
  g_return_if_fail (params != NULL);

  /* Identity for 8-bit data: with the linear function, centre 128 and width
   * 256 map x to ((x − 127.5)/255 + 0.5)·255 = x (PS3.3 C.11.2.1.2.1). */
  *params = (LbPipelineParams) {
    .rescale_slope = 1.0,
    .window_center = 128.0,
    .window_width = 256.0,
    .voi_function = LB_VOI_FUNCTION_LINEAR,
  };
}

static gboolean
is_color (const LbPixelBuffer *frame)
{
  return frame != NULL && frame->format == LB_PIXEL_RGB8;
}

void
lb_pipeline_params_init_from_meta (LbPipelineParams    *params,
                                   const LbDicomMeta   *meta,
                                   const LbPixelBuffer *frame)
{
  double lo, hi;

  g_return_if_fail (params != NULL);
  g_return_if_fail (meta != NULL);

  lb_pipeline_params_init (params);
  if (is_color (frame) || meta->samples_per_pixel == 3)
    return;

  /* A zero slope would flatten the image; treat it as absent (1). */
  params->rescale_slope = meta->rescale_slope != 0.0 ? meta->rescale_slope : 1.0;
  params->rescale_intercept = meta->rescale_intercept;
  params->modality_lut = meta->modality_lut;
  params->voi_function = meta->voi_function;
  params->voi_lut = meta->voi_lut;
  params->presentation_inverse = meta->presentation_inverse;

  /* The object's first window wins, then its VOI LUT, then the full range of
   * the values present: PS3.3 C.11.2 lets a display choose among them. */
  if (meta->n_windows > 0 && meta->windows[0].width > 0)
    {
      params->window_center = meta->windows[0].center;
      params->window_width = meta->windows[0].width;
      return;
    }
  if (frame != NULL)
    {
      lb_pipeline_value_range (params, frame, &lo, &hi);
      params->window_width = hi - lo + 1;
      params->window_center = (lo + hi) / 2.0 + 0.5;
    }
  if (meta->voi_lut != NULL)
    params->use_voi_lut = TRUE;
}

static double
lut_entry (const LbDicomLut *lut,
           double            x)
{
  guint n = lut->n_entries != 0 ? lut->n_entries : 65536;
  double idx = floor (x) - lut->first_mapped;

  /* Inputs below the first mapped value take the first entry, above the
   * last take the last one (PS3.3 C.11.1.1.1, C.11.2.1.1). */
  if (idx <= 0 || lut->data == NULL)
    return lut->data != NULL ? lut->data[0] : 0;
  if (idx >= n - 1)
    return lut->data[n - 1];
  return lut->data[(guint) idx];
}

double
lb_pipeline_modality_value (const LbPipelineParams *params,
                            int                     stored)
{
  if (params->modality_lut != NULL)
    return lut_entry (params->modality_lut, stored);
  return stored * params->rescale_slope + params->rescale_intercept;
}

double
lb_pipeline_voi_value (const LbPipelineParams *params,
                       double                  x)
{
  double c = params->window_center, w = params->window_width;

  if (params->use_voi_lut && params->voi_lut != NULL)
    {
      guint bits = CLAMP (params->voi_lut->bits, 1, 16);
      double y = lut_entry (params->voi_lut, x) / ((1u << bits) - 1);

      return CLAMP (y, 0.0, 1.0);
    }

  switch (params->voi_function)
    {
    case LB_VOI_FUNCTION_LINEAR_EXACT:
      /* C.11.2.1.3.2: the window edges are exactly c ± w/2; width > 0. */
      w = MAX (w, 1e-6);
      if (x <= c - w / 2)
        return 0.0;
      if (x > c + w / 2)
        return 1.0;
      return (x - c) / w + 0.5;

    case LB_VOI_FUNCTION_SIGMOID:
      /* C.11.2.1.3.1: y = 1 / (1 + exp(−4 (x − c) / w)), never clipped. */
      w = MAX (w, 1e-6);
      return 1.0 / (1.0 + exp (-4.0 * (x - c) / w));

    case LB_VOI_FUNCTION_LINEAR:
    default:
      /* C.11.2.1.2.1: width ≥ 1; the −0.5 and (w − 1) place the edges
       * between integer inputs. With w = 1 the middle branch is empty, which
       * makes the window a threshold at c − 0.5. */
      w = MAX (w, 1.0);
      if (x <= c - 0.5 - (w - 1) / 2)
        return 0.0;
      if (x > c - 0.5 + (w - 1) / 2)
        return 1.0;
      return (x - (c - 0.5)) / (w - 1) + 0.5;
    }
}

static gboolean
inverted (const LbPipelineParams *params,
          gboolean                monochrome1)
{
  /* MONOCHROME1 and Presentation LUT Shape INVERSE say the same thing (a DX
   * image carries both, PS3.3 C.8.11.7), so they combine with OR, not XOR;
   * the user's toggle then flips the result. */
  return (monochrome1 || params->presentation_inverse) != !!params->invert;
}

static guint8
to_8bit (double y)
{
  return (guint8) CLAMP (floor (y * 255.0 + 0.5), 0.0, 255.0);
}

guint8
lb_pipeline_map_value (const LbPipelineParams *params,
                       gboolean                monochrome1,
                       int                     stored)
{
  guint8 v;

  g_return_val_if_fail (params != NULL, 0);

  v = to_8bit (lb_pipeline_voi_value (params, lb_pipeline_modality_value (params, stored)));
  return inverted (params, monochrome1) ? 255 - v : v;
}

/* The stored values a frame of this format and Bits Stored can hold. */
static void
stored_limits (const LbPixelBuffer *frame,
               int                 *lo,
               int                 *hi)
{
  guint bits = frame->bits_stored;

  switch (frame->format)
    {
    case LB_PIXEL_GRAY16U:
      bits = (bits >= 1 && bits <= 16) ? bits : 16;
      *lo = 0;
      *hi = (int) ((1u << bits) - 1);
      break;
    case LB_PIXEL_GRAY16S:
      bits = (bits >= 1 && bits <= 16) ? bits : 16;
      *lo = -(1 << (bits - 1));
      *hi = (1 << (bits - 1)) - 1;
      break;
    case LB_PIXEL_GRAY8:
    case LB_PIXEL_RGB8:
    default:
      *lo = 0;
      *hi = 255;
      break;
    }
  /* The decoder reports the smallest and largest value present; trust it
   * only when it is a real range inside the representable one. */
  if (frame->min_value < frame->max_value &&
      frame->min_value >= *lo && frame->max_value <= *hi)
    {
      *lo = frame->min_value;
      *hi = frame->max_value;
    }
}

void
lb_pipeline_value_range (const LbPipelineParams *params,
                         const LbPixelBuffer    *frame,
                         double                 *lo,
                         double                 *hi)
{
  int slo, shi;

  g_return_if_fail (params != NULL && frame != NULL);

  stored_limits (frame, &slo, &shi);
  *lo = G_MAXDOUBLE;
  *hi = -G_MAXDOUBLE;
  /* A Modality LUT need not be monotonic, so visit every value. */
  for (int v = slo; v <= shi; v++)
    {
      double m = lb_pipeline_modality_value (params, v);

      *lo = MIN (*lo, m);
      *hi = MAX (*hi, m);
      if (params->modality_lut == NULL && v == slo)
        v = MAX (v, shi - 1);   /* linear: the ends are enough */
    }
}

static guint32
gray_argb (guint8 v)
{
  return LB_PIPELINE_BACKGROUND | ((guint32) v << 16) | ((guint32) v << 8) | v;
}

LbLut *
lb_lut_new (const LbPipelineParams *params,
            const LbPixelBuffer    *frame)
{
  LbLut *lut;
  int lo, hi, offset = 0;
  guint n;

  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (frame != NULL, NULL);

  lut = g_new0 (LbLut, 1);
  lut->format = frame->format;

  if (frame->format == LB_PIXEL_RGB8)
    {
      LbPipelineParams linear = *params;

      /* Brightness/contrast on color: the same linear window on each channel;
       * no modality or VOI LUT applies to color data. */
      linear.voi_function = LB_VOI_FUNCTION_LINEAR;
      linear.use_voi_lut = FALSE;
      lut->table = g_new (guint32, 3 * 256);
      for (guint v = 0; v < 256; v++)
        {
          guint8 y = to_8bit (lb_pipeline_voi_value (&linear, v));

          if (params->invert)
            y = 255 - y;
          lut->table[v] = (guint32) y << 16;
          lut->table[256 + v] = (guint32) y << 8;
          lut->table[512 + v] = y;
        }
      return lut;
    }

  n = frame->format == LB_PIXEL_GRAY8 ? 256 : 65536;
  if (frame->format == LB_PIXEL_GRAY16S)
    offset = 32768;
  lut->table = g_new (guint32, n);
  stored_limits (frame, &lo, &hi);
  for (int v = lo; v <= hi; v++)
    lut->table[v + offset] = gray_argb (lb_pipeline_map_value (params, frame->monochrome1, v));
  /* Values outside the range present cannot occur in a well-formed frame;
   * give them the nearest computed entry so a lying decoder stays safe. */
  for (int i = 0; i < lo + offset; i++)
    lut->table[i] = lut->table[lo + offset];
  for (guint i = hi + offset + 1; i < n; i++)
    lut->table[i] = lut->table[hi + offset];
  return lut;
}

void
lb_lut_free (LbLut *lut)
{
  if (lut == NULL)
    return;
  g_free (lut->table);
  g_free (lut);
}

guint32
lb_lut_lookup (const LbLut  *lut,
               const guint8 *pixel)
{
  g_return_val_if_fail (lut != NULL && pixel != NULL, 0);

  switch (lut->format)
    {
    case LB_PIXEL_GRAY8:
      return lut->table[pixel[0]];
    case LB_PIXEL_GRAY16U:
      return lut->table[*(const guint16 *) pixel];
    case LB_PIXEL_GRAY16S:
      return lut->table[*(const gint16 *) pixel + 32768];
    case LB_PIXEL_RGB8:
      return LB_PIPELINE_BACKGROUND | lut->table[pixel[0]] |
             lut->table[256 + pixel[1]] | lut->table[512 + pixel[2]];
    default:
      g_return_val_if_reached (0);
    }
}

/* ---- auto window and presets ---------------------------------------- */

gboolean
lb_pipeline_auto_window (const LbPipelineParams *params,
                         const LbPixelBuffer    *frame,
                         double                  lo_pct,
                         double                  hi_pct,
                         double                 *center,
                         double                 *width)
{
  g_autofree guint32 *hist = NULL;
  guint n_bins, offset = 0, step;
  guint64 total = 0, acc = 0, lo_count, hi_count;
  int vlo = -1, vhi = -1;
  double mlo, mhi;

  g_return_val_if_fail (params != NULL && frame != NULL, FALSE);
  g_return_val_if_fail (center != NULL && width != NULL, FALSE);

  n_bins = (frame->format == LB_PIXEL_GRAY16U || frame->format == LB_PIXEL_GRAY16S) ? 65536 : 256;
  if (frame->format == LB_PIXEL_GRAY16S)
    offset = 32768;
  hist = g_new0 (guint32, n_bins);
  /* A percentile does not need every pixel: sample about a million. */
  step = MAX (1, (guint) sqrt ((double) frame->width * frame->height / 1e6));

  for (guint y = 0; y < frame->height; y += step)
    {
      const guint8 *row = frame->data + (gsize) y * frame->stride;

      for (guint x = 0; x < frame->width; x += step)
        switch (frame->format)
          {
          case LB_PIXEL_GRAY8:
            hist[row[x]]++;
            break;
          case LB_PIXEL_GRAY16U:
            hist[((const guint16 *) row)[x]]++;
            break;
          case LB_PIXEL_GRAY16S:
            hist[((const gint16 *) row)[x] + 32768]++;
            break;
          case LB_PIXEL_RGB8:
            for (guint c = 0; c < 3; c++)
              hist[row[3 * x + c]]++;
            break;
          default:
            g_return_val_if_reached (FALSE);
          }
    }

  for (guint i = 0; i < n_bins; i++)
    total += hist[i];
  if (total == 0)
    return FALSE;
  lo_count = (guint64) ceil (total * CLAMP (lo_pct, 0, 100) / 100.0);
  hi_count = (guint64) ceil (total * CLAMP (hi_pct, 0, 100) / 100.0);
  for (guint i = 0; i < n_bins; i++)
    {
      acc += hist[i];
      if (vlo < 0 && acc >= MAX (lo_count, 1))
        vlo = (int) i;
      if (vhi < 0 && acc >= MAX (hi_count, 1))
        {
          vhi = (int) i;
          break;
        }
    }
  vlo -= offset;
  vhi -= offset;

  if (frame->format == LB_PIXEL_RGB8)
    {
      mlo = vlo;
      mhi = vhi;
    }
  else
    {
      mlo = lb_pipeline_modality_value (params, vlo);
      mhi = lb_pipeline_modality_value (params, vhi);
    }
  if (mlo > mhi)
    {
      double t = mlo;
      mlo = mhi;
      mhi = t;
    }
  /* The linear window whose first and last steps fall on mlo and mhi. */
  *width = mhi - mlo + 1;
  *center = (mlo + mhi) / 2.0 + 0.5;
  return TRUE;
}

static void
preset_clear (gpointer data)
{
  LbVoiPreset *p = data;

  g_clear_pointer (&p->name, g_free);
}

static void
add_preset (GArray     *presets,
            const char *name,
            double      center,
            double      width,
            gboolean    voi_lut)
{
  LbVoiPreset p = { g_strdup (name), center, width, voi_lut };

  g_array_append_val (presets, p);
}

GArray *
lb_pipeline_list_presets (const LbDicomMeta *meta)
{
  /* The usual CT windows in Hounsfield units (centre, width). */
  static const struct { const char *name; double c, w; } ct[] = {
    { N_("Brain"), 40, 80 },
    { N_("Subdural"), 75, 215 },
    { N_("Stroke"), 40, 40 },
    { N_("Temporal bone"), 600, 2800 },
    { N_("Soft tissue"), 40, 400 },
    { N_("Abdomen"), 50, 400 },
    { N_("Liver"), 30, 150 },
    { N_("Mediastinum"), 50, 350 },
    { N_("Lung"), -600, 1500 },
    { N_("Bone"), 400, 1800 },
  };
  GArray *presets = g_array_new (FALSE, TRUE, sizeof (LbVoiPreset));

  g_array_set_clear_func (presets, preset_clear);
  if (meta == NULL)
    return presets;

  for (guint i = 0; i < meta->n_windows; i++)
    {
      const LbWindowPreset *w = &meta->windows[i];
      g_autofree char *fallback = g_strdup_printf (_("Window %u"), i + 1);

      if (w->width <= 0)
        continue;
      add_preset (presets, (w->explanation && *w->explanation) ? w->explanation : fallback,
                  w->center, w->width, FALSE);
    }
  if (meta->voi_lut != NULL)
    add_preset (presets,
                (meta->voi_lut->explanation && *meta->voi_lut->explanation)
                  ? meta->voi_lut->explanation : _("VOI LUT"),
                0, 0, TRUE);
  if (g_strcmp0 (meta->modality, "CT") == 0)
    for (guint i = 0; i < G_N_ELEMENTS (ct); i++)
      add_preset (presets, _(ct[i].name), ct[i].c, ct[i].w, FALSE);
  return presets;
}

/* ---- rendering -------------------------------------------------------- */

/* For each device column (or row) the byte offset of the level pixel it
 * samples along one axis, or -1 outside the level. */
static void
axis_offsets (gssize  *out,
              int      n,
              int      first,
              double   scale,
              double   origin,
              int      limit,
              gssize   unit)
{
  for (int i = 0; i < n; i++)
    {
      double v = floor (scale * (first + i + 0.5) + origin);

      out[i] = (v >= 0 && v < limit) ? (gssize) v * unit : -1;
    }
}

void
lb_pipeline_render (const LbPyramid       *pyramid,
                    const LbLut           *lut,
                    const LbViewTransform *view,
                    int                    x,
                    int                    y,
                    int                    width,
                    int                    height,
                    guint8                *out,
                    gsize                  out_stride)
{
  const LbPixelBuffer *src;
  g_autofree gssize *col = NULL;
  g_autofree gssize *row = NULL;
  double m[6], k;
  gboolean swapped;
  gssize bpp;
  int first = 0, last = -1;

  g_return_if_fail (pyramid != NULL && lut != NULL && view != NULL && out != NULL);
  g_return_if_fail (width >= 0 && height >= 0 && out_stride >= (gsize) width * 4);

  src = pyramid->levels[lb_pyramid_level_for_zoom (pyramid, view->zoom)];
  g_return_if_fail (src->format == lut->format);
  bpp = lb_pixel_format_bpp (src->format);

  /* Device → level coordinates: the inverse view matrix, then the level's
   * reduction. Rotations are quarter turns, so each level axis depends on
   * the device column only or on the device row only: two offset tables
   * replace all per-pixel arithmetic. */
  lb_view_transform_get_inverse (view, m);
  k = 1.0 / MAX (src->scale_denom, 1);
  swapped = (m[0] == 0.0);
  col = g_new (gssize, MAX (width, 1));
  row = g_new (gssize, MAX (height, 1));
  if (!swapped)
    {
      axis_offsets (col, width, x, k * m[0], k * m[2], src->width, bpp);
      axis_offsets (row, height, y, k * m[4], k * m[5], src->height, src->stride);
    }
  else
    {
      axis_offsets (col, width, x, k * m[3], k * m[5], src->height, src->stride);
      axis_offsets (row, height, y, k * m[1], k * m[2], src->width, bpp);
    }
  /* The image is convex, so the columns that hit it are one run. */
  while (first < width && col[first] < 0)
    first++;
  for (int i = width - 1; i >= first; i--)
    if (col[i] >= 0)
      {
        last = i;
        break;
      }

  for (int j = 0; j < height; j++)
    {
      guint32 *o = (guint32 *) (out + (gsize) j * out_stride);
      const guint8 *base;
      int i = 0;

      if (row[j] < 0 || last < first)
        {
          for (; i < width; i++)
            o[i] = LB_PIPELINE_BACKGROUND;
          continue;
        }
      base = src->data + row[j];
      for (; i < first; i++)
        o[i] = LB_PIPELINE_BACKGROUND;

      switch (src->format)
        {
        case LB_PIXEL_GRAY8:
          for (; i <= last; i++)
            o[i] = lut->table[base[col[i]]];
          break;
        case LB_PIXEL_GRAY16U:
          for (; i <= last; i++)
            o[i] = lut->table[*(const guint16 *) (base + col[i])];
          break;
        case LB_PIXEL_GRAY16S:
          {
            const guint32 *t = lut->table + 32768;

            for (; i <= last; i++)
              o[i] = t[*(const gint16 *) (base + col[i])];
          }
          break;
        case LB_PIXEL_RGB8:
          for (; i <= last; i++)
            {
              const guint8 *p = base + col[i];

              o[i] = LB_PIPELINE_BACKGROUND | lut->table[p[0]] |
                     lut->table[256 + p[1]] | lut->table[512 + p[2]];
            }
          break;
        default:
          g_assert_not_reached ();
        }
      for (; i < width; i++)
        o[i] = LB_PIPELINE_BACKGROUND;
    }
}
