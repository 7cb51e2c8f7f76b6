/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lb-dicom.h"

G_BEGIN_DECLS

/* Quality hints for one image, computed in a worker thread with the
 * thresholds from Preferences. The result is the hints in words ("" when
 * there are none). */
void  lb_quality_check_async  (LbDicomObject       *object,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
char *lb_quality_check_finish (GAsyncResult        *result,
                               GError             **error);

G_END_DECLS
