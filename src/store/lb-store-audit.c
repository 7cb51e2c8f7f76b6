/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-store-audit.h"

/**
 * lb_store_audit_export:
 * @self: a store
 * @user: (nullable): who exported
 * @destination: (nullable): where the export went, a file URI
 * @sop_instance_uids: (array zero-terminated=1): the exported images
 * @identity_left_out: whether the name and ID were left out
 * @error: return location for an %LB_STORE_ERROR
 *
 * Appends the record of an export: event "export", or "export-anonymous"
 * when the name and ID were left out; the destination in the place of the
 * archive (an export leaves the archive's world; the objects' UIDs say
 * where they came from); the UIDs backslash-separated as everywhere in the
 * log. Never the patient's name or ID.
 *
 * Returns: %TRUE on success
 */
gboolean
lb_store_audit_export (LbStore            *self,
                       const char         *user,
                       const char         *destination,
                       const char *const  *sop_instance_uids,
                       gboolean            identity_left_out,
                       GError            **error)
{
  g_autofree char *uids = NULL;

  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  g_return_val_if_fail (sop_instance_uids != NULL, FALSE);

  uids = g_strjoinv ("\\", (char **) sop_instance_uids);
  return lb_store_audit_append (self, identity_left_out ? "export-anonymous" : "export", user, destination,
                                uids, error);
}
