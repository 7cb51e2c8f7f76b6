/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lb-server-profile.h"

G_BEGIN_DECLS

#define LB_TYPE_SERVER_ROW (lb_server_row_get_type ())
G_DECLARE_FINAL_TYPE (LbServerRow, lb_server_row, LB, SERVER_ROW, AdwExpanderRow)

GtkWidget       *lb_server_row_new         (LbServerProfile *profile);
LbServerProfile *lb_server_row_get_profile (LbServerRow     *self);
void             lb_server_row_set_active  (LbServerRow     *self,
                                            gboolean         active);

void             lb_server_row_save_secret (LbServerRow     *self,
                                            const char      *secret);

G_END_DECLS
