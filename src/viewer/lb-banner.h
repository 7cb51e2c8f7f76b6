/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *lb_banner_text                 (void);
gboolean    lb_banner_is_patient_generated (const char         *modalities,
                                            const char * const *configured);

G_END_DECLS
