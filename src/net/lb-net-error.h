/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LB_NET_ERROR (lb_net_error_quark ())
GQuark lb_net_error_quark (void);

/**
 * LbNetError:
 * @LB_NET_ERROR_UNREACHABLE: the archive could not be reached (connection refused, DNS, timeout)
 * @LB_NET_ERROR_AUTH: authentication failed (401/403)
 * @LB_NET_ERROR_TLS: the TLS handshake or certificate check failed
 * @LB_NET_ERROR_HTTP: the archive answered with an unexpected HTTP status
 * @LB_NET_ERROR_BAD_RESPONSE: the archive's reply could not be understood
 * @LB_NET_ERROR_TOO_LARGE: a reply exceeded a size limit
 * @LB_NET_ERROR_NOT_SUPPORTED: the archive lacks an (optional) endpoint
 * @LB_NET_ERROR_TIMEOUT: the archive stalled
 * @LB_NET_ERROR_NOT_FOUND: the archive does not hold what was asked for (404)
 */
typedef enum {
  LB_NET_ERROR_UNREACHABLE,
  LB_NET_ERROR_AUTH,
  LB_NET_ERROR_TLS,
  LB_NET_ERROR_HTTP,
  LB_NET_ERROR_BAD_RESPONSE,
  LB_NET_ERROR_TOO_LARGE,
  LB_NET_ERROR_NOT_SUPPORTED,
  LB_NET_ERROR_TIMEOUT,
  LB_NET_ERROR_NOT_FOUND,
} LbNetError;

G_END_DECLS
