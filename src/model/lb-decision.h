/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lb-study.h"

G_BEGIN_DECLS

typedef enum {
  LB_DECISION_APPROVE,
  LB_DECISION_REJECT,
  LB_DECISION_RETAKE,
  LB_DECISION_SHARE,
} LbDecisionKind;

/**
 * LbReason:
 * Why a photo was rejected or a retake requested. Each maps to a document
 * title modifier from CID 7011 ("Rejected for Quality Reasons"), except
 * %LB_REASON_WRONG_PATIENT, which changes the document title itself to
 * (113037, DCM, "Rejected for Patient Safety Reasons").
 */
typedef enum {
  LB_REASON_NONE,
  LB_REASON_BLURRY,
  LB_REASON_UNDER_EXPOSED,
  LB_REASON_OVER_EXPOSED,
  LB_REASON_WRONG_BODY_PART,
  LB_REASON_NOT_USEFUL,
  LB_REASON_IDENTIFIABLE,
  LB_REASON_WRONG_PATIENT,
  LB_REASON_OTHER,
  LB_N_REASONS
} LbReason;

typedef struct {
  LbReason reason;
  const char *nick;          /* for the command line: "blurry", "wrong-patient"… */
  const char *label;         /* translatable, for the UI */
  const char *code;          /* CID 7011 code value, NULL for none */
  const char *code_meaning;
} LbReasonInfo;

const LbReasonInfo *lb_reason_get_info     (LbReason    reason);
gboolean            lb_reason_from_nick    (const char *nick,
                                            LbReason   *out);
LbReason            lb_reason_from_code    (const char *code);

LbReviewStatus      lb_decision_kind_to_status (LbDecisionKind kind);

G_END_DECLS
