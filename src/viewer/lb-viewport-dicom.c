/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-viewport.h"

#include "lb-dicom-frame-source.h"

/* Split from lb-viewport.c because it needs the DICOM core's decoder at
 * link time, while the rest of the widget works with any frame source. */
void
lb_viewport_set_image (LbViewport    *self,
                       LbDicomObject *object)
{
  g_autoptr (LbFrameSource) source = NULL;

  g_return_if_fail (LB_IS_VIEWPORT (self));

  if (object != NULL)
    source = lb_dicom_frame_source_new (object);
  lb_viewport_set_source (self, source);
}
