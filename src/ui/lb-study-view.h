/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lb-annotation.h"
#include "lb-decision.h"
#include "lb-dicom.h"
#include "lb-study.h"

G_BEGIN_DECLS

#define LB_TYPE_STUDY_VIEW (lb_study_view_get_type ())
G_DECLARE_FINAL_TYPE (LbStudyView, lb_study_view, LB, STUDY_VIEW, GtkWidget)

void           lb_study_view_set_loading    (LbStudyView *self,
                                             LbStudy     *study);
void           lb_study_view_set_error      (LbStudyView *self,
                                             const char  *message);
void           lb_study_view_set_images     (LbStudyView *self,
                                             GPtrArray   *objects);
void           lb_study_view_set_status     (LbStudyView *self,
                                             const char  *text);
LbStudy       *lb_study_view_get_study      (LbStudyView *self);
GPtrArray     *lb_study_view_get_objects    (LbStudyView *self);
GPtrArray     *lb_study_view_get_decision_objects (LbStudyView *self);
gboolean       lb_study_view_get_show_rejected (LbStudyView *self);
LbDicomObject *lb_study_view_get_current    (LbStudyView *self);
guint          lb_study_view_get_position   (LbStudyView *self);
void           lb_study_view_focus_image    (LbStudyView *self);
void           lb_study_view_select         (LbStudyView *self,
                                             guint        position);

/* Annotations and presentation states (docs/annotations.md, "UI"). */
void           lb_study_view_set_presentation_states (LbStudyView *self,
                                                      GPtrArray   *states);
GBytes        *lb_study_view_build_presentation_state (LbStudyView  *self,
                                                       const char   *creator,
                                                       char        **out_uid,
                                                       GError      **error);
void           lb_study_view_presentation_state_saved (LbStudyView *self,
                                                       GBytes      *bytes);
gboolean       lb_study_view_has_unsaved_annotations (LbStudyView *self);
LbAnnotationSet *lb_study_view_dup_export_annotations (LbStudyView *self);
void           lb_study_view_save_all_annotations (LbStudyView *self);
void           lb_study_view_discard_annotations (LbStudyView *self);
void           lb_study_view_ask_unsaved    (LbStudyView *self,
                                             GtkWidget   *widget,
                                             const char  *action);

G_END_DECLS
