/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-study.h"
#include "lb-server-profile.h"

static void
test_display_name (void)
{
  g_autoptr (LbStudy) study = lb_study_new ("1.2.3");
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

  lb_study_set_patient_name (study, "DOE^JANE^MARIE");
  a = lb_study_dup_display_name (study);
  g_assert_cmpstr (a, ==, "DOE, JANE MARIE");

  /* Only the alphabetic group is shown. */
  lb_study_set_patient_name (study, "YAMADA^TARO=山田^太郎=やまだ^たろう");
  b = lb_study_dup_display_name (study);
  g_assert_cmpstr (b, ==, "YAMADA, TARO");

  lb_study_set_patient_name (study, "=山田");
  c = lb_study_dup_display_name (study);
  g_assert_cmpstr (c, ==, "");

  lb_study_set_patient_name (study, "ROE^^");
  d = lb_study_dup_display_name (study);
  g_assert_cmpstr (d, ==, "ROE");
}

static void
notify_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  GPtrArray *seen = user_data;
  g_ptr_array_add (seen, (gpointer) g_param_spec_get_name (pspec));
}

static void
test_notify (void)
{
  g_autoptr (LbStudy) study = lb_study_new ("1.2.3");
  g_autoptr (GPtrArray) seen = g_ptr_array_new ();

  g_signal_connect (study, "notify", G_CALLBACK (notify_cb), seen);
  lb_study_set_study_date (study, "20261120");
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "study-date");
  g_assert_cmpstr (g_ptr_array_index (seen, 1), ==, "display-date");

  /* Setting the same value again notifies nothing. */
  lb_study_set_study_date (study, "20261120");
  lb_study_set_n_instances (study, 0);
  g_assert_cmpuint (seen->len, ==, 2);

  lb_study_set_review_status (study, LB_REVIEW_STATUS_REJECTED);
  g_assert_cmpuint (seen->len, ==, 3);
  g_assert_cmpint (lb_study_get_review_status (study), ==, LB_REVIEW_STATUS_REJECTED);
}

static void
test_dates (void)
{
  g_autoptr (LbStudy) study = lb_study_new ("1.2.3");
  g_autofree char *none = NULL, *day = NULL, *full = NULL;
  g_autoptr (GDateTime) dt = NULL;

  none = lb_study_dup_display_date (study);
  g_assert_cmpstr (none, ==, "");

  lb_study_set_study_date (study, "2026111");   /* malformed */
  g_assert_null (lb_study_dup_datetime (study));

  lb_study_set_study_date (study, "20261120");
  day = lb_study_dup_display_date (study);
  g_assert_cmpstr (day, ==, "2026-11-20");

  lb_study_set_study_time (study, "140312.123");
  full = lb_study_dup_display_date (study);
  g_assert_cmpstr (full, ==, "2026-11-20 14:03");
  dt = lb_study_dup_datetime (study);
  g_assert_cmpint (g_date_time_get_second (dt), ==, 12);

  /* A time of hours only; then a date that does not exist. */
  {
    g_autofree char *hours = NULL, *bad = NULL;

    lb_study_set_study_time (study, "09");
    hours = lb_study_dup_display_date (study);
    g_assert_cmpstr (hours, ==, "2026-11-20 09:00");
    lb_study_set_study_date (study, "20260230");
    bad = lb_study_dup_display_date (study);
    g_assert_cmpstr (bad, ==, "");
    g_assert_null (lb_study_dup_datetime (study));
  }
}

static void
test_profile (void)
{
  g_autoptr (LbServerProfile) p = lb_server_profile_new (NULL, "http://127.0.0.1:8042/dicom-web//");

  g_assert_cmpstr (lb_server_profile_get_qido_url (p), ==, "http://127.0.0.1:8042/dicom-web");
  g_assert_cmpstr (lb_server_profile_get_stow_url (p), ==, "http://127.0.0.1:8042/dicom-web");
  g_assert_cmpstr (lb_server_profile_get_name (p), ==, "http://127.0.0.1:8042/dicom-web//");
  /* TLS verification is on unless explicitly turned off. */
  g_assert_true (lb_server_profile_get_tls_verify (p));
  g_assert_cmpint (lb_server_profile_get_auth_kind (p), ==, LB_AUTH_NONE);
  lb_server_profile_set_stow_url (p, "https://pacs.example/stow/");
  g_assert_cmpstr (lb_server_profile_get_stow_url (p), ==, "https://pacs.example/stow");
  g_assert_cmpstr (lb_server_profile_get_wado_url (p), ==, "http://127.0.0.1:8042/dicom-web");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/study/display-name", test_display_name);
  g_test_add_func ("/model/study/notify", test_notify);
  g_test_add_func ("/model/study/dates", test_dates);
  g_test_add_func ("/model/server-profile/urls", test_profile);
  return g_test_run ();
}
