/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lb-decision.h"
#include "lb-dicom.h"

G_BEGIN_DECLS

/* Review decisions as Key Object Selection documents (DESIGN.md,
 * "Standards mapping"), shared by the app and `lightbox-cli decide`. */

GBytes         *lb_review_build_kos     (GPtrArray      *images,
                                         LbDecisionKind  kind,
                                         LbReason        reason,
                                         const char     *text,
                                         const char     *reviewer,
                                         GDateTime      *when,
                                         char          **out_sop_instance_uid,
                                         GError        **error);
LbReviewStatus  lb_review_status_of     (const LbKosInfo *info);
LbKosInfo      *lb_review_newest        (GPtrArray      *kos_infos);
char           *lb_review_describe      (const LbKosInfo *info);
GHashTable     *lb_review_rejected_uids (GPtrArray      *kos_infos);

G_END_DECLS
