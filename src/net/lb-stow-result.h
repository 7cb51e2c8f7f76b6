/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * LbStowStatus:
 * @LB_STOW_STATUS_SUCCESS: the archive stored the object (ReferencedSOPSequence)
 * @LB_STOW_STATUS_WARNING: stored, with a WarningReason (e.g. coerced attributes)
 * @LB_STOW_STATUS_FAILURE: refused (FailedSOPSequence, with a FailureReason)
 */
typedef enum {
  LB_STOW_STATUS_SUCCESS,
  LB_STOW_STATUS_WARNING,
  LB_STOW_STATUS_FAILURE,
} LbStowStatus;

typedef struct {
  char *sop_class_uid;
  char *sop_instance_uid;
  LbStowStatus status;
  guint reason;               /* FailureReason or WarningReason, 0 if none */
  char *retrieve_url;         /* nullable */
} LbStowItem;

typedef struct _LbStowResult LbStowResult;

#define LB_TYPE_STOW_RESULT (lb_stow_result_get_type ())
GType lb_stow_result_get_type (void) G_GNUC_CONST;

LbStowResult     *lb_stow_result_parse           (guint          http_status,
                                                  const char    *data,
                                                  gsize          length,
                                                  GError       **error);
LbStowResult     *lb_stow_result_ref             (LbStowResult  *self);
void              lb_stow_result_unref           (LbStowResult  *self);
guint             lb_stow_result_get_http_status (LbStowResult  *self);
guint             lb_stow_result_get_n_items     (LbStowResult  *self);
const LbStowItem *lb_stow_result_get_item        (LbStowResult  *self,
                                                  guint          index);
const LbStowItem *lb_stow_result_lookup          (LbStowResult  *self,
                                                  const char    *sop_instance_uid);
const char       *lb_stow_status_to_string       (LbStowStatus   status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbStowResult, lb_stow_result_unref)

G_END_DECLS
