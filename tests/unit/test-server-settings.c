/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-server-settings.h"

static void
test_round_trip (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autoptr (GListStore) defaults = lb_server_settings_load (settings);
  g_autoptr (GListStore) store = g_list_store_new (LB_TYPE_SERVER_PROFILE);
  g_autoptr (LbServerProfile) a = lb_server_profile_new ("PACS", "https://pacs.example/dicom-web");
  g_autoptr (LbServerProfile) b = lb_server_profile_new ("Cloud", "https://cloud.example/qido");
  g_autoptr (GListStore) loaded = NULL;
  g_autoptr (LbServerProfile) first = NULL;
  g_autoptr (LbServerProfile) second = NULL;
  g_autoptr (LbServerProfile) active = NULL;

  /* The shipped default is the local demo archive. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (defaults)), ==, 1);

  lb_server_profile_set_auth_kind (a, LB_AUTH_BASIC);
  lb_server_profile_set_username (a, "nurse");
  lb_server_profile_set_ca_file (a, "/etc/pki/hospital-ca.pem");
  lb_server_profile_set_stow_url (b, "https://cloud.example/stow");
  lb_server_profile_set_auth_kind (b, LB_AUTH_BEARER);
  lb_server_profile_set_tls_verify (b, FALSE);
  g_list_store_append (store, a);
  g_list_store_append (store, b);
  lb_server_settings_save (settings, G_LIST_MODEL (store));

  loaded = lb_server_settings_load (settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (loaded), 0);
  second = g_list_model_get_item (G_LIST_MODEL (loaded), 1);
  g_assert_cmpstr (lb_server_profile_get_name (first), ==, "PACS");
  g_assert_cmpint (lb_server_profile_get_auth_kind (first), ==, LB_AUTH_BASIC);
  g_assert_cmpstr (lb_server_profile_get_username (first), ==, "nurse");
  g_assert_cmpstr (lb_server_profile_get_ca_file (first), ==, "/etc/pki/hospital-ca.pem");
  g_assert_true (lb_server_profile_get_tls_verify (first));
  g_assert_cmpstr (lb_server_profile_get_qido_url (second), ==, "https://cloud.example/qido");
  g_assert_cmpstr (lb_server_profile_get_stow_url (second), ==, "https://cloud.example/stow");
  g_assert_cmpint (lb_server_profile_get_auth_kind (second), ==, LB_AUTH_BEARER);
  g_assert_false (lb_server_profile_get_tls_verify (second));

  /* The active archive is found by name; an unknown name falls back to the first. */
  g_settings_set_string (settings, "active-server", "Cloud");
  active = lb_server_settings_get_active (settings);
  g_assert_cmpstr (lb_server_profile_get_name (active), ==, "Cloud");
  g_clear_object (&active);
  g_settings_set_string (settings, "active-server", "Gone");
  active = lb_server_settings_get_active (settings);
  g_assert_cmpstr (lb_server_profile_get_name (active), ==, "PACS");
}

static void
test_incomplete_entries (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autoptr (GListStore) loaded = NULL;
  g_autoptr (LbServerProfile) only = NULL;

  /* A hand-edited setting: one entry without any URL (dropped), one with
   * only a QIDO URL (the others default to it). */
  g_settings_set_value (settings, "servers",
                        g_variant_new_parsed ("[{'name': <'Broken'>}, {'qido-url': <'http://x/dw'>}]"));
  loaded = lb_server_settings_load (settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 1);
  only = g_list_model_get_item (G_LIST_MODEL (loaded), 0);
  g_assert_cmpstr (lb_server_profile_get_name (only), ==, "http://x/dw");
  g_assert_cmpstr (lb_server_profile_get_wado_url (only), ==, "http://x/dw");
  g_assert_true (lb_server_profile_get_tls_verify (only));
  g_settings_reset (settings, "servers");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/server-settings/round-trip", test_round_trip);
  g_test_add_func ("/ui/server-settings/incomplete", test_incomplete_entries);
  return g_test_run ();
}
