/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lb-store.h"

G_BEGIN_DECLS

/* One audit record per export for the patient, shared by the app's export
 * dialog and `lightbox-cli export` (docs/export.md, "Audit"). */
gboolean lb_store_audit_export (LbStore            *self,
                                const char         *user,
                                const char         *destination,
                                const char *const  *sop_instance_uids,
                                gboolean            identity_left_out,
                                GError            **error);

G_END_DECLS
