/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lb-net-error.h"
#include "lb-server-profile.h"
#include "lb-study.h"

G_BEGIN_DECLS

#define LB_TYPE_DICOMWEB_CLIENT (lb_dicomweb_client_get_type ())
G_DECLARE_FINAL_TYPE (LbDicomwebClient, lb_dicomweb_client, LB, DICOMWEB_CLIENT, GObject)

LbDicomwebClient *lb_dicomweb_client_new               (LbServerProfile      *profile);
LbServerProfile  *lb_dicomweb_client_get_profile       (LbDicomwebClient     *self);

void              lb_dicomweb_client_search_studies_async  (LbDicomwebClient     *self,
                                                            const char * const   *query,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray        *lb_dicomweb_client_search_studies_finish (LbDicomwebClient     *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

G_END_DECLS
