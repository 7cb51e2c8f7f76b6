/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Review decisions built from real objects (tests/fixtures) and read back. */
#include "lb-review.h"
#include "lb-test-utils.h"

static LbDicomObject *
fixture (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("LIGHTBOX_FIXTURES"), name, NULL);
  g_autoptr (GError) error = NULL;
  LbDicomLimits limits;
  LbDicomObject *object;

  lb_dicom_limits_init_default (&limits);
  object = lb_dicom_object_new_from_file (path, &limits, &error);
  g_assert_no_error (error);
  return object;
}

static LbKosInfo *
decide (GPtrArray *images, LbDecisionKind kind, LbReason reason, const char *text, GDateTime *when)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) kos = lb_review_build_kos (images, kind, reason, text, "Anna Nurse", when, NULL, &error);
  LbKosInfo *info;

  g_assert_no_error (error);
  info = lb_dicom_kos_parse (kos, &error);
  g_assert_no_error (error);
  return info;
}

static void
test_kinds (void)
{
  g_autoptr (GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_dicom_object_unref);
  g_autoptr (GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_kos_info_free);
  g_autoptr (GDateTime) t1 = g_date_time_new_local (2026, 11, 20, 9, 0, 0);
  g_autoptr (GDateTime) t2 = g_date_time_new_local (2026, 11, 20, 10, 30, 0);
  g_autoptr (GDateTime) t3 = g_date_time_new_local (2026, 11, 21, 8, 5, 0);
  g_autoptr (GHashTable) rejected = NULL;
  g_autofree char *text = NULL;
  LbKosInfo *info;

  g_ptr_array_add (images, fixture ("fixture-1.dcm"));

  info = decide (images, LB_DECISION_RETAKE, LB_REASON_UNDER_EXPOSED, "Near a window, please", t1);
  g_assert_cmpint (info->title, ==, LB_KOS_TITLE_QUALITY_ISSUE);
  g_assert_cmpstr (info->reason_code, ==, "111211");
  g_assert_cmpstr (info->description, ==, "Under-exposed: Near a window, please");
  g_assert_cmpstr (info->observer_name, ==, "Nurse^Anna");
  g_assert_cmpint (lb_review_status_of (info), ==, LB_REVIEW_STATUS_RETAKE);
  g_ptr_array_add (infos, info);

  info = decide (images, LB_DECISION_REJECT, LB_REASON_WRONG_PATIENT, NULL, t2);
  g_assert_cmpint (info->title, ==, LB_KOS_TITLE_REJECTED_PATIENT_SAFETY);
  g_assert_cmpstr (info->reason_code, ==, "");
  g_ptr_array_add (infos, info);

  /* The newest decides; a later "For Patient" note does not change it. */
  g_assert_true (lb_review_newest (infos) == info);
  g_ptr_array_add (infos, decide (images, LB_DECISION_SHARE, LB_REASON_NONE, NULL, t3));
  g_assert_true (lb_review_newest (infos) == info);
  text = lb_review_describe (info);
  g_assert_cmpstr (text, ==, "Rejected by Anna Nurse, 2026-11-20 10:30 — Wrong patient");

  rejected = lb_review_rejected_uids (infos);
  g_assert_cmpuint (g_hash_table_size (rejected), ==, 1);
  g_assert_true (g_hash_table_contains (rejected, lb_dicom_object_get_meta (g_ptr_array_index (images, 0))->sop_instance_uid));
}

static void
test_refuses_mixed_studies (void)
{
  g_autoptr (GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_dicom_object_unref);
  g_autoptr (GPtrArray) none = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) kos = NULL;

  g_ptr_array_add (images, fixture ("fixture-1.dcm"));
  g_ptr_array_add (images, fixture ("fixture-2.dcm"));
  kos = lb_review_build_kos (images, LB_DECISION_APPROVE, LB_REASON_NONE, NULL, NULL, NULL, NULL, &error);
  g_assert_null (kos);
  g_assert_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED);
  g_clear_error (&error);
  kos = lb_review_build_kos (none, LB_DECISION_APPROVE, LB_REASON_NONE, NULL, NULL, NULL, NULL, &error);
  g_assert_null (kos);
  g_assert_nonnull (error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/review/kinds", test_kinds);
  g_test_add_func ("/net/review/mixed-studies", test_refuses_mixed_studies);
  return g_test_run ();
}
