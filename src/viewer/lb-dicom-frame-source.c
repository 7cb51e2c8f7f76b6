/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-dicom-frame-source.h"

/* Frames straight from the DICOM core: an LbDicomObject is immutable and
 * safe to decode from several threads at once (lb-dicom.h). */
struct _LbDicomFrameSource
{
  GObject        parent_instance;
  LbDicomObject *object;
};

static void lb_dicom_frame_source_iface_init (LbFrameSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LbDicomFrameSource, lb_dicom_frame_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LB_TYPE_FRAME_SOURCE,
                                                      lb_dicom_frame_source_iface_init))

static const LbDicomMeta *
get_meta (LbFrameSource *source)
{
  return lb_dicom_object_get_meta (LB_DICOM_FRAME_SOURCE (source)->object);
}

static LbPixelBuffer *
decode (LbFrameSource   *source,
        guint            frame,
        guint            scale_denom,
        GDestroyNotify  *free_func,
        GError         **error)
{
  LbDicomFrameSource *self = LB_DICOM_FRAME_SOURCE (source);

  *free_func = (GDestroyNotify) lb_pixel_buffer_free;
  if (scale_denom > 1)
    return lb_dicom_object_decode_frame_scaled (self->object, frame, scale_denom, error);
  return lb_dicom_object_decode_frame (self->object, frame, error);
}

static void
lb_dicom_frame_source_iface_init (LbFrameSourceInterface *iface)
{
  iface->get_meta = get_meta;
  iface->decode = decode;
}

static void
lb_dicom_frame_source_finalize (GObject *object)
{
  LbDicomFrameSource *self = LB_DICOM_FRAME_SOURCE (object);

  g_clear_pointer (&self->object, lb_dicom_object_unref);
  G_OBJECT_CLASS (lb_dicom_frame_source_parent_class)->finalize (object);
}

static void
lb_dicom_frame_source_class_init (LbDicomFrameSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_dicom_frame_source_finalize;
}

static void
lb_dicom_frame_source_init (LbDicomFrameSource *self)
{
}

LbFrameSource *
lb_dicom_frame_source_new (LbDicomObject *object)
{
  LbDicomFrameSource *self;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (LB_TYPE_DICOM_FRAME_SOURCE, NULL);
  self->object = lb_dicom_object_ref (object);
  return LB_FRAME_SOURCE (self);
}
