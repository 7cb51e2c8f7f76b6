/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-server-profile.h"

#include <string.h>

/* A DICOMweb archive the user works with. Secrets (passwords, tokens) are
 * deliberately not part of the profile: they live in the Secret Service and
 * are looked up by the network layer when a request needs them. */
struct _LbServerProfile
{
  GObject parent_instance;

  char *name;
  char *qido_url;
  char *wado_url;
  char *stow_url;
  char *username;
  char *ca_file;
  LbAuthKind auth_kind;
  gboolean tls_verify;
};

G_DEFINE_FINAL_TYPE (LbServerProfile, lb_server_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_QIDO_URL,
  PROP_WADO_URL,
  PROP_STOW_URL,
  PROP_USERNAME,
  PROP_CA_FILE,
  PROP_AUTH_KIND,
  PROP_TLS_VERIFY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
lb_auth_kind_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { LB_AUTH_NONE, "LB_AUTH_NONE", "none" },
    { LB_AUTH_BASIC, "LB_AUTH_BASIC", "basic" },
    { LB_AUTH_BEARER, "LB_AUTH_BEARER", "bearer" },
    { 0, NULL, NULL }
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("LbAuthKind", values));
  return type_id;
}

static char **
string_slot (LbServerProfile *self, guint prop_id)
{
  switch (prop_id)
    {
    case PROP_NAME: return &self->name;
    case PROP_QIDO_URL: return &self->qido_url;
    case PROP_WADO_URL: return &self->wado_url;
    case PROP_STOW_URL: return &self->stow_url;
    case PROP_USERNAME: return &self->username;
    case PROP_CA_FILE: return &self->ca_file;
    default: return NULL;
    }
}

/* Base URLs are kept without a trailing slash so that paths can be
 * appended as "/studies". */
static void
set_string (LbServerProfile *self, guint prop_id, const char *value)
{
  char **slot = string_slot (self, prop_id);
  g_autofree char *normalized = g_strdup (value);

  g_assert (slot != NULL);
  if (normalized != NULL && prop_id >= PROP_QIDO_URL && prop_id <= PROP_STOW_URL)
    {
      gsize len = strlen (normalized);
      while (len > 0 && normalized[len - 1] == '/')
        normalized[--len] = '\0';
    }
  if (g_strcmp0 (*slot, normalized) == 0)
    return;
  g_free (*slot);
  *slot = g_steal_pointer (&normalized);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
lb_server_profile_finalize (GObject *object)
{
  LbServerProfile *self = LB_SERVER_PROFILE (object);

  for (guint i = PROP_NAME; i <= PROP_CA_FILE; i++)
    g_clear_pointer (string_slot (self, i), g_free);

  G_OBJECT_CLASS (lb_server_profile_parent_class)->finalize (object);
}

static void
lb_server_profile_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LbServerProfile *self = LB_SERVER_PROFILE (object);

  switch (prop_id)
    {
    case PROP_AUTH_KIND:
      g_value_set_enum (value, self->auth_kind);
      break;
    case PROP_TLS_VERIFY:
      g_value_set_boolean (value, self->tls_verify);
      break;
    default:
      if (string_slot (self, prop_id) != NULL)
        g_value_set_string (value, *string_slot (self, prop_id));
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_server_profile_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LbServerProfile *self = LB_SERVER_PROFILE (object);

  switch (prop_id)
    {
    case PROP_AUTH_KIND:
      lb_server_profile_set_auth_kind (self, g_value_get_enum (value));
      break;
    case PROP_TLS_VERIFY:
      lb_server_profile_set_tls_verify (self, g_value_get_boolean (value));
      break;
    default:
      if (string_slot (self, prop_id) != NULL)
        set_string (self, prop_id, g_value_get_string (value));
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_server_profile_class_init (LbServerProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lb_server_profile_finalize;
  object_class->get_property = lb_server_profile_get_property;
  object_class->set_property = lb_server_profile_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_QIDO_URL] = g_param_spec_string ("qido-url", NULL, NULL, NULL, rw);
  properties[PROP_WADO_URL] = g_param_spec_string ("wado-url", NULL, NULL, NULL, rw);
  properties[PROP_STOW_URL] = g_param_spec_string ("stow-url", NULL, NULL, NULL, rw);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, rw);
  properties[PROP_CA_FILE] = g_param_spec_string ("ca-file", NULL, NULL, NULL, rw);
  properties[PROP_AUTH_KIND] =
    g_param_spec_enum ("auth-kind", NULL, NULL, LB_TYPE_AUTH_KIND, LB_AUTH_NONE, rw);
  /* Verification is on unless the user turns it off for this profile. */
  properties[PROP_TLS_VERIFY] =
    g_param_spec_boolean ("tls-verify", NULL, NULL, TRUE, rw | G_PARAM_CONSTRUCT);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_server_profile_init (LbServerProfile *self)
{
  self->tls_verify = TRUE;
}

/**
 * lb_server_profile_new:
 * @name: what the user calls the archive
 * @base_url: the DICOMweb root, used for QIDO-RS, WADO-RS and STOW-RS
 *   until set apart
 */
LbServerProfile *
lb_server_profile_new (const char *name,
                       const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (LB_TYPE_SERVER_PROFILE,
                       "name", name != NULL ? name : base_url,
                       "qido-url", base_url,
                       "wado-url", base_url,
                       "stow-url", base_url,
                       NULL);
}

#define STRING_ACCESSORS(field, PROP)                                           \
  const char *lb_server_profile_get_##field (LbServerProfile *self)             \
  {                                                                             \
    g_return_val_if_fail (LB_IS_SERVER_PROFILE (self), NULL);                   \
    return self->field;                                                         \
  }                                                                             \
  void lb_server_profile_set_##field (LbServerProfile *self, const char *value) \
  {                                                                             \
    g_return_if_fail (LB_IS_SERVER_PROFILE (self));                             \
    set_string (self, PROP, value);                                             \
  }

STRING_ACCESSORS (name, PROP_NAME)
STRING_ACCESSORS (qido_url, PROP_QIDO_URL)
STRING_ACCESSORS (wado_url, PROP_WADO_URL)
STRING_ACCESSORS (stow_url, PROP_STOW_URL)
STRING_ACCESSORS (username, PROP_USERNAME)
STRING_ACCESSORS (ca_file, PROP_CA_FILE)

LbAuthKind
lb_server_profile_get_auth_kind (LbServerProfile *self)
{
  g_return_val_if_fail (LB_IS_SERVER_PROFILE (self), LB_AUTH_NONE);
  return self->auth_kind;
}

void
lb_server_profile_set_auth_kind (LbServerProfile *self,
                                 LbAuthKind       kind)
{
  g_return_if_fail (LB_IS_SERVER_PROFILE (self));
  if (self->auth_kind == kind)
    return;
  self->auth_kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_KIND]);
}

gboolean
lb_server_profile_get_tls_verify (LbServerProfile *self)
{
  g_return_val_if_fail (LB_IS_SERVER_PROFILE (self), TRUE);
  return self->tls_verify;
}

void
lb_server_profile_set_tls_verify (LbServerProfile *self,
                                  gboolean         verify)
{
  g_return_if_fail (LB_IS_SERVER_PROFILE (self));
  verify = !!verify;
  if (self->tls_verify == verify)
    return;
  self->tls_verify = verify;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_VERIFY]);
}
