/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  LB_AUTH_NONE,
  LB_AUTH_BASIC,
  LB_AUTH_BEARER,
} LbAuthKind;

GType lb_auth_kind_get_type (void) G_GNUC_CONST;
#define LB_TYPE_AUTH_KIND (lb_auth_kind_get_type ())

#define LB_TYPE_SERVER_PROFILE (lb_server_profile_get_type ())
G_DECLARE_FINAL_TYPE (LbServerProfile, lb_server_profile, LB, SERVER_PROFILE, GObject)

LbServerProfile *lb_server_profile_new            (const char *name,
                                                   const char *base_url);

const char      *lb_server_profile_get_name       (LbServerProfile *self);
void             lb_server_profile_set_name       (LbServerProfile *self, const char *name);
const char      *lb_server_profile_get_qido_url   (LbServerProfile *self);
void             lb_server_profile_set_qido_url   (LbServerProfile *self, const char *url);
const char      *lb_server_profile_get_wado_url   (LbServerProfile *self);
void             lb_server_profile_set_wado_url   (LbServerProfile *self, const char *url);
const char      *lb_server_profile_get_stow_url   (LbServerProfile *self);
void             lb_server_profile_set_stow_url   (LbServerProfile *self, const char *url);
LbAuthKind       lb_server_profile_get_auth_kind  (LbServerProfile *self);
void             lb_server_profile_set_auth_kind  (LbServerProfile *self, LbAuthKind kind);
const char      *lb_server_profile_get_username   (LbServerProfile *self);
void             lb_server_profile_set_username   (LbServerProfile *self, const char *username);
const char      *lb_server_profile_get_ca_file    (LbServerProfile *self);
void             lb_server_profile_set_ca_file    (LbServerProfile *self, const char *path);
gboolean         lb_server_profile_get_tls_verify (LbServerProfile *self);
void             lb_server_profile_set_tls_verify (LbServerProfile *self, gboolean verify);

G_END_DECLS
