/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lb-server-profile.h"

G_BEGIN_DECLS

/* Archive profiles as kept in GSettings ("servers", "active-server"). */
GListStore      *lb_server_settings_load       (GSettings       *settings);
void             lb_server_settings_save       (GSettings       *settings,
                                                GListModel      *profiles);
LbServerProfile *lb_server_settings_get_active (GSettings       *settings);
GVariant        *lb_server_profile_to_variant  (LbServerProfile *profile);
LbServerProfile *lb_server_profile_from_variant (GVariant       *dict);

G_END_DECLS
