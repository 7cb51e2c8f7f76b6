/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-quality.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

/* The measures are taken on an image of at most this many pixels on its
 * long side, so that one blur threshold works for a 2 MP and a 12 MP photo
 * (the Laplacian's variance grows with resolution). */
#define MEASURE_LONG_SIDE 1024

void
lb_quality_thresholds_init_default (LbQualityThresholds *t)
{
  g_return_if_fail (t != NULL);

  t->blur_threshold = 5.0;
  t->dark_fraction = 0.6;
  t->bright_fraction = 0.25;
  t->min_megapixels = 1.0;
}

/* Luma per ITU-R BT.601, the weights JPEG's YCbCr uses. */
static inline float
luma_at (const LbPixelBuffer *b, guint x, guint y)
{
  const guint8 *row = b->data + (gsize) y * b->stride;

  switch (b->format)
    {
    case LB_PIXEL_RGB8:
      return 0.299f * row[3 * x] + 0.587f * row[3 * x + 1] + 0.114f * row[3 * x + 2];
    case LB_PIXEL_GRAY8:
      return row[x];
    case LB_PIXEL_GRAY16U:
      {
        int range = MAX (b->max_value - b->min_value, 1);
        return 255.0f * (((const guint16 *) row)[x] - b->min_value) / range;
      }
    case LB_PIXEL_GRAY16S:
      {
        int range = MAX (b->max_value - b->min_value, 1);
        return 255.0f * (((const gint16 *) row)[x] - b->min_value) / range;
      }
    default:
      return 0.0f;
    }
}

/**
 * lb_quality_measure:
 * @buffer: a decoded frame, or a scaled preview of it
 * @full_width: the width of the full image (for the resolution hint)
 * @full_height: its height
 * @out: (out): the measures
 *
 * Returns: %FALSE if the buffer is too small to measure
 */
gboolean
lb_quality_measure (const LbPixelBuffer *buffer,
                    guint                full_width,
                    guint                full_height,
                    LbQualityMetrics    *out)
{
  guint step, w, h;
  g_autofree float *luma = NULL;
  double sum = 0, sum_sq = 0, luma_sum = 0;
  gsize dark = 0, bright = 0, n_lap = 0;

  g_return_val_if_fail (buffer != NULL && buffer->data != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->megapixels = (double) full_width * full_height / 1e6;

  /* Box-average down to the measuring size: averaging (not skipping)
   * keeps sensor noise from passing for sharpness. */
  step = MAX (1, (MAX (buffer->width, buffer->height) + MEASURE_LONG_SIDE - 1) / MEASURE_LONG_SIDE);
  w = buffer->width / step;
  h = buffer->height / step;
  if (w < 3 || h < 3)
    return FALSE;

  luma = g_new (float, (gsize) w * h);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        float acc = 0;
        for (guint dy = 0; dy < step; dy++)
          for (guint dx = 0; dx < step; dx++)
            acc += luma_at (buffer, x * step + dx, y * step + dy);
        acc /= (float) (step * step);
        luma[(gsize) y * w + x] = acc;
        luma_sum += acc;
        dark += acc < 32.0f;
        bright += acc > 245.0f;
      }

  /* 4-neighbour Laplacian over the interior. */
  for (guint y = 1; y + 1 < h; y++)
    for (guint x = 1; x + 1 < w; x++)
      {
        const float *p = luma + (gsize) y * w + x;
        double lap = p[-1] + p[1] + p[-(gssize) w] + p[w] - 4.0 * p[0];
        sum += lap;
        sum_sq += lap * lap;
        n_lap++;
      }

  /* The Laplacian grows with exposure and contrast as much as with focus:
   * divided by the squared mean brightness, a dim but sharp photo is not
   * called blurry. Scaled by 10⁴ to give readable numbers (a sharp phone
   * photo scores in the hundreds, a shaken one in single digits). */
  out->mean_luma = luma_sum / ((gsize) w * h);
  out->sharpness = (sum_sq / n_lap - (sum / n_lap) * (sum / n_lap))
                   / MAX (out->mean_luma * out->mean_luma, 1.0) * 1e4;
  out->dark_fraction = (double) dark / ((gsize) w * h);
  out->bright_fraction = (double) bright / ((gsize) w * h);
  return TRUE;
}

static gboolean
is_blank (const char *s)
{
  return s == NULL || s[strspn (s, " ")] == '\0';
}

LbQualityFlags
lb_quality_assess (const LbQualityMetrics    *m,
                   const LbQualityThresholds *t,
                   const char                *body_part,
                   const char                *laterality)
{
  LbQualityFlags flags = LB_QUALITY_OK;

  g_return_val_if_fail (m != NULL && t != NULL, LB_QUALITY_OK);

  if (m->sharpness < t->blur_threshold)
    flags |= LB_QUALITY_BLURRY;
  /* Dim overall, or mostly black. A dark border alone (an otoscope's or a
   * dermatoscope's vignette) is not under-exposure. */
  if (m->mean_luma < 50.0 || m->dark_fraction > t->dark_fraction)
    flags |= LB_QUALITY_UNDER_EXPOSED;
  if (m->bright_fraction > t->bright_fraction)
    flags |= LB_QUALITY_OVER_EXPOSED;
  if (m->megapixels < t->min_megapixels)
    flags |= LB_QUALITY_LOW_RESOLUTION;
  if (is_blank (body_part))
    flags |= LB_QUALITY_NO_BODY_PART;
  if (is_blank (laterality))
    flags |= LB_QUALITY_NO_LATERALITY;
  return flags;
}

/**
 * lb_quality_describe:
 *
 * Returns: (transfer full): the hints in words, e.g. "blurry, under-exposed",
 *   or "" when there are none
 */
char *
lb_quality_describe (LbQualityFlags flags)
{
  static const struct { LbQualityFlags flag; const char *text; } names[] = {
    { LB_QUALITY_BLURRY, N_("blurry") },
    { LB_QUALITY_UNDER_EXPOSED, N_("under-exposed") },
    { LB_QUALITY_OVER_EXPOSED, N_("over-exposed") },
    { LB_QUALITY_LOW_RESOLUTION, N_("low resolution") },
    { LB_QUALITY_NO_BODY_PART, N_("no body part") },
    { LB_QUALITY_NO_LATERALITY, N_("no laterality") },
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (flags & names[i].flag)
      {
        if (out->len > 0)
          g_string_append (out, ", ");
        g_string_append (out, _(names[i].text));
      }
  return g_string_free (out, FALSE);
}

/**
 * lb_quality_check_object:
 * @object: a parsed image
 * @thresholds: when to raise each hint
 * @out: (out) (optional): the measures
 *
 * Photos only make sense to judge this way; for grayscale modalities the
 * exposure hints say little, so callers show them for photos.
 *
 * Returns: the #LbQualityFlags, or -1 on error
 */
int
lb_quality_check_object (LbDicomObject              *object,
                         const LbQualityThresholds  *thresholds,
                         LbQualityMetrics           *out,
                         GError                    **error)
{
  const LbDicomMeta *meta;
  g_autoptr (LbPixelBuffer) buffer = NULL;
  LbQualityMetrics metrics;
  guint longest, denom;

  g_return_val_if_fail (object != NULL && thresholds != NULL, -1);

  meta = lb_dicom_object_get_meta (object);
  /* About 1000 px on the long side is what the measures use anyway. */
  longest = MAX (meta->rows, meta->columns);
  denom = longest >= 8000 ? 8 : longest >= 4000 ? 4 : longest >= 2000 ? 2 : 1;
  buffer = lb_dicom_object_decode_frame_scaled (object, 0, denom, error);
  if (buffer == NULL)
    return -1;
  if (!lb_quality_measure (buffer, meta->columns, meta->rows, &metrics))
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_BAD_IMAGE,
                   "The image is too small to judge (%u × %u)", meta->columns, meta->rows);
      return -1;
    }
  if (out != NULL)
    *out = metrics;
  return lb_quality_assess (&metrics, thresholds, meta->body_part, meta->laterality);
}
