/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LB_TYPE_SECRET_STORE (lb_secret_store_get_type ())
G_DECLARE_FINAL_TYPE (LbSecretStore, lb_secret_store, LB, SECRET_STORE, GObject)

LbSecretStore *lb_secret_store_get_default     (void);
LbSecretStore *lb_secret_store_new             (gboolean              use_service);
gboolean       lb_secret_store_is_session_only (LbSecretStore        *self);

void           lb_secret_store_save_async      (LbSecretStore        *self,
                                                const char           *server,
                                                const char           *user,
                                                const char           *secret,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean       lb_secret_store_save_finish     (LbSecretStore        *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void           lb_secret_store_lookup_async    (LbSecretStore        *self,
                                                const char           *server,
                                                const char           *user,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
char          *lb_secret_store_lookup_finish   (LbSecretStore        *self,
                                                GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
