/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lb-net-error.h"

G_BEGIN_DECLS

/**
 * LbMultipartLimits:
 * @max_parts: most parts one body may hold
 * @max_part_bytes: largest single part body
 * @max_total_bytes: largest whole body (all parts, headers, padding)
 * @max_header_bytes: largest header block of one part (and preamble)
 *
 * Bounds applied to an untrusted `multipart/related` body. Exceeding one is
 * an %LB_NET_ERROR_TOO_LARGE error, raised before the memory is spent.
 */
typedef struct {
  guint   max_parts;
  guint64 max_part_bytes;
  guint64 max_total_bytes;
  gsize   max_header_bytes;
} LbMultipartLimits;

void lb_multipart_limits_init_default (LbMultipartLimits *limits);

#define LB_TYPE_MULTIPART_READER (lb_multipart_reader_get_type ())
G_DECLARE_FINAL_TYPE (LbMultipartReader, lb_multipart_reader, LB, MULTIPART_READER, GObject)

LbMultipartReader *lb_multipart_reader_new           (const char               *content_type,
                                                      const LbMultipartLimits  *limits,
                                                      GError                  **error);
const char        *lb_multipart_reader_get_boundary  (LbMultipartReader        *self);
const char        *lb_multipart_reader_get_part_type (LbMultipartReader        *self);

/* Push interface: feed bytes as they arrive, pop complete parts. */
gboolean           lb_multipart_reader_feed          (LbMultipartReader        *self,
                                                      const guint8             *data,
                                                      gsize                     length,
                                                      GError                  **error);
GBytes            *lb_multipart_reader_pop_part      (LbMultipartReader        *self,
                                                      char                    **content_type);
gboolean           lb_multipart_reader_close         (LbMultipartReader        *self,
                                                      GError                  **error);

/* Pull interface over a stream: one part at a time. */
void               lb_multipart_reader_next_part_async  (LbMultipartReader    *self,
                                                         GInputStream         *stream,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GBytes            *lb_multipart_reader_next_part_finish (LbMultipartReader    *self,
                                                         GAsyncResult         *result,
                                                         char                **content_type,
                                                         GError              **error);

/* Splits a Content-Type value into its media type and parameters. */
char              *lb_content_type_parse             (const char               *value,
                                                      GHashTable              **params);

G_END_DECLS
