/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LB_STORE_ERROR (lb_store_error_quark ())
GQuark lb_store_error_quark (void);

typedef enum {
  LB_STORE_ERROR_OPEN,
  LB_STORE_ERROR_SCHEMA,
  LB_STORE_ERROR_IO,
  LB_STORE_ERROR_FULL,
  LB_STORE_ERROR_NOT_FOUND,
} LbStoreError;

#define LB_TYPE_STORE (lb_store_get_type ())
G_DECLARE_FINAL_TYPE (LbStore, lb_store, LB, STORE, GObject)

/* The schema version this build writes (PRAGMA user_version). */
#define LB_STORE_SCHEMA_VERSION 1

LbStore    *lb_store_open                (const char  *path,
                                          GError     **error);
int         lb_store_get_schema_version  (LbStore     *self);
const char *lb_store_get_path            (LbStore     *self);
char       *lb_store_default_path        (void);

G_END_DECLS
