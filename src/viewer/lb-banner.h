/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

const char *lb_banner_text                 (void);
gboolean    lb_banner_is_patient_generated (const char         *modalities,
                                            const char * const *configured);
double      lb_banner_draw                 (cairo_t            *cr,
                                            double              width,
                                            double              font_size,
                                            gboolean            measure_only);

/* The banner's colours, for tests that look for it in rendered pixels. */
#define LB_BANNER_BACKGROUND 0xfff6d32du

G_END_DECLS
