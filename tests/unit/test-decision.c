/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-decision.h"

static void
test_reasons (void)
{
  LbReason r;

  /* Every reason has a unique nick that maps back to it. */
  for (guint i = 0; i < LB_N_REASONS; i++)
    {
      const LbReasonInfo *info = lb_reason_get_info (i);
      g_assert_cmpint (info->reason, ==, i);
      g_assert_true (lb_reason_from_nick (info->nick, &r));
      g_assert_cmpint (r, ==, i);
    }
  g_assert_false (lb_reason_from_nick ("sideways", &r));
  g_assert_true (lb_reason_from_nick ("BLURRY", &r));
  g_assert_cmpint (r, ==, LB_REASON_BLURRY);

  /* CID 7011 codes. */
  g_assert_cmpstr (lb_reason_get_info (LB_REASON_BLURRY)->code, ==, "111210");
  g_assert_cmpstr (lb_reason_get_info (LB_REASON_UNDER_EXPOSED)->code, ==, "111211");
  g_assert_cmpstr (lb_reason_get_info (LB_REASON_OVER_EXPOSED)->code, ==, "111212");
  g_assert_cmpstr (lb_reason_get_info (LB_REASON_WRONG_BODY_PART)->code, ==, "111209");
  g_assert_null (lb_reason_get_info (LB_REASON_WRONG_PATIENT)->code);
  g_assert_cmpint (lb_reason_from_code ("111211"), ==, LB_REASON_UNDER_EXPOSED);
  g_assert_cmpint (lb_reason_from_code ("999999"), ==, LB_REASON_OTHER);
  g_assert_cmpint (lb_reason_from_code (""), ==, LB_REASON_NONE);
  g_assert_cmpint (lb_reason_from_code (NULL), ==, LB_REASON_NONE);
}

static void
test_status (void)
{
  g_assert_cmpint (lb_decision_kind_to_status (LB_DECISION_APPROVE), ==, LB_REVIEW_STATUS_APPROVED);
  g_assert_cmpint (lb_decision_kind_to_status (LB_DECISION_REJECT), ==, LB_REVIEW_STATUS_REJECTED);
  g_assert_cmpint (lb_decision_kind_to_status (LB_DECISION_RETAKE), ==, LB_REVIEW_STATUS_RETAKE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/decision/reasons", test_reasons);
  g_test_add_func ("/model/decision/status", test_status);
  return g_test_run ();
}
