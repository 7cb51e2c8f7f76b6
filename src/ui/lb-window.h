/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lb-server-profile.h"

G_BEGIN_DECLS

#define LB_TYPE_WINDOW (lb_window_get_type ())
G_DECLARE_FINAL_TYPE (LbWindow, lb_window, LB, WINDOW, AdwApplicationWindow)

LbWindow *lb_window_new (AdwApplication  *application,
                         LbServerProfile *profile);

gboolean  lb_window_clear_cache (LbWindow  *self,
                                GError   **error);

G_END_DECLS
