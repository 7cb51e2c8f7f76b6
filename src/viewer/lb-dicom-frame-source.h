/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lb-frame-source.h"

G_BEGIN_DECLS

#define LB_TYPE_DICOM_FRAME_SOURCE (lb_dicom_frame_source_get_type ())
G_DECLARE_FINAL_TYPE (LbDicomFrameSource, lb_dicom_frame_source, LB, DICOM_FRAME_SOURCE, GObject)

LbFrameSource *lb_dicom_frame_source_new (LbDicomObject *object);

G_END_DECLS
