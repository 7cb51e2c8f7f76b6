/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean lb_part10_peek_uids (GBytes   *object,
                              char    **sop_class_uid,
                              char    **sop_instance_uid,
                              GError  **error);

G_END_DECLS
