/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-server-settings.h"

static const char *
auth_nick (LbAuthKind kind)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (LB_TYPE_AUTH_KIND);
  GEnumValue *value = g_enum_get_value (klass, kind);

  return value != NULL ? value->value_nick : "none";
}

static LbAuthKind
auth_from_nick (const char *nick)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (LB_TYPE_AUTH_KIND);
  GEnumValue *value = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  return value != NULL ? (LbAuthKind) value->value : LB_AUTH_NONE;
}

GVariant *
lb_server_profile_to_variant (LbServerProfile *profile)
{
  GVariantDict dict;

  g_return_val_if_fail (LB_IS_SERVER_PROFILE (profile), NULL);

#define STR(s) g_variant_new_string ((s) != NULL ? (s) : "")
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert_value (&dict, "name", STR (lb_server_profile_get_name (profile)));
  g_variant_dict_insert_value (&dict, "qido-url", STR (lb_server_profile_get_qido_url (profile)));
  g_variant_dict_insert_value (&dict, "wado-url", STR (lb_server_profile_get_wado_url (profile)));
  g_variant_dict_insert_value (&dict, "stow-url", STR (lb_server_profile_get_stow_url (profile)));
  g_variant_dict_insert_value (&dict, "auth",
                               g_variant_new_string (auth_nick (lb_server_profile_get_auth_kind (profile))));
  g_variant_dict_insert_value (&dict, "username", STR (lb_server_profile_get_username (profile)));
  g_variant_dict_insert_value (&dict, "ca-file", STR (lb_server_profile_get_ca_file (profile)));
  g_variant_dict_insert_value (&dict, "tls-verify",
                               g_variant_new_boolean (lb_server_profile_get_tls_verify (profile)));
#undef STR
  return g_variant_dict_end (&dict);
}

/* Missing keys fall back to sensible values, so an older or hand-edited
 * setting still loads; a profile without any URL is dropped. */
LbServerProfile *
lb_server_profile_from_variant (GVariant *value)
{
  g_autoptr (GVariantDict) dict = g_variant_dict_new (value);
  const char *name = NULL, *qido = NULL, *wado = NULL, *stow = NULL;
  const char *auth = NULL, *username = NULL, *ca_file = NULL;
  gboolean verify = TRUE;
  LbServerProfile *profile;

  g_variant_dict_lookup (dict, "name", "&s", &name);
  g_variant_dict_lookup (dict, "qido-url", "&s", &qido);
  g_variant_dict_lookup (dict, "wado-url", "&s", &wado);
  g_variant_dict_lookup (dict, "stow-url", "&s", &stow);
  g_variant_dict_lookup (dict, "auth", "&s", &auth);
  g_variant_dict_lookup (dict, "username", "&s", &username);
  g_variant_dict_lookup (dict, "ca-file", "&s", &ca_file);
  g_variant_dict_lookup (dict, "tls-verify", "b", &verify);

  if (qido == NULL || qido[0] == '\0')
    return NULL;
  profile = lb_server_profile_new (name != NULL && name[0] != '\0' ? name : qido, qido);
  if (wado != NULL && wado[0] != '\0')
    lb_server_profile_set_wado_url (profile, wado);
  if (stow != NULL && stow[0] != '\0')
    lb_server_profile_set_stow_url (profile, stow);
  lb_server_profile_set_auth_kind (profile, auth_from_nick (auth));
  if (username != NULL && username[0] != '\0')
    lb_server_profile_set_username (profile, username);
  if (ca_file != NULL && ca_file[0] != '\0')
    lb_server_profile_set_ca_file (profile, ca_file);
  lb_server_profile_set_tls_verify (profile, verify);
  return profile;
}

/**
 * lb_server_settings_load:
 *
 * Returns: (transfer full): a list of #LbServerProfile
 */
GListStore *
lb_server_settings_load (GSettings *settings)
{
  g_autoptr (GVariant) servers = g_settings_get_value (settings, "servers");
  GListStore *store = g_list_store_new (LB_TYPE_SERVER_PROFILE);
  GVariantIter iter;
  GVariant *child;

  g_variant_iter_init (&iter, servers);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr (LbServerProfile) profile = lb_server_profile_from_variant (child);

      if (profile != NULL)
        g_list_store_append (store, profile);
      g_variant_unref (child);
    }
  return store;
}

void
lb_server_settings_save (GSettings  *settings,
                         GListModel *profiles)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
    {
      g_autoptr (LbServerProfile) profile = g_list_model_get_item (profiles, i);
      g_variant_builder_add_value (&builder, lb_server_profile_to_variant (profile));
    }
  g_settings_set_value (settings, "servers", g_variant_builder_end (&builder));
}

/**
 * lb_server_settings_get_active:
 *
 * Returns: (transfer full) (nullable): the profile named by "active-server",
 *   else the first one, else %NULL when no archive is configured
 */
LbServerProfile *
lb_server_settings_get_active (GSettings *settings)
{
  g_autoptr (GListStore) store = lb_server_settings_load (settings);
  g_autofree char *active = g_settings_get_string (settings, "active-server");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (LbServerProfile) profile = g_list_model_get_item (G_LIST_MODEL (store), i);
      if (g_strcmp0 (lb_server_profile_get_name (profile), active) == 0)
        return g_steal_pointer (&profile);
    }
  return n > 0 ? g_list_model_get_item (G_LIST_MODEL (store), 0) : NULL;
}
