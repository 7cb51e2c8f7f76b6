/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-banner.h"

#include <string.h>

static void
test_patient_generated (void)
{
  const char *configured[] = { "XC", "OT", NULL };

  g_assert_true (lb_banner_is_patient_generated ("XC", NULL));
  g_assert_true (lb_banner_is_patient_generated ("KO\\XC", NULL));
  g_assert_false (lb_banner_is_patient_generated ("CT", NULL));
  g_assert_false (lb_banner_is_patient_generated ("OT", NULL));
  g_assert_true (lb_banner_is_patient_generated ("OT", configured));
  g_assert_false (lb_banner_is_patient_generated (NULL, configured));
  g_assert_true (strstr (lb_banner_text (), "provided by the patient") != NULL);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/viewer/banner/patient-generated", test_patient_generated);
  return g_test_run ();
}
