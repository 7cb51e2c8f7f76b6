/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "lb-dicom.h"

G_BEGIN_DECLS

#define LB_TYPE_FRAME_SOURCE (lb_frame_source_get_type ())
G_DECLARE_INTERFACE (LbFrameSource, lb_frame_source, LB, FRAME_SOURCE, GObject)

/*
 * LbFrameSource:
 * Where a viewport gets its metadata and decoded frames. The DICOM-backed
 * implementation wraps an LbDicomObject; tests supply synthetic frames.
 * @decode is called from worker threads and must be thread-safe; the
 * returned buffer is released with the function stored in @free_func.
 */
struct _LbFrameSourceInterface
{
  GTypeInterface parent_iface;

  const LbDicomMeta *(*get_meta) (LbFrameSource   *self);
  LbPixelBuffer     *(*decode)   (LbFrameSource   *self,
                                  guint            frame,
                                  guint            scale_denom,
                                  GDestroyNotify  *free_func,
                                  GError         **error);
};

const LbDicomMeta *lb_frame_source_get_meta (LbFrameSource   *self);
LbPixelBuffer     *lb_frame_source_decode   (LbFrameSource   *self,
                                             guint            frame,
                                             guint            scale_denom,
                                             GDestroyNotify  *free_func,
                                             GError         **error);

G_END_DECLS
