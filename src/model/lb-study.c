/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-study.h"

#include <stdio.h>
#include <string.h>

struct _LbStudy
{
  GObject parent_instance;

  char *study_uid;
  char *patient_name;
  char *patient_id;
  char *patient_birth_date;
  char *study_date;
  char *study_time;
  char *description;
  char *accession_number;
  char *modalities;
  char *body_part;
  char *review_text;
  char *quality_text;
  guint n_series;
  guint n_instances;
  LbReviewStatus review_status;
};

G_DEFINE_FINAL_TYPE (LbStudy, lb_study, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STUDY_UID,
  PROP_PATIENT_NAME,
  PROP_PATIENT_ID,
  PROP_PATIENT_BIRTH_DATE,
  PROP_STUDY_DATE,
  PROP_STUDY_TIME,
  PROP_DESCRIPTION,
  PROP_ACCESSION_NUMBER,
  PROP_MODALITIES,
  PROP_BODY_PART,
  PROP_REVIEW_TEXT,
  PROP_QUALITY_TEXT,
  PROP_N_SERIES,
  PROP_N_INSTANCES,
  PROP_REVIEW_STATUS,
  PROP_DISPLAY_NAME,
  PROP_DISPLAY_DATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
lb_review_status_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { LB_REVIEW_STATUS_NEW, "LB_REVIEW_STATUS_NEW", "new" },
    { LB_REVIEW_STATUS_APPROVED, "LB_REVIEW_STATUS_APPROVED", "approved" },
    { LB_REVIEW_STATUS_REJECTED, "LB_REVIEW_STATUS_REJECTED", "rejected" },
    { LB_REVIEW_STATUS_RETAKE, "LB_REVIEW_STATUS_RETAKE", "retake" },
    { 0, NULL, NULL }
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("LbReviewStatus", values));
  return type_id;
}

/* Each string property lives at a fixed offset in the instance struct, so
 * one setter serves them all. */
static char **
string_slot (LbStudy *self, guint prop_id)
{
  switch (prop_id)
    {
    case PROP_STUDY_UID: return &self->study_uid;
    case PROP_PATIENT_NAME: return &self->patient_name;
    case PROP_PATIENT_ID: return &self->patient_id;
    case PROP_PATIENT_BIRTH_DATE: return &self->patient_birth_date;
    case PROP_STUDY_DATE: return &self->study_date;
    case PROP_STUDY_TIME: return &self->study_time;
    case PROP_DESCRIPTION: return &self->description;
    case PROP_ACCESSION_NUMBER: return &self->accession_number;
    case PROP_MODALITIES: return &self->modalities;
    case PROP_BODY_PART: return &self->body_part;
    case PROP_REVIEW_TEXT: return &self->review_text;
    case PROP_QUALITY_TEXT: return &self->quality_text;
    default: return NULL;
    }
}

static void
set_string (LbStudy *self, guint prop_id, const char *value)
{
  char **slot = string_slot (self, prop_id);

  g_assert (slot != NULL);
  if (g_strcmp0 (*slot, value) != 0)
    {
      g_free (*slot);
      *slot = g_strdup (value);
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
      if (prop_id == PROP_PATIENT_NAME)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
      if (prop_id == PROP_STUDY_DATE || prop_id == PROP_STUDY_TIME)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_DATE]);
    }
}

static void
lb_study_finalize (GObject *object)
{
  LbStudy *self = LB_STUDY (object);

  for (guint i = PROP_STUDY_UID; i <= PROP_QUALITY_TEXT; i++)
    g_clear_pointer (string_slot (self, i), g_free);

  G_OBJECT_CLASS (lb_study_parent_class)->finalize (object);
}

static void
lb_study_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  LbStudy *self = LB_STUDY (object);

  switch (prop_id)
    {
    case PROP_N_SERIES:
      g_value_set_uint (value, self->n_series);
      break;
    case PROP_N_INSTANCES:
      g_value_set_uint (value, self->n_instances);
      break;
    case PROP_REVIEW_STATUS:
      g_value_set_enum (value, self->review_status);
      break;
    case PROP_DISPLAY_NAME:
      g_value_take_string (value, lb_study_dup_display_name (self));
      break;
    case PROP_DISPLAY_DATE:
      g_value_take_string (value, lb_study_dup_display_date (self));
      break;
    default:
      if (string_slot (self, prop_id) != NULL)
        g_value_set_string (value, *string_slot (self, prop_id));
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_study_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  LbStudy *self = LB_STUDY (object);

  switch (prop_id)
    {
    case PROP_N_SERIES:
      lb_study_set_n_series (self, g_value_get_uint (value));
      break;
    case PROP_N_INSTANCES:
      lb_study_set_n_instances (self, g_value_get_uint (value));
      break;
    case PROP_REVIEW_STATUS:
      lb_study_set_review_status (self, g_value_get_enum (value));
      break;
    default:
      if (string_slot (self, prop_id) != NULL)
        set_string (self, prop_id, g_value_get_string (value));
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_study_class_init (LbStudyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lb_study_finalize;
  object_class->get_property = lb_study_get_property;
  object_class->set_property = lb_study_set_property;

  properties[PROP_STUDY_UID] =
    g_param_spec_string ("study-uid", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PATIENT_NAME] = g_param_spec_string ("patient-name", NULL, NULL, NULL, rw);
  properties[PROP_PATIENT_ID] = g_param_spec_string ("patient-id", NULL, NULL, NULL, rw);
  properties[PROP_PATIENT_BIRTH_DATE] = g_param_spec_string ("patient-birth-date", NULL, NULL, NULL, rw);
  properties[PROP_STUDY_DATE] = g_param_spec_string ("study-date", NULL, NULL, NULL, rw);
  properties[PROP_STUDY_TIME] = g_param_spec_string ("study-time", NULL, NULL, NULL, rw);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, rw);
  properties[PROP_ACCESSION_NUMBER] = g_param_spec_string ("accession-number", NULL, NULL, NULL, rw);
  properties[PROP_MODALITIES] = g_param_spec_string ("modalities", NULL, NULL, NULL, rw);
  properties[PROP_BODY_PART] = g_param_spec_string ("body-part", NULL, NULL, NULL, rw);
  properties[PROP_REVIEW_TEXT] = g_param_spec_string ("review-text", NULL, NULL, NULL, rw);
  properties[PROP_QUALITY_TEXT] = g_param_spec_string ("quality-text", NULL, NULL, NULL, rw);
  properties[PROP_N_SERIES] = g_param_spec_uint ("n-series", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_N_INSTANCES] = g_param_spec_uint ("n-instances", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_REVIEW_STATUS] =
    g_param_spec_enum ("review-status", NULL, NULL, LB_TYPE_REVIEW_STATUS,
                       LB_REVIEW_STATUS_NEW, rw);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_DATE] =
    g_param_spec_string ("display-date", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_study_init (LbStudy *self)
{
}

LbStudy *
lb_study_new (const char *study_uid)
{
  g_return_val_if_fail (study_uid != NULL, NULL);

  return g_object_new (LB_TYPE_STUDY, "study-uid", study_uid, NULL);
}

/**
 * lb_study_attributes_clear:
 * @attrs: attributes
 *
 * Frees the strings still held by @attrs and zeroes it.
 */
void
lb_study_attributes_clear (LbStudyAttributes *attrs)
{
  g_return_if_fail (attrs != NULL);

  g_free (attrs->study_uid);
  g_free (attrs->patient_name);
  g_free (attrs->patient_id);
  g_free (attrs->patient_birth_date);
  g_free (attrs->study_date);
  g_free (attrs->study_time);
  g_free (attrs->description);
  g_free (attrs->accession_number);
  g_free (attrs->modalities);
  memset (attrs, 0, sizeof *attrs);
}

/**
 * lb_study_new_take:
 * @attrs: the attributes; `study_uid` must be set
 *
 * Creates a study holding @attrs, taking its strings (they are %NULL in
 * @attrs afterwards). The same study as lb_study_new() followed by each
 * setter, at a fraction of the cost: a 10,000-study worklist builds its
 * rows this way (DESIGN.md, "Performance budgets").
 *
 * Returns: (transfer full): the study
 */
LbStudy *
lb_study_new_take (LbStudyAttributes *attrs)
{
  LbStudy *self;

  g_return_val_if_fail (attrs != NULL, NULL);
  g_return_val_if_fail (attrs->study_uid != NULL, NULL);

  /* No property pairs for g_object_new() to look up and copy, and no
   * notify per field: nobody can be listening to an object that does not
   * exist yet. */
  self = g_object_new (LB_TYPE_STUDY, NULL);
  self->study_uid = g_steal_pointer (&attrs->study_uid);
  self->patient_name = g_steal_pointer (&attrs->patient_name);
  self->patient_id = g_steal_pointer (&attrs->patient_id);
  self->patient_birth_date = g_steal_pointer (&attrs->patient_birth_date);
  self->study_date = g_steal_pointer (&attrs->study_date);
  self->study_time = g_steal_pointer (&attrs->study_time);
  self->description = g_steal_pointer (&attrs->description);
  self->accession_number = g_steal_pointer (&attrs->accession_number);
  self->modalities = g_steal_pointer (&attrs->modalities);
  self->n_series = attrs->n_series;
  self->n_instances = attrs->n_instances;
  return self;
}

#define STRING_ACCESSORS(field, PROP)                                   \
  const char *lb_study_get_##field (LbStudy *self)                      \
  {                                                                     \
    g_return_val_if_fail (LB_IS_STUDY (self), NULL);                    \
    return self->field;                                                 \
  }                                                                     \
  void lb_study_set_##field (LbStudy *self, const char *value)          \
  {                                                                     \
    g_return_if_fail (LB_IS_STUDY (self));                              \
    set_string (self, PROP, value);                                     \
  }

STRING_ACCESSORS (patient_name, PROP_PATIENT_NAME)
STRING_ACCESSORS (patient_id, PROP_PATIENT_ID)
STRING_ACCESSORS (patient_birth_date, PROP_PATIENT_BIRTH_DATE)
STRING_ACCESSORS (study_date, PROP_STUDY_DATE)
STRING_ACCESSORS (study_time, PROP_STUDY_TIME)
STRING_ACCESSORS (description, PROP_DESCRIPTION)
STRING_ACCESSORS (accession_number, PROP_ACCESSION_NUMBER)
STRING_ACCESSORS (modalities, PROP_MODALITIES)
STRING_ACCESSORS (body_part, PROP_BODY_PART)
STRING_ACCESSORS (review_text, PROP_REVIEW_TEXT)
STRING_ACCESSORS (quality_text, PROP_QUALITY_TEXT)

const char *
lb_study_get_study_uid (LbStudy *self)
{
  g_return_val_if_fail (LB_IS_STUDY (self), NULL);
  return self->study_uid;
}

#define UINT_ACCESSORS(field, PROP)                                     \
  guint lb_study_get_##field (LbStudy *self)                            \
  {                                                                     \
    g_return_val_if_fail (LB_IS_STUDY (self), 0);                       \
    return self->field;                                                 \
  }                                                                     \
  void lb_study_set_##field (LbStudy *self, guint value)                \
  {                                                                     \
    g_return_if_fail (LB_IS_STUDY (self));                              \
    if (self->field == value)                                           \
      return;                                                           \
    self->field = value;                                                \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);       \
  }

UINT_ACCESSORS (n_series, PROP_N_SERIES)
UINT_ACCESSORS (n_instances, PROP_N_INSTANCES)

LbReviewStatus
lb_study_get_review_status (LbStudy *self)
{
  g_return_val_if_fail (LB_IS_STUDY (self), LB_REVIEW_STATUS_NEW);
  return self->review_status;
}

void
lb_study_set_review_status (LbStudy        *self,
                            LbReviewStatus  value)
{
  g_return_if_fail (LB_IS_STUDY (self));
  if (self->review_status == value)
    return;
  self->review_status = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVIEW_STATUS]);
}

/**
 * lb_study_dup_display_name:
 *
 * Returns: the patient name in reading order ("Doe, Jane") from the DICOM
 *   PN form ("DOE^JANE"): family name, then the given and middle names.
 */
char *
lb_study_dup_display_name (LbStudy *self)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (GString) out = NULL;
  g_autofree char *alphabetic = NULL;

  g_return_val_if_fail (LB_IS_STUDY (self), NULL);

  if (self->patient_name == NULL || self->patient_name[0] == '\0')
    return g_strdup ("");

  /* Only the alphabetic component group, before any ideographic or
   * phonetic group ('='), PS3.5 6.2.1. */
  alphabetic = g_strndup (self->patient_name, strcspn (self->patient_name, "="));
  parts = g_strsplit (alphabetic, "^", 5);
  if (parts[0] == NULL)
    return g_strdup ("");
  out = g_string_new (g_strstrip (parts[0]));
  for (guint i = 1; parts[i] != NULL && i < 3; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] == '\0')
        continue;
      g_string_append (out, i == 1 ? ", " : " ");
      g_string_append (out, parts[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * lb_study_dup_datetime:
 *
 * Returns: (nullable): the study date and time (local time), or %NULL if the
 *   study date is missing or malformed.
 */
GDateTime *
lb_study_dup_datetime (LbStudy *self)
{
  int y, mo, d, h = 0, mi = 0, s = 0;

  g_return_val_if_fail (LB_IS_STUDY (self), NULL);

  if (self->study_date == NULL || strlen (self->study_date) != 8 ||
      sscanf (self->study_date, "%4d%2d%2d", &y, &mo, &d) != 3)
    return NULL;
  if (self->study_time != NULL)
    sscanf (self->study_time, "%2d%2d%2d", &h, &mi, &s);
  return g_date_time_new_local (y, mo, d, CLAMP (h, 0, 23), CLAMP (mi, 0, 59), CLAMP (s, 0, 59));
}

/**
 * lb_study_dup_display_date:
 *
 * Returns: the study date and time as "2026-11-20 14:03" (ISO order, which
 *   sorts as text and reads the same in every locale), or "" if unknown
 */
char *
lb_study_dup_display_date (LbStudy *self)
{
  int y, mo, d, h = 0, mi = 0;

  g_return_val_if_fail (LB_IS_STUDY (self), NULL);

  /* Formatted from the digits: the worklist's sorter asks for this on
   * every comparison, and a local GDateTime costs a look at the time zone
   * files each time (most of a 200-study start-up). */
  if (self->study_date == NULL || strlen (self->study_date) != 8 ||
      sscanf (self->study_date, "%4d%2d%2d", &y, &mo, &d) != 3 ||
      y < 1 || y > 9999 || !g_date_valid_dmy (d, mo, y))
    return g_strdup ("");
  if (self->study_time == NULL || self->study_time[0] == '\0')
    return g_strdup_printf ("%04d-%02d-%02d", y, mo, d);
  sscanf (self->study_time, "%2d%2d", &h, &mi);
  return g_strdup_printf ("%04d-%02d-%02d %02d:%02d", y, mo, d, CLAMP (h, 0, 23), CLAMP (mi, 0, 59));
}
