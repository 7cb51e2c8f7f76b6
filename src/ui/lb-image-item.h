/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lb-dicom.h"

G_BEGIN_DECLS

#define LB_TYPE_IMAGE_ITEM (lb_image_item_get_type ())
G_DECLARE_FINAL_TYPE (LbImageItem, lb_image_item, LB, IMAGE_ITEM, GObject)

LbImageItem   *lb_image_item_new         (LbDicomObject *object);
LbDicomObject *lb_image_item_get_object  (LbImageItem   *self);
GdkTexture    *lb_image_item_get_texture (LbImageItem   *self);
const char    *lb_image_item_get_label   (LbImageItem   *self);
void           lb_image_item_load_thumbnail (LbImageItem  *self,
                                             GCancellable *cancellable);

G_END_DECLS
