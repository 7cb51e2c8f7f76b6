/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lb-change.h"

G_BEGIN_DECLS

#define LB_TYPE_CHANGE_PANEL (lb_change_panel_get_type ())
G_DECLARE_FINAL_TYPE (LbChangePanel, lb_change_panel, LB, CHANGE_PANEL, GtkWidget)

/* Shows @table (the summary, a row per visit, the plot); hides itself when
 * @table is NULL. Takes ownership of @table. */
void                 lb_change_panel_set_table (LbChangePanel *self,
                                                LbChangeTable *table);
const LbChangeTable *lb_change_panel_get_table (LbChangePanel *self);

G_END_DECLS
