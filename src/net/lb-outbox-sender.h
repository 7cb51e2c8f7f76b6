/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lb-dicomweb-client.h"
#include "lb-store.h"

G_BEGIN_DECLS

#define LB_TYPE_OUTBOX_SENDER (lb_outbox_sender_get_type ())
G_DECLARE_FINAL_TYPE (LbOutboxSender, lb_outbox_sender, LB, OUTBOX_SENDER, GObject)

LbOutboxSender *lb_outbox_sender_new               (LbStore             *store,
                                                    LbDicomwebClient    *client);
guint           lb_outbox_sender_get_pending_count (LbOutboxSender      *self);
const char     *lb_outbox_sender_get_server        (LbOutboxSender      *self);
gint64          lb_outbox_sender_enqueue           (LbOutboxSender      *self,
                                                    GBytes              *object,
                                                    GError             **error);
void            lb_outbox_sender_drain_async       (LbOutboxSender      *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean        lb_outbox_sender_drain_finish      (LbOutboxSender      *self,
                                                    GAsyncResult        *result,
                                                    guint               *n_sent,
                                                    guint               *n_failed,
                                                    GError             **error);
void            lb_outbox_sender_start             (LbOutboxSender      *self);
void            lb_outbox_sender_stop              (LbOutboxSender      *self);

G_END_DECLS
