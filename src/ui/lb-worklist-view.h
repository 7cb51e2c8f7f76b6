/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lb-study.h"

G_BEGIN_DECLS

#define LB_TYPE_WORKLIST_VIEW (lb_worklist_view_get_type ())
G_DECLARE_FINAL_TYPE (LbWorklistView, lb_worklist_view, LB, WORKLIST_VIEW, GtkWidget)

void      lb_worklist_view_set_loading (LbWorklistView *self);
void      lb_worklist_view_set_error   (LbWorklistView *self,
                                        const char     *message);
void      lb_worklist_view_set_studies (LbWorklistView *self,
                                        GPtrArray      *studies);
guint     lb_worklist_view_get_n_shown (LbWorklistView *self);
LbStudy  *lb_worklist_view_get_selected (LbWorklistView *self);
GListModel *lb_worklist_view_get_model (LbWorklistView *self);
void      lb_worklist_view_set_note (LbWorklistView *self,
                                     const char     *note);
guint     lb_worklist_view_get_n_studies (LbWorklistView *self);
void      lb_worklist_view_set_status_filter (LbWorklistView *self,
                                              guint           index);
void      lb_worklist_view_set_body_part_filter (LbWorklistView *self,
                                                 const char     *text);
void      lb_worklist_view_focus_search (LbWorklistView *self);
void      lb_worklist_view_focus_list (LbWorklistView *self);
void      lb_worklist_view_select   (LbWorklistView *self,
                                     guint           position);
void      lb_worklist_view_set_search (LbWorklistView *self,
                                       const char     *text);

G_END_DECLS
