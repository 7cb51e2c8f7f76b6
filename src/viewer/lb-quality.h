/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lb-dicom.h"

G_BEGIN_DECLS

/* Automated quality hints for patient photos (triage). They are hints, not
 * verdicts: the nurse decides. */

typedef struct {
  double sharpness;          /* variance of the Laplacian of the luma at ≤ 1024 px, ÷ mean² × 10⁴ */
  double dark_fraction;      /* share of pixels in deep shadow (luma < 32 of 255) */
  double bright_fraction;    /* share of pixels in blown highlights (luma > 245) */
  double mean_luma;          /* 0–255 */
  double megapixels;         /* of the full image, not of the buffer measured */
} LbQualityMetrics;

typedef struct {
  double blur_threshold;     /* sharpness below this: blurry */
  double dark_fraction;      /* above this: under-exposed */
  double bright_fraction;    /* above this: over-exposed */
  double min_megapixels;     /* below this: low resolution */
} LbQualityThresholds;

typedef enum {
  LB_QUALITY_OK                 = 0,
  LB_QUALITY_BLURRY             = 1 << 0,
  LB_QUALITY_UNDER_EXPOSED      = 1 << 1,
  LB_QUALITY_OVER_EXPOSED       = 1 << 2,
  LB_QUALITY_LOW_RESOLUTION     = 1 << 3,
  LB_QUALITY_NO_BODY_PART       = 1 << 4,
  LB_QUALITY_NO_LATERALITY      = 1 << 5,
} LbQualityFlags;

void           lb_quality_thresholds_init_default (LbQualityThresholds       *thresholds);
gboolean       lb_quality_measure  (const LbPixelBuffer        *buffer,
                                    guint                       full_width,
                                    guint                       full_height,
                                    LbQualityMetrics           *out);
LbQualityFlags lb_quality_assess   (const LbQualityMetrics     *metrics,
                                    const LbQualityThresholds  *thresholds,
                                    const char                 *body_part,
                                    const char                 *laterality);
char          *lb_quality_describe (LbQualityFlags              flags);

/* Decodes a scaled preview of @object's first frame and assesses it. Safe
 * to call from a worker thread. Returns -1 with @error set on failure. */
int            lb_quality_check_object (LbDicomObject              *object,
                                        const LbQualityThresholds  *thresholds,
                                        LbQualityMetrics           *out,
                                        GError                    **error);

G_END_DECLS
