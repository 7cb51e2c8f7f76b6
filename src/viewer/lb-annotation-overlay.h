/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib-object.h>

#include "lb-annotation.h"
#include "lb-view-transform.h"

G_BEGIN_DECLS

/*
 * LbAnnotationOverlay: what the viewport draws over the image and how the
 * annotation tools turn pointer input into edits of an LbAnnotationSet.
 * Input arrives in image coordinates (the viewport converts through its
 * view transform); drawing goes through the transform, so shapes stay on
 * the same image pixels at every zoom, pan, rotation and flip, while line
 * widths and text keep their screen size. See docs/annotations.md, "UI".
 */
typedef enum {
  LB_ANNOTATION_TOOL_SELECT,      /* select, move; empty space does the viewport's drag */
  LB_ANNOTATION_TOOL_LINE,
  LB_ANNOTATION_TOOL_POLYGON,
  LB_ANNOTATION_TOOL_TEXT,
  LB_ANNOTATION_TOOL_CALIBRATE,
  LB_ANNOTATION_TOOL_ARROW,
} LbAnnotationTool;

#define LB_TYPE_ANNOTATION_OVERLAY (lb_annotation_overlay_get_type ())
G_DECLARE_FINAL_TYPE (LbAnnotationOverlay, lb_annotation_overlay, LB, ANNOTATION_OVERLAY, GObject)

LbAnnotationOverlay *lb_annotation_overlay_new             (void);
void               lb_annotation_overlay_set_annotations (LbAnnotationOverlay     *self,
                                                        LbAnnotationSet       *set);
LbAnnotationSet   *lb_annotation_overlay_get_annotations (LbAnnotationOverlay     *self);
void               lb_annotation_overlay_set_tool        (LbAnnotationOverlay     *self,
                                                        LbAnnotationTool       tool);
LbAnnotationTool   lb_annotation_overlay_get_tool        (LbAnnotationOverlay     *self);
/* The selected annotation's id, 0 for none. */
guint              lb_annotation_overlay_get_selected    (LbAnnotationOverlay     *self);
void               lb_annotation_overlay_select          (LbAnnotationOverlay     *self,
                                                        guint                  id);
gboolean           lb_annotation_overlay_delete_selected (LbAnnotationOverlay     *self);
/* Drops a shape being drawn; FALSE when there was none. */
gboolean           lb_annotation_overlay_cancel          (LbAnnotationOverlay     *self);
/* Closes a polygon being drawn (Enter); FALSE when there was none. */
gboolean           lb_annotation_overlay_finish          (LbAnnotationOverlay     *self);
gboolean           lb_annotation_overlay_is_drawing      (LbAnnotationOverlay     *self);

/* Pointer input in image coordinates; @tolerance is how far (image px) a
 * press may be from a shape to hit it. press returns FALSE when the layer
 * does not want the drag (the viewport then pans or windows). */
gboolean           lb_annotation_overlay_press           (LbAnnotationOverlay     *self,
                                                        double                 x,
                                                        double                 y,
                                                        int                    n_press,
                                                        double                 tolerance);
void               lb_annotation_overlay_drag            (LbAnnotationOverlay     *self,
                                                        double                 x,
                                                        double                 y);
void               lb_annotation_overlay_release         (LbAnnotationOverlay     *self,
                                                        double                 x,
                                                        double                 y);
void               lb_annotation_overlay_motion          (LbAnnotationOverlay     *self,
                                                        double                 x,
                                                        double                 y);
/* The annotation under (x, y), 0 for none. */
guint              lb_annotation_overlay_hit             (LbAnnotationOverlay     *self,
                                                        double                 x,
                                                        double                 y,
                                                        double                 tolerance);

/* Draws on @cr in logical widget pixels; @t maps image → device pixels and
 * @scale is device pixels per logical pixel. */
void               lb_annotation_overlay_draw            (LbAnnotationOverlay     *self,
                                                        cairo_t               *cr,
                                                        const LbViewTransform *t,
                                                        double                 scale);

/* "label: 475 mm²", the text of a text annotation, or the label alone;
 * NULL when there is nothing to show. */
char              *lb_annotation_overlay_describe        (LbAnnotationSet       *set,
                                                        const LbAnnotation    *annotation);

G_END_DECLS
