/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lb-outbox-sender.h"
#include "lb-store.h"

G_BEGIN_DECLS

#define LB_TYPE_EXPORT_DIALOG (lb_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LbExportDialog, lb_export_dialog, LB, EXPORT_DIALOG, AdwWindow)

/* The export for the patient (docs/export.md, "In the app"): a preview of
 * the page, a note, "leave out name and ID" (on), PDF or PNG, and "mark as
 * shared". Once the file is written it appends the audit record, sends
 * the For Patient selections through the outbox when asked, and emits
 * "exported" with a sentence for the user ("Export saved"). */
LbExportDialog *lb_export_dialog_new        (GtkWindow  *parent,
                                             GPtrArray  *images,
                                             GPtrArray  *annotations,
                                             const char *change_label);
void            lb_export_dialog_set_archive (LbExportDialog *self,
                                              LbStore        *store,
                                              LbOutboxSender *sender,
                                              const char     *server,
                                              const char     *user);
GPtrArray      *lb_export_dialog_get_images (LbExportDialog *self);

G_END_DECLS
