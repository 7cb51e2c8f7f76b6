/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lb-multipart-reader.h"
#include "lb-net-error.h"
#include "lb-secret-store.h"
#include "lb-server-profile.h"
#include "lb-stow-result.h"
#include "lb-study.h"

G_BEGIN_DECLS

/**
 * LbQidoLevel:
 * @LB_QIDO_STUDIES: `/studies`
 * @LB_QIDO_SERIES: `/series`, or `/studies/{uid}/series`
 * @LB_QIDO_INSTANCES: `/instances`, or below a study or series
 */
typedef enum {
  LB_QIDO_STUDIES,
  LB_QIDO_SERIES,
  LB_QIDO_INSTANCES,
} LbQidoLevel;

/**
 * LbPartFunc:
 * @content_type: (nullable): the part's Content-Type
 * @body: the part
 * @user_data: data given with the function
 * @error: set when returning %FALSE
 *
 * Receives one part of a WADO-RS multipart reply as soon as it is complete.
 *
 * Returns: %FALSE to stop (with @error set)
 */
typedef gboolean (*LbPartFunc) (const char  *content_type,
                                GBytes      *body,
                                gpointer     user_data,
                                GError     **error);

#define LB_TYPE_DICOMWEB_CLIENT (lb_dicomweb_client_get_type ())
G_DECLARE_FINAL_TYPE (LbDicomwebClient, lb_dicomweb_client, LB, DICOMWEB_CLIENT, GObject)

LbDicomwebClient *lb_dicomweb_client_new               (LbServerProfile      *profile);
LbServerProfile  *lb_dicomweb_client_get_profile       (LbDicomwebClient     *self);

void              lb_dicomweb_client_set_secret        (LbDicomwebClient     *self,
                                                        const char           *secret);
void              lb_dicomweb_client_set_secret_store  (LbDicomwebClient     *self,
                                                        LbSecretStore        *store);
void              lb_dicomweb_client_set_timeout       (LbDicomwebClient     *self,
                                                        guint                 seconds);
void              lb_dicomweb_client_set_retry_policy  (LbDicomwebClient     *self,
                                                        guint                 max_retries,
                                                        guint                 base_delay_ms);
void              lb_dicomweb_client_set_json_limit    (LbDicomwebClient     *self,
                                                        guint64               max_bytes);
void              lb_dicomweb_client_set_multipart_limits (LbDicomwebClient        *self,
                                                           const LbMultipartLimits *limits);
guint             lb_dicomweb_client_get_n_requests    (LbDicomwebClient     *self);

char             *lb_dicomweb_profile_secret_key       (LbServerProfile      *profile);
char             *lb_dicomweb_query_param              (const char           *key,
                                                        const char           *value);

/* QIDO-RS (PS3.18 10.6) */
void              lb_dicomweb_client_search_studies_async  (LbDicomwebClient     *self,
                                                            const char * const   *query,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray        *lb_dicomweb_client_search_studies_finish (LbDicomwebClient     *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              lb_dicomweb_client_search_async      (LbDicomwebClient     *self,
                                                        LbQidoLevel           level,
                                                        const char           *study_uid,
                                                        const char           *series_uid,
                                                        const char * const   *query,
                                                        guint                 page_size,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray        *lb_dicomweb_client_search_finish     (LbDicomwebClient     *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

/* WADO-RS (PS3.18 10.4) */
void              lb_dicomweb_client_get_metadata_async  (LbDicomwebClient    *self,
                                                          const char          *study_uid,
                                                          const char          *series_uid,
                                                          const char          *instance_uid,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
GPtrArray        *lb_dicomweb_client_get_metadata_finish (LbDicomwebClient    *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);
void              lb_dicomweb_client_retrieve_async    (LbDicomwebClient     *self,
                                                        const char           *study_uid,
                                                        const char           *series_uid,
                                                        const char           *instance_uid,
                                                        LbPartFunc            part_func,
                                                        gpointer              part_data,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean          lb_dicomweb_client_retrieve_finish   (LbDicomwebClient     *self,
                                                        GAsyncResult         *result,
                                                        guint                *n_parts,
                                                        GError              **error);
void              lb_dicomweb_client_retrieve_frames_async  (LbDicomwebClient    *self,
                                                             const char          *study_uid,
                                                             const char          *series_uid,
                                                             const char          *instance_uid,
                                                             const guint         *frames,
                                                             guint                n_frames,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GPtrArray        *lb_dicomweb_client_retrieve_frames_finish (LbDicomwebClient    *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void              lb_dicomweb_client_retrieve_rendered_async  (LbDicomwebClient    *self,
                                                               const char          *study_uid,
                                                               const char          *series_uid,
                                                               const char          *instance_uid,
                                                               gboolean             thumbnail,
                                                               guint                viewport_width,
                                                               guint                viewport_height,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
GBytes           *lb_dicomweb_client_retrieve_rendered_finish (LbDicomwebClient    *self,
                                                               GAsyncResult        *result,
                                                               char               **content_type,
                                                               GError             **error);

/* STOW-RS (PS3.18 10.5) */
void              lb_dicomweb_client_store_async       (LbDicomwebClient     *self,
                                                        const char           *study_uid,
                                                        GPtrArray            *objects,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
LbStowResult     *lb_dicomweb_client_store_finish      (LbDicomwebClient     *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

G_END_DECLS
