/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lb-dicom.h"

G_BEGIN_DECLS

#define LB_PYRAMID_MAX_LEVELS 16

/*
 * LbPyramid:
 * A decoded frame and its 2× box-filtered reductions, so that a zoomed-out
 * view samples at most two stored pixels per device pixel from a level that
 * already averaged the rest away. Built once per frame (in a worker thread:
 * it touches every pixel), immutable afterwards, so any thread may read it.
 * Level 0 is the frame itself; levels keep the frame's pixel format and
 * stored values, so one lookup table serves them all.
 */
typedef struct {
  guint           n_levels;
  LbPixelBuffer  *levels[LB_PYRAMID_MAX_LEVELS];
  /*< private >*/
  GDestroyNotify  base_free;
} LbPyramid;

/* Takes @base; frees it with @base_free (which may be %NULL to borrow it). */
LbPyramid *lb_pyramid_new            (LbPixelBuffer   *base,
                                      GDestroyNotify   base_free);
/* Only level 0, for an instant first frame; the reductions come later. */
LbPyramid *lb_pyramid_new_single     (LbPixelBuffer   *base,
                                      GDestroyNotify   base_free);
void       lb_pyramid_free           (LbPyramid       *pyramid);
guint      lb_pyramid_level_for_zoom (const LbPyramid *pyramid,
                                      double           zoom);

/* Still images of at least this many pixels are first shown from a scaled
 * decode at lb_pyramid_preview_denom(), about this many pixels a side. */
#define LB_PREVIEW_MIN_PIXELS (4u * 1024 * 1024)
#define LB_PREVIEW_MAX_SIDE   1024
/* 1 (no preview: small enough to decode in full at once), 2, 4 or 8. */
guint      lb_pyramid_preview_denom  (guint            width,
                                      guint            height);

/* Allocates a pixel buffer owned by the caller and freed with
 * lb_pyramid_buffer_free (not the DICOM core's allocator). */
LbPixelBuffer *lb_pyramid_buffer_new  (guint            width,
                                       guint            height,
                                       LbPixelFormat    format);
void           lb_pyramid_buffer_free (LbPixelBuffer   *buffer);
guint          lb_pixel_format_bpp    (LbPixelFormat    format);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbPyramid, lb_pyramid_free)

G_END_DECLS
