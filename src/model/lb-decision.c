/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-decision.h"

#include <glib/gi18n.h>

/* CID 7011 in PS3.16: the codes a rejection note or a quality-issue note
 * uses as its Document Title Modifier. Reasons without an exact code use
 * (111220, "Other failure") and say what they mean in the description. */
static const LbReasonInfo reasons[LB_N_REASONS] = {
  { LB_REASON_NONE, "none", N_("No reason"), NULL, NULL },
  { LB_REASON_BLURRY, "blurry", N_("Motion blur"), "111210", "Motion blur" },
  { LB_REASON_UNDER_EXPOSED, "under-exposed", N_("Under-exposed"), "111211", "Under exposed" },
  { LB_REASON_OVER_EXPOSED, "over-exposed", N_("Over-exposed"), "111212", "Over exposed" },
  { LB_REASON_WRONG_BODY_PART, "wrong-body-part", N_("Wrong body part"), "111209", "Positioning" },
  { LB_REASON_NOT_USEFUL, "not-useful", N_("Not clinically useful"), "111220", "Other failure" },
  { LB_REASON_IDENTIFIABLE, "identifiable", N_("Identifiable features"), "111220", "Other failure" },
  { LB_REASON_WRONG_PATIENT, "wrong-patient", N_("Wrong patient"), NULL, NULL },
  { LB_REASON_OTHER, "other", N_("Other"), "111220", "Other failure" },
};

const LbReasonInfo *
lb_reason_get_info (LbReason reason)
{
  g_return_val_if_fail (reason < LB_N_REASONS, &reasons[LB_REASON_NONE]);
  return &reasons[reason];
}

gboolean
lb_reason_from_nick (const char *nick,
                     LbReason   *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  for (guint i = 0; nick != NULL && i < LB_N_REASONS; i++)
    if (g_ascii_strcasecmp (nick, reasons[i].nick) == 0)
      {
        *out = reasons[i].reason;
        return TRUE;
      }
  return FALSE;
}

/* Reading back: the first reason with that code (several share 111220). */
LbReason
lb_reason_from_code (const char *code)
{
  for (guint i = 0; code != NULL && i < LB_N_REASONS; i++)
    if (g_strcmp0 (reasons[i].code, code) == 0)
      return reasons[i].reason;
  return code != NULL && code[0] != '\0' ? LB_REASON_OTHER : LB_REASON_NONE;
}

LbReviewStatus
lb_decision_kind_to_status (LbDecisionKind kind)
{
  switch (kind)
    {
    case LB_DECISION_APPROVE:
    case LB_DECISION_SHARE:
      return LB_REVIEW_STATUS_APPROVED;
    case LB_DECISION_REJECT:
      return LB_REVIEW_STATUS_REJECTED;
    case LB_DECISION_RETAKE:
      return LB_REVIEW_STATUS_RETAKE;
    default:
      g_return_val_if_reached (LB_REVIEW_STATUS_NEW);
    }
}
