/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lb-dicom.h"
#include "lb-pyramid.h"
#include "lb-view-transform.h"

G_BEGIN_DECLS

/*
 * The grayscale standard display pipeline of PS3.3 C.11 — stored value →
 * Modality LUT → VOI LUT → Presentation LUT — folded into one table per
 * window setting, then applied only to the device pixels that are visible.
 */

/*
 * LbPipelineParams:
 * Everything that decides how a stored value becomes a gray level. For
 * color images only the window (as a per-channel linear brightness/contrast
 * map) and @invert apply: PS3.3 C.11.1/C.11.2 define the modality and VOI
 * transforms for monochrome data only.
 */
typedef struct {
  double             rescale_slope;      /* Modality LUT: y = m·x + b (C.11.1.1.2) */
  double             rescale_intercept;
  const LbDicomLut  *modality_lut;       /* nullable; replaces rescale */
  double             window_center;      /* VOI window, in modality units */
  double             window_width;
  LbVoiFunction      voi_function;
  const LbDicomLut  *voi_lut;            /* nullable */
  gboolean           use_voi_lut;        /* the VOI LUT Sequence instead of the window */
  gboolean           presentation_inverse; /* Presentation LUT Shape INVERSE (C.11.6) */
  gboolean           invert;             /* the user's invert toggle, on top of all */
} LbPipelineParams;

typedef struct {
  char   *name;
  double  center;
  double  width;
  gboolean voi_lut;                      /* use the object's VOI LUT Sequence */
} LbVoiPreset;

void     lb_pipeline_params_init           (LbPipelineParams      *params);
void     lb_pipeline_params_init_from_meta (LbPipelineParams      *params,
                                            const LbDicomMeta     *meta,
                                            const LbPixelBuffer   *frame);

/* The individual steps, for the pixel readout and for tests. */
double   lb_pipeline_modality_value        (const LbPipelineParams *params,
                                            int                     stored);
/* VOI output normalised to [0, 1]. */
double   lb_pipeline_voi_value             (const LbPipelineParams *params,
                                            double                  modality_value);
/* The whole chain for one stored value of a monochrome frame. */
guint8   lb_pipeline_map_value             (const LbPipelineParams *params,
                                            gboolean                monochrome1,
                                            int                     stored);

/* Window limits for the values actually in @frame, in modality units. */
void     lb_pipeline_value_range           (const LbPipelineParams *params,
                                            const LbPixelBuffer    *frame,
                                            double                 *lo,
                                            double                 *hi);
/* A window covering the @lo_pct..@hi_pct percentiles of the histogram. */
gboolean lb_pipeline_auto_window           (const LbPipelineParams *params,
                                            const LbPixelBuffer    *frame,
                                            double                  lo_pct,
                                            double                  hi_pct,
                                            double                 *center,
                                            double                 *width);
/* The object's own windows, its VOI LUT, then the modality's usual ones.
 * Returns: (element-type LbVoiPreset) with names freed by the array. */
GArray  *lb_pipeline_list_presets          (const LbDicomMeta      *meta);

/* One combined table: stored value → opaque ARGB32 pixel. */
typedef struct _LbLut LbLut;

LbLut   *lb_lut_new                        (const LbPipelineParams *params,
                                            const LbPixelBuffer    *frame);
void     lb_lut_free                       (LbLut                  *lut);
guint32  lb_lut_lookup                     (const LbLut            *lut,
                                            const guint8           *pixel);

#define LB_PIPELINE_BACKGROUND 0xff000000u

/* Renders the device rectangle (@x, @y, @width, @height) of @view into @out,
 * cairo ARGB32 / GDK_MEMORY_DEFAULT (native-endian 0xAARRGGBB). */
void     lb_pipeline_render                (const LbPyramid        *pyramid,
                                            const LbLut            *lut,
                                            const LbViewTransform  *view,
                                            int                     x,
                                            int                     y,
                                            int                     width,
                                            int                     height,
                                            guint8                 *out,
                                            gsize                   out_stride);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbLut, lb_lut_free)

G_END_DECLS
