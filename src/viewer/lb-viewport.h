/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lb-annotation-overlay.h"
#include "lb-dicom.h"
#include "lb-frame-source.h"
#include "lb-pipeline.h"
#include "lb-view-transform.h"

G_BEGIN_DECLS

typedef enum {
  LB_VIEWPORT_TOOL_PAN,
  LB_VIEWPORT_TOOL_WINDOW,
} LbViewportTool;

#define LB_TYPE_VIEWPORT (lb_viewport_get_type ())
G_DECLARE_FINAL_TYPE (LbViewport, lb_viewport, LB, VIEWPORT, GtkWidget)

GtkWidget     *lb_viewport_new                (void);
/* Shows @object's frames (decoded in worker threads). Defined in
 * lb-viewport-dicom.c, built once the DICOM core decodes. */
void           lb_viewport_set_image          (LbViewport     *self,
                                               LbDicomObject  *object);
void           lb_viewport_set_source         (LbViewport     *self,
                                               LbFrameSource  *source);
LbFrameSource *lb_viewport_get_source         (LbViewport     *self);

double         lb_viewport_get_zoom           (LbViewport     *self);
void           lb_viewport_set_zoom           (LbViewport     *self,
                                               double          zoom);
void           lb_viewport_get_center         (LbViewport     *self,
                                               double         *x,
                                               double         *y);
void           lb_viewport_set_center         (LbViewport     *self,
                                               double          x,
                                               double          y);
int            lb_viewport_get_rotation       (LbViewport     *self);
void           lb_viewport_set_rotation       (LbViewport     *self,
                                               int             degrees);
gboolean       lb_viewport_get_flip_horizontal (LbViewport    *self);
void           lb_viewport_set_flip_horizontal (LbViewport    *self,
                                                gboolean       flip);
void           lb_viewport_get_window         (LbViewport     *self,
                                               double         *center,
                                               double         *width);
void           lb_viewport_set_window         (LbViewport     *self,
                                               double          center,
                                               double          width);
gboolean       lb_viewport_get_invert         (LbViewport     *self);
void           lb_viewport_set_invert         (LbViewport     *self,
                                               gboolean        invert);
guint          lb_viewport_get_frame          (LbViewport     *self);
void           lb_viewport_set_frame          (LbViewport     *self,
                                               guint           frame);
guint          lb_viewport_get_n_frames       (LbViewport     *self);
gboolean       lb_viewport_get_playing        (LbViewport     *self);
void           lb_viewport_set_playing        (LbViewport     *self,
                                               gboolean        playing);
gboolean       lb_viewport_get_overlay_visible (LbViewport    *self);
void           lb_viewport_set_overlay_visible (LbViewport    *self,
                                                gboolean       visible);
LbViewportTool lb_viewport_get_tool           (LbViewport     *self);
void           lb_viewport_set_tool           (LbViewport     *self,
                                               LbViewportTool  tool);
gboolean       lb_viewport_get_patient_generated (LbViewport  *self);
gboolean       lb_viewport_get_full_resolution   (LbViewport  *self);
/* The presets offered for the current image (element-type LbVoiPreset). */
GArray        *lb_viewport_get_presets        (LbViewport     *self);
/* What is under device point (@x, @y) of the widget, e.g. "(12, 40) 1034 HU"
 * or "(12, 40) R 200 G 10 B 3"; NULL outside the image. */
char          *lb_viewport_describe_pixel     (LbViewport     *self,
                                               double          x,
                                               double          y);

/* Annotations drawn over the image through the view transform; the primary
 * button goes to the overlay's tool first (docs/annotations.md, "UI"). */
void           lb_viewport_set_annotation_overlay (LbViewport          *self,
                                                   LbAnnotationOverlay *overlay);
LbAnnotationOverlay *lb_viewport_get_annotation_overlay (LbViewport    *self);
/* The view in device pixels, and setting zoom/centre/rotation/flip from one. */
void           lb_viewport_get_view_transform (LbViewport            *self,
                                               LbViewTransform       *out);
void           lb_viewport_set_view_transform (LbViewport            *self,
                                               const LbViewTransform *t);

G_END_DECLS
