/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-frame-source.h"

G_DEFINE_INTERFACE (LbFrameSource, lb_frame_source, G_TYPE_OBJECT)

static void
lb_frame_source_default_init (LbFrameSourceInterface *iface)
{
}

/**
 * lb_frame_source_get_meta:
 * Returns: (transfer none): the metadata, valid as long as @self
 */
const LbDicomMeta *
lb_frame_source_get_meta (LbFrameSource *self)
{
  g_return_val_if_fail (LB_IS_FRAME_SOURCE (self), NULL);

  return LB_FRAME_SOURCE_GET_IFACE (self)->get_meta (self);
}

/**
 * lb_frame_source_decode:
 * @scale_denom: 1 for full resolution, 2, 4 or 8 for a quick preview
 * @free_func: (out): how to release the buffer
 *
 * Thread-safe.
 */
LbPixelBuffer *
lb_frame_source_decode (LbFrameSource   *self,
                        guint            frame,
                        guint            scale_denom,
                        GDestroyNotify  *free_func,
                        GError         **error)
{
  g_return_val_if_fail (LB_IS_FRAME_SOURCE (self), NULL);
  g_return_val_if_fail (free_func != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return LB_FRAME_SOURCE_GET_IFACE (self)->decode (self, frame, scale_denom, free_func, error);
}
