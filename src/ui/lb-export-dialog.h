/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LB_TYPE_EXPORT_DIALOG (lb_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LbExportDialog, lb_export_dialog, LB, EXPORT_DIALOG, AdwWindow)

/* The export for the patient (docs/export.md, "In the app"): a preview of
 * the page, a note, "leave out name and ID" (on), PDF or PNG, and "mark as
 * shared". Emits "exported" (uri, identity-left-out, share) once the file
 * is written; the window audits it and sends the For Patient selection. */
LbExportDialog *lb_export_dialog_new        (GtkWindow  *parent,
                                             GPtrArray  *images,
                                             GPtrArray  *annotations,
                                             const char *change_label);
GPtrArray      *lb_export_dialog_get_images (LbExportDialog *self);

G_END_DECLS
