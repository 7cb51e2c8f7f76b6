/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * LbViewTransform:
 * How an image sits in a viewport. Image coordinates are continuous with the
 * centre of 0-based pixel (c, r) at (c + 0.5, r + 0.5), as PIXEL-unit
 * graphics in a presentation state (PS3.3 C.10.5); device coordinates are
 * physical pixels of the viewport.
 *
 * The spatial transformation is kept as a horizontal flip applied first,
 * then the clockwise rotation; screen-space flips are folded into that form.
 * A presentation state (PS3.3 C.10.6) orders them the other way — rotation,
 * then flip — so with a flip, 90° and 270° swap on the way in and out
 * (lb_annotation_view_from_transform / _apply_to_transform do it).
 */
typedef struct {
  double   zoom;             /* device pixels per image pixel */
  double   center_x;         /* image point shown at the viewport centre */
  double   center_y;
  int      rotation;         /* quarter turns clockwise, 0..3 */
  gboolean flip_h;           /* mirror the image columns before rotating */
  int      viewport_width;   /* device pixels */
  int      viewport_height;
  int      image_width;      /* full-resolution pixels */
  int      image_height;
} LbViewTransform;

void   lb_view_transform_init         (LbViewTransform       *t,
                                       int                    image_width,
                                       int                    image_height,
                                       int                    viewport_width,
                                       int                    viewport_height);
/* m maps image → device: dx = m[0]·ix + m[1]·iy + m[2], dy = m[3]·ix + m[4]·iy + m[5]. */
void   lb_view_transform_get_matrix   (const LbViewTransform *t,
                                       double                 m[6]);
/* The inverse, device → image, same layout. */
void   lb_view_transform_get_inverse  (const LbViewTransform *t,
                                       double                 m[6]);
void   lb_view_transform_to_device    (const LbViewTransform *t,
                                       double                 ix,
                                       double                 iy,
                                       double                *dx,
                                       double                *dy);
void   lb_view_transform_to_image     (const LbViewTransform *t,
                                       double                 dx,
                                       double                 dy,
                                       double                *ix,
                                       double                *iy);
double lb_view_transform_fit_zoom     (const LbViewTransform *t);
void   lb_view_transform_fit          (LbViewTransform       *t);
void   lb_view_transform_zoom_at      (LbViewTransform       *t,
                                       double                 zoom,
                                       double                 dx,
                                       double                 dy);
void   lb_view_transform_pan          (LbViewTransform       *t,
                                       double                 ddx,
                                       double                 ddy);
void   lb_view_transform_rotate       (LbViewTransform       *t,
                                       int                    quarter_turns);
void   lb_view_transform_flip         (LbViewTransform       *t,
                                       gboolean               horizontal);

#define LB_VIEW_ZOOM_MIN 0.01
#define LB_VIEW_ZOOM_MAX 64.0

G_END_DECLS
