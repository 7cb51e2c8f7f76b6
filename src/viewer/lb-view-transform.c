/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-view-transform.h"

#include <math.h>

/* M = R^rotation · F as a 2×2 integer matrix {m00, m01, m10, m11}; R is a
 * clockwise quarter turn in y-down screen space, F mirrors x. */
static void
orientation (const LbViewTransform *t,
             int                    o[4])
{
  static const int rot[4][4] = {
    { 1, 0, 0, 1 }, { 0, -1, 1, 0 }, { -1, 0, 0, -1 }, { 0, 1, -1, 0 },
  };
  const int *r = rot[((t->rotation % 4) + 4) % 4];
  int f = t->flip_h ? -1 : 1;

  o[0] = r[0] * f;
  o[1] = r[1];
  o[2] = r[2] * f;
  o[3] = r[3];
}

void
lb_view_transform_init (LbViewTransform *t,
                        int              image_width,
                        int              image_height,
                        int              viewport_width,
                        int              viewport_height)
{
  g_return_if_fail (t != NULL);

  *t = (LbViewTransform) {
    .zoom = 1.0,
    .image_width = MAX (image_width, 1),
    .image_height = MAX (image_height, 1),
    .viewport_width = MAX (viewport_width, 1),
    .viewport_height = MAX (viewport_height, 1),
  };
  lb_view_transform_fit (t);
}

void
lb_view_transform_get_matrix (const LbViewTransform *t,
                              double                 m[6])
{
  int o[4];
  double s = t->zoom;

  orientation (t, o);
  /* device = s·M·(p − c) + viewport centre */
  m[0] = s * o[0];
  m[1] = s * o[1];
  m[3] = s * o[2];
  m[4] = s * o[3];
  m[2] = t->viewport_width / 2.0 - (m[0] * t->center_x + m[1] * t->center_y);
  m[5] = t->viewport_height / 2.0 - (m[3] * t->center_x + m[4] * t->center_y);
}

void
lb_view_transform_get_inverse (const LbViewTransform *t,
                               double                 m[6])
{
  int o[4];
  double k = 1.0 / t->zoom;
  double vx = t->viewport_width / 2.0, vy = t->viewport_height / 2.0;

  orientation (t, o);
  /* M is orthogonal, so its inverse is its transpose: p = c + Mᵀ·(d − vc)/s. */
  m[0] = k * o[0];
  m[1] = k * o[2];
  m[3] = k * o[1];
  m[4] = k * o[3];
  m[2] = t->center_x - (m[0] * vx + m[1] * vy);
  m[5] = t->center_y - (m[3] * vx + m[4] * vy);
}

void
lb_view_transform_to_device (const LbViewTransform *t,
                             double                 ix,
                             double                 iy,
                             double                *dx,
                             double                *dy)
{
  double m[6];

  lb_view_transform_get_matrix (t, m);
  *dx = m[0] * ix + m[1] * iy + m[2];
  *dy = m[3] * ix + m[4] * iy + m[5];
}

void
lb_view_transform_to_image (const LbViewTransform *t,
                            double                 dx,
                            double                 dy,
                            double                *ix,
                            double                *iy)
{
  double m[6];

  lb_view_transform_get_inverse (t, m);
  *ix = m[0] * dx + m[1] * dy + m[2];
  *iy = m[3] * dx + m[4] * dy + m[5];
}

double
lb_view_transform_fit_zoom (const LbViewTransform *t)
{
  gboolean quarter = (t->rotation & 1) != 0;
  double w = quarter ? t->image_height : t->image_width;
  double h = quarter ? t->image_width : t->image_height;

  return CLAMP (MIN (t->viewport_width / w, t->viewport_height / h),
                LB_VIEW_ZOOM_MIN, LB_VIEW_ZOOM_MAX);
}

void
lb_view_transform_fit (LbViewTransform *t)
{
  t->zoom = lb_view_transform_fit_zoom (t);
  t->center_x = t->image_width / 2.0;
  t->center_y = t->image_height / 2.0;
}

void
lb_view_transform_zoom_at (LbViewTransform *t,
                           double           zoom,
                           double           dx,
                           double           dy)
{
  double ix, iy, nx, ny;

  /* Keep the image point under the cursor where it is (Eye of GNOME's
   * "zoom at pointer"): the image → device map is affine in the centre, so
   * shift the centre by whatever the new scale moved that point. */
  lb_view_transform_to_image (t, dx, dy, &ix, &iy);
  t->zoom = CLAMP (zoom, LB_VIEW_ZOOM_MIN, LB_VIEW_ZOOM_MAX);
  lb_view_transform_to_image (t, dx, dy, &nx, &ny);
  t->center_x += ix - nx;
  t->center_y += iy - ny;
}

void
lb_view_transform_pan (LbViewTransform *t,
                       double           ddx,
                       double           ddy)
{
  double m[6];

  /* The content follows the pointer, so the centre moves the other way. */
  lb_view_transform_get_inverse (t, m);
  t->center_x -= m[0] * ddx + m[1] * ddy;
  t->center_y -= m[3] * ddx + m[4] * ddy;
}

void
lb_view_transform_rotate (LbViewTransform *t,
                          int              quarter_turns)
{
  t->rotation = (((t->rotation + quarter_turns) % 4) + 4) % 4;
}

void
lb_view_transform_flip (LbViewTransform *t,
                        gboolean         horizontal)
{
  /* A screen-space mirror H after R^r·F equals R^-r·H·F, and the vertical
   * mirror is H·R², so both fold into "flip first, then rotate". */
  int r = horizontal ? -t->rotation : -(t->rotation + 2);

  t->rotation = ((r % 4) + 4) % 4;
  t->flip_h = !t->flip_h;
}
