/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lb-dicom.h"
#include "lb-dicomweb-client.h"
#include "lb-store.h"

G_BEGIN_DECLS

typedef struct {
  GPtrArray *images;   /* LbDicomObject, in series then instance order */
  GPtrArray *kos;      /* LbKosInfo: the study's review documents */
  GPtrArray *presentation_states; /* LbPresentationState: the study's GSPS/CSPS */
  guint      n_skipped; /* objects that were none of these (SR, unreadable) */
  gboolean   from_cache; /* the archive could not be reached: the local copy */
} LbStudyContent;

void            lb_study_content_free   (LbStudyContent *content);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbStudyContent, lb_study_content_free)

void            lb_study_load_async     (LbDicomwebClient    *client,
                                         LbStore             *cache,
                                         const char          *study_uid,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
LbStudyContent *lb_study_load_finish    (LbDicomwebClient    *client,
                                         GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS

G_BEGIN_DECLS

/* The review documents (KO series) of a study, without its images: what the
 * worklist needs to show the review status. */
void       lb_study_load_reviews_async  (LbDicomwebClient    *client,
                                         const char          *study_uid,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray *lb_study_load_reviews_finish (LbDicomwebClient    *client,
                                         GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
