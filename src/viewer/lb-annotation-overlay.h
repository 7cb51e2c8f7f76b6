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
  LB_ANNOTATION_TOOL_POINT,       /* a click */
  LB_ANNOTATION_TOOL_CIRCLE,      /* press at the centre, drag to the edge */
  LB_ANNOTATION_TOOL_ELLIPSE,     /* drag over its bounding box */
  LB_ANNOTATION_TOOL_FREEHAND,    /* press, drag along the shape, release */
} LbAnnotationTool;

#define LB_ANNOTATION_TOOL_LAST LB_ANNOTATION_TOOL_FREEHAND

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
/* The handle (index of a point) of the selected annotation under (x, y),
 * -1 for none. In the select tool a press on a handle drags that point. */
int                lb_annotation_overlay_handle_at       (LbAnnotationOverlay     *self,
                                                        double                 x,
                                                        double                 y,
                                                        double                 tolerance);
/* Enter on a selection: asks to edit its text (text) or label (others) by
 * emitting ::edit-requested; FALSE when nothing is selected. */
gboolean           lb_annotation_overlay_activate        (LbAnnotationOverlay     *self);
/* Moves the selection by (@dx, @dy) image px (one undo step); FALSE when
 * nothing is selected or a shape is being drawn or dragged. */
gboolean           lb_annotation_overlay_nudge           (LbAnnotationOverlay     *self,
                                                        double                 dx,
                                                        double                 dy);
/* The points @a has when its point @handle is dragged to @to: most kinds
 * move that point only; a circle's centre moves the whole circle; an
 * ellipse's axis end turns and scales that axis about the centre, keeping
 * the other axis perpendicular and its length. @out holds a->n_points. */
void               lb_annotation_drag_handle             (const LbAnnotation    *a,
                                                        guint                  handle,
                                                        LbPoint                to,
                                                        LbPoint               *out);
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
