/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-review.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lb-net-error.h"

static LbKosTitle
title_for (LbDecisionKind kind, LbReason reason)
{
  switch (kind)
    {
    case LB_DECISION_APPROVE:
      return LB_KOS_TITLE_OF_INTEREST;
    case LB_DECISION_REJECT:
      /* A photo of the wrong patient is a patient-safety rejection
       * (IHE IOCM), not a quality one. */
      return reason == LB_REASON_WRONG_PATIENT ? LB_KOS_TITLE_REJECTED_PATIENT_SAFETY
                                               : LB_KOS_TITLE_REJECTED_QUALITY;
    case LB_DECISION_RETAKE:
      return LB_KOS_TITLE_QUALITY_ISSUE;
    case LB_DECISION_SHARE:
    default:
      return LB_KOS_TITLE_FOR_PATIENT;
    }
}

/**
 * lb_review_build_kos:
 * @images: (element-type LbDicomObject): the images decided on, all of one study
 * @text: (nullable): the reviewer's comment, or the instructions for the patient
 * @reviewer: (nullable): the reviewer's name, in DICOM PN form or plain
 * @when: (nullable): the decision time; %NULL for now
 *
 * Returns: (transfer full) (nullable): the Part-10 bytes of the document
 */
GBytes *
lb_review_build_kos (GPtrArray       *images,
                     LbDecisionKind   kind,
                     LbReason         reason,
                     const char      *text,
                     const char      *reviewer,
                     GDateTime       *when,
                     char           **out_sop_instance_uid,
                     GError         **error)
{
  g_autofree LbKosReference *refs = NULL;
  g_autofree char *description = NULL;
  g_autofree char *observer = NULL;
  const LbReasonInfo *why = lb_reason_get_info (reason);
  const LbDicomMeta *first;
  LbKosOptions o = { 0 };

  g_return_val_if_fail (images != NULL, NULL);

  if (images->len == 0)
    {
      g_set_error_literal (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED,
                           _("There is no image to decide on"));
      return NULL;
    }
  first = lb_dicom_object_get_meta (g_ptr_array_index (images, 0));
  refs = g_new0 (LbKosReference, images->len);
  for (guint i = 0; i < images->len; i++)
    {
      const LbDicomMeta *m = lb_dicom_object_get_meta (g_ptr_array_index (images, i));

      /* Never mix patients or studies in one decision. */
      if (g_strcmp0 (m->study_uid, first->study_uid) != 0)
        {
          g_set_error_literal (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED,
                               _("The images belong to different studies"));
          return NULL;
        }
      refs[i].sop_class_uid = m->sop_class_uid;
      refs[i].sop_instance_uid = m->sop_instance_uid;
      refs[i].series_uid = m->series_uid;
    }

  /* The description says the reason in words, then the reviewer's text:
   * other systems show only this. */
  if (kind == LB_DECISION_APPROVE || kind == LB_DECISION_SHARE)
    description = g_strdup (text != NULL && text[0] != '\0' ? text : (kind == LB_DECISION_APPROVE ? "Approved" : "Shared with the patient"));
  else if (text != NULL && text[0] != '\0')
    description = g_strdup_printf ("%s: %s", why->label, text);
  else
    description = g_strdup (why->label);

  /* Plain names ("Anna Nurse") become PN components ("Nurse^Anna"). */
  if (reviewer != NULL && reviewer[0] != '\0' && strchr (reviewer, '^') == NULL && strchr (reviewer, ' ') != NULL)
    {
      const char *space = strrchr (reviewer, ' ');
      g_autofree char *given = g_strndup (reviewer, space - reviewer);
      observer = g_strdup_printf ("%s^%s", space + 1, given);
    }
  else
    observer = g_strdup (reviewer);

  o.title = title_for (kind, reason);
  if (kind == LB_DECISION_REJECT || kind == LB_DECISION_RETAKE)
    {
      o.reason_code = why->code;
      o.reason_meaning = why->code_meaning;
    }
  o.description = description;
  o.observer_name = observer;
  o.patient_name = first->patient_name;
  o.patient_id = first->patient_id;
  o.patient_birth_date = first->patient_birth_date;
  o.patient_sex = first->patient_sex;
  o.study_uid = first->study_uid;
  o.study_date = first->study_date;
  o.study_time = first->study_time;
  o.accession_number = first->accession_number;
  o.references = refs;
  o.n_references = images->len;
  o.content_datetime = when;
  return lb_dicom_kos_build (&o, out_sop_instance_uid, error);
}

LbReviewStatus
lb_review_status_of (const LbKosInfo *info)
{
  g_return_val_if_fail (info != NULL, LB_REVIEW_STATUS_NEW);

  switch (info->title)
    {
    case LB_KOS_TITLE_OF_INTEREST:
    case LB_KOS_TITLE_FOR_PATIENT:
      return LB_REVIEW_STATUS_APPROVED;
    case LB_KOS_TITLE_REJECTED_QUALITY:
    case LB_KOS_TITLE_REJECTED_PATIENT_SAFETY:
      return LB_REVIEW_STATUS_REJECTED;
    case LB_KOS_TITLE_QUALITY_ISSUE:
      return LB_REVIEW_STATUS_RETAKE;
    case LB_KOS_TITLE_OTHER:
    default:
      return LB_REVIEW_STATUS_NEW;
    }
}

static char *
sort_key (const LbKosInfo *info)
{
  return g_strdup_printf ("%-8s%-13s", info->content_date, info->content_time);
}

/**
 * lb_review_newest:
 * @kos_infos: (element-type LbKosInfo): the review documents of a study
 *
 * The newest document that is a review decision decides (DESIGN.md); "For
 * Patient" notes and foreign titles do not change the review status.
 *
 * Returns: (transfer none) (nullable): the deciding document
 */
LbKosInfo *
lb_review_newest (GPtrArray *kos_infos)
{
  LbKosInfo *best = NULL;
  g_autofree char *best_key = NULL;

  for (guint i = 0; kos_infos != NULL && i < kos_infos->len; i++)
    {
      LbKosInfo *info = g_ptr_array_index (kos_infos, i);
      g_autofree char *key = NULL;

      if (info->title == LB_KOS_TITLE_OTHER || info->title == LB_KOS_TITLE_FOR_PATIENT)
        continue;
      key = sort_key (info);
      if (best == NULL || strcmp (key, best_key) >= 0)
        {
          best = info;
          g_free (best_key);
          best_key = g_steal_pointer (&key);
        }
    }
  return best;
}

/**
 * lb_review_describe:
 *
 * Returns: (transfer full): e.g. "Rejected by Anna Nurse, 2025-03-14 10:03 — Motion blur"
 */
char *
lb_review_describe (const LbKosInfo *info)
{
  const char *what;
  g_autoptr (GString) who = g_string_new (NULL);
  g_auto (GStrv) pn = NULL;
  const char *d, *t;
  const char *desc;

  g_return_val_if_fail (info != NULL, NULL);

  desc = info->description != NULL ? info->description : "";
  switch (lb_review_status_of (info))
    {
    case LB_REVIEW_STATUS_APPROVED: what = _("Approved"); break;
    case LB_REVIEW_STATUS_REJECTED: what = _("Rejected"); break;
    case LB_REVIEW_STATUS_RETAKE: what = _("Retake requested"); break;
    case LB_REVIEW_STATUS_NEW:
    default: what = _("Reviewed"); break;
    }
  /* "NURSE^ANNA" reads "Anna Nurse". */
  pn = g_strsplit (info->observer_name != NULL ? info->observer_name : "", "^", 3);
  if (pn[0] != NULL && pn[1] != NULL && pn[1][0] != '\0')
    g_string_append_printf (who, "%s %s", pn[1], pn[0]);
  else if (pn[0] != NULL)
    g_string_append (who, pn[0]);

  /* "Approved — Approved" says nothing twice. */
  if (info->description != NULL && g_ascii_strcasecmp (info->description, "Approved") == 0)
    desc = "";
  d = info->content_date != NULL ? info->content_date : "";
  t = info->content_time != NULL ? info->content_time : "";
  return g_strdup_printf ("%s%s%s, %.4s-%.2s-%.2s %.2s:%.2s%s%s",
                          what, who->len ? _(" by ") : "", who->str,
                          d, strlen (d) >= 6 ? d + 4 : "", strlen (d) >= 8 ? d + 6 : "",
                          t, strlen (t) >= 4 ? t + 2 : "",
                          desc[0] != '\0' ? " — " : "", desc);
}

/**
 * lb_review_rejected_uids:
 *
 * Returns: (transfer full): the SOP Instance UIDs that rejection notes
 *   (113001, 113037) point at, hidden from the viewer by default
 */
GHashTable *
lb_review_rejected_uids (GPtrArray *kos_infos)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; kos_infos != NULL && i < kos_infos->len; i++)
    {
      LbKosInfo *info = g_ptr_array_index (kos_infos, i);

      if (info->title != LB_KOS_TITLE_REJECTED_QUALITY && info->title != LB_KOS_TITLE_REJECTED_PATIENT_SAFETY)
        continue;
      for (guint j = 0; info->referenced_instances[j] != NULL; j++)
        g_hash_table_add (set, g_strdup (info->referenced_instances[j]));
    }
  return set;
}
