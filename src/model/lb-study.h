/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * LbReviewStatus:
 * The review state of a study, derived from the Key Object Selection
 * documents found in it (the newest one decides).
 */
typedef enum {
  LB_REVIEW_STATUS_NEW,
  LB_REVIEW_STATUS_APPROVED,
  LB_REVIEW_STATUS_REJECTED,
  LB_REVIEW_STATUS_RETAKE,
} LbReviewStatus;

GType lb_review_status_get_type (void) G_GNUC_CONST;
#define LB_TYPE_REVIEW_STATUS (lb_review_status_get_type ())

#define LB_TYPE_STUDY (lb_study_get_type ())
G_DECLARE_FINAL_TYPE (LbStudy, lb_study, LB, STUDY, GObject)

/**
 * LbStudyAttributes:
 * The DICOM attributes of a study as a query reply carries them (PS3.4
 * C.6.2.1.2, Study Root), handed to lb_study_new_take() in one go. Every
 * string is owned by the struct until taken; %NULL means absent.
 */
typedef struct {
  char  *study_uid;
  char  *patient_name;
  char  *patient_id;
  char  *patient_birth_date;
  char  *study_date;
  char  *study_time;
  char  *description;
  char  *accession_number;
  char  *modalities;
  guint  n_series;
  guint  n_instances;
} LbStudyAttributes;

void            lb_study_attributes_clear     (LbStudyAttributes *attrs);

LbStudy        *lb_study_new                  (const char *study_uid);
LbStudy        *lb_study_new_take             (LbStudyAttributes *attrs);

const char     *lb_study_get_study_uid         (LbStudy *self);
const char     *lb_study_get_patient_name      (LbStudy *self);
void            lb_study_set_patient_name      (LbStudy *self, const char *value);
const char     *lb_study_get_patient_id        (LbStudy *self);
void            lb_study_set_patient_id        (LbStudy *self, const char *value);
const char     *lb_study_get_patient_birth_date (LbStudy *self);
void            lb_study_set_patient_birth_date (LbStudy *self, const char *value);
const char     *lb_study_get_study_date        (LbStudy *self);
void            lb_study_set_study_date        (LbStudy *self, const char *value);
const char     *lb_study_get_study_time        (LbStudy *self);
void            lb_study_set_study_time        (LbStudy *self, const char *value);
const char     *lb_study_get_description       (LbStudy *self);
void            lb_study_set_description       (LbStudy *self, const char *value);
const char     *lb_study_get_accession_number  (LbStudy *self);
void            lb_study_set_accession_number  (LbStudy *self, const char *value);
const char     *lb_study_get_modalities        (LbStudy *self);
void            lb_study_set_modalities        (LbStudy *self, const char *value);
const char     *lb_study_get_body_part         (LbStudy *self);
void            lb_study_set_body_part         (LbStudy *self, const char *value);
const char     *lb_study_get_review_text       (LbStudy *self);
void            lb_study_set_review_text       (LbStudy *self, const char *value);
const char     *lb_study_get_quality_text      (LbStudy *self);
void            lb_study_set_quality_text      (LbStudy *self, const char *value);
guint           lb_study_get_n_series          (LbStudy *self);
void            lb_study_set_n_series          (LbStudy *self, guint value);
guint           lb_study_get_n_instances       (LbStudy *self);
void            lb_study_set_n_instances       (LbStudy *self, guint value);
LbReviewStatus  lb_study_get_review_status     (LbStudy *self);
void            lb_study_set_review_status     (LbStudy *self, LbReviewStatus value);

char           *lb_study_dup_display_name      (LbStudy *self);
GDateTime      *lb_study_dup_datetime          (LbStudy *self);
char           *lb_study_dup_display_date      (LbStudy *self);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LbStudyAttributes, lb_study_attributes_clear)

G_END_DECLS
