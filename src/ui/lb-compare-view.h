/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lb-dicomweb-client.h"
#include "lb-store.h"
#include "lb-study.h"

G_BEGIN_DECLS

#define LB_TYPE_COMPARE_VIEW (lb_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (LbCompareView, lb_compare_view, LB, COMPARE_VIEW, GtkWidget)

/* Shows the timeline of @study's patient: the patient-generated (XC) studies
 * with the same Patient ID, oldest first. Space selects, Enter compares two
 * to four (1×2 or 2×2), Alt+← / Alt+→ step the focused image to an older /
 * newer visit, Esc goes back to the study pane's "study" page. */
void lb_compare_view_open (LbCompareView    *self,
                           LbDicomwebClient *client,
                           LbStore          *cache,
                           LbStudy          *study);

gboolean lb_compare_view_get_export (LbCompareView  *self,
                                     GPtrArray     **images,
                                     GPtrArray     **annotations,
                                     char          **change_label);

G_END_DECLS
