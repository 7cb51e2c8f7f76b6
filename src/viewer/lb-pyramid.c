/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-pyramid.h"

#include <math.h>

/* Reductions stop once the whole image fits in this many pixels a side:
 * nothing on screen is ever drawn smaller. */
#define MIN_LEVEL_SIZE 32

guint
lb_pixel_format_bpp (LbPixelFormat format)
{
  switch (format)
    {
    case LB_PIXEL_GRAY8:
      return 1;
    case LB_PIXEL_GRAY16U:
    case LB_PIXEL_GRAY16S:
      return 2;
    case LB_PIXEL_RGB8:
      return 3;
    default:
      g_return_val_if_reached (1);
    }
}

LbPixelBuffer *
lb_pyramid_buffer_new (guint         width,
                       guint         height,
                       LbPixelFormat format)
{
  LbPixelBuffer *b = g_new0 (LbPixelBuffer, 1);

  b->width = width;
  b->height = height;
  b->format = format;
  /* Rows 4-byte aligned, like cairo's, so 16-bit rows stay aligned too. */
  b->stride = ((gsize) width * lb_pixel_format_bpp (format) + 3) & ~(gsize) 3;
  b->scale_denom = 1;
  b->data = g_malloc0_n (MAX (height, 1), b->stride);
  return b;
}

void
lb_pyramid_buffer_free (LbPixelBuffer *buffer)
{
  if (buffer == NULL)
    return;
  g_free (buffer->data);
  g_free (buffer);
}

/* One 2× box-filter step. An odd last row or column reuses its edge pixel,
 * so every output pixel is the mean of four real inputs. */
static LbPixelBuffer *
reduce (const LbPixelBuffer *src)
{
  guint w = (src->width + 1) / 2, h = (src->height + 1) / 2;
  LbPixelBuffer *dst = lb_pyramid_buffer_new (w, h, src->format);

  dst->bits_stored = src->bits_stored;
  dst->monochrome1 = src->monochrome1;
  dst->scale_denom = src->scale_denom * 2;
  dst->min_value = src->min_value;
  dst->max_value = src->max_value;

  for (guint y = 0; y < h; y++)
    {
      const guint8 *r0 = src->data + (gsize) (2 * y) * src->stride;
      const guint8 *r1 = (2 * y + 1 < src->height) ? r0 + src->stride : r0;
      guint8 *out = dst->data + (gsize) y * dst->stride;

      for (guint x = 0; x < w; x++)
        {
          guint x0 = 2 * x, x1 = (2 * x + 1 < src->width) ? 2 * x + 1 : 2 * x;

          switch (src->format)
            {
            case LB_PIXEL_GRAY8:
              out[x] = (r0[x0] + r0[x1] + r1[x0] + r1[x1] + 2) >> 2;
              break;
            case LB_PIXEL_GRAY16U:
              {
                const guint16 *a = (const guint16 *) r0, *b = (const guint16 *) r1;
                ((guint16 *) out)[x] = (a[x0] + a[x1] + b[x0] + b[x1] + 2) >> 2;
              }
              break;
            case LB_PIXEL_GRAY16S:
              {
                const gint16 *a = (const gint16 *) r0, *b = (const gint16 *) r1;
                /* Offset to non-negative so the shift rounds like the
                 * unsigned case (half up) without implementation-defined
                 * shifts of negative numbers. */
                int sum = a[x0] + a[x1] + b[x0] + b[x1] + 4 * 32768;
                ((gint16 *) out)[x] = (gint16) (((sum + 2) >> 2) - 32768);
              }
              break;
            case LB_PIXEL_RGB8:
              for (guint c = 0; c < 3; c++)
                out[3 * x + c] = (r0[3 * x0 + c] + r0[3 * x1 + c] +
                                  r1[3 * x0 + c] + r1[3 * x1 + c] + 2) >> 2;
              break;
            default:
              g_assert_not_reached ();
            }
        }
    }
  return dst;
}

LbPyramid *
lb_pyramid_new_single (LbPixelBuffer  *base,
                       GDestroyNotify  base_free)
{
  LbPyramid *p;

  g_return_val_if_fail (base != NULL && base->data != NULL, NULL);
  g_return_val_if_fail (base->format <= LB_PIXEL_RGB8, NULL);
  g_return_val_if_fail (base->stride >= (gsize) base->width * lb_pixel_format_bpp (base->format), NULL);

  p = g_new0 (LbPyramid, 1);
  p->levels[0] = base;
  p->n_levels = 1;
  p->base_free = base_free;
  return p;
}

LbPyramid *
lb_pyramid_new (LbPixelBuffer  *base,
                GDestroyNotify  base_free)
{
  LbPyramid *p = lb_pyramid_new_single (base, base_free);

  if (p == NULL)
    return NULL;
  while (p->n_levels < LB_PYRAMID_MAX_LEVELS)
    {
      const LbPixelBuffer *last = p->levels[p->n_levels - 1];

      if (last->width <= MIN_LEVEL_SIZE && last->height <= MIN_LEVEL_SIZE)
        break;
      p->levels[p->n_levels++] = reduce (last);
    }
  return p;
}

void
lb_pyramid_free (LbPyramid *pyramid)
{
  if (pyramid == NULL)
    return;
  for (guint i = 1; i < pyramid->n_levels; i++)
    lb_pyramid_buffer_free (pyramid->levels[i]);
  if (pyramid->base_free != NULL)
    pyramid->base_free (pyramid->levels[0]);
  g_free (pyramid);
}

guint
lb_pyramid_level_for_zoom (const LbPyramid *pyramid,
                           double           zoom)
{
  guint level;

  g_return_val_if_fail (pyramid != NULL, 0);

  /* A scaled preview as level 0 already is 1/scale_denom of the image. */
  zoom *= MAX (pyramid->levels[0]->scale_denom, 1);

  /* The smallest level still at or above device resolution: level L has
   * scale 2^-L, so L = floor(log2(1/zoom)). The epsilon keeps exact powers
   * of two (fit to half size) on their own level despite rounding. */
  if (zoom >= 1.0)
    return 0;
  level = (guint) floor (log2 (1.0 / zoom) + 1e-9);
  return MIN (level, pyramid->n_levels - 1);
}

guint
lb_pyramid_preview_denom (guint width,
                          guint height)
{
  guint denom = 2;

  if ((guint64) width * height < LB_PREVIEW_MIN_PIXELS)
    return 1;
  /* libjpeg-turbo's scaled IDCT gives 1/2, 1/4 and 1/8 almost for free;
   * the smallest reduction that brings the long side to ~1024 px keeps
   * the preview sharp enough for a 1080p view at fit. */
  while (denom < 8 && MAX (width, height) / denom > LB_PREVIEW_MAX_SIDE)
    denom *= 2;
  return denom;
}
