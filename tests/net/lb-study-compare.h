/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lb-study.h"

/* Whether two studies agree on every property, the derived ones the
 * worklist binds to included. Shared by test-dicom-json and the fuzz
 * target, which hold the fast study reader to the json-glib reference. */
static inline gboolean
lb_study_compare_equal (LbStudy  *a,
                        LbStudy  *b,
                        char    **why)
{
  g_autofree GParamSpec **specs = NULL;
  guint n_specs = 0;

  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (a), &n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      g_auto (GValue) va = G_VALUE_INIT;
      g_auto (GValue) vb = G_VALUE_INIT;
      gboolean same;

      g_value_init (&va, specs[i]->value_type);
      g_value_init (&vb, specs[i]->value_type);
      g_object_get_property (G_OBJECT (a), specs[i]->name, &va);
      g_object_get_property (G_OBJECT (b), specs[i]->name, &vb);
      if (G_VALUE_HOLDS_STRING (&va))
        same = g_strcmp0 (g_value_get_string (&va), g_value_get_string (&vb)) == 0;
      else
        same = g_param_values_cmp (specs[i], &va, &vb) == 0;
      if (!same)
        {
          if (why != NULL)
            {
              g_autofree char *sa = g_strdup_value_contents (&va);
              g_autofree char *sb = g_strdup_value_contents (&vb);
              *why = g_strdup_printf ("%s: %s vs %s", specs[i]->name, sa, sb);
            }
          return FALSE;
        }
    }
  return TRUE;
}

static inline gboolean
lb_study_compare_lists (GPtrArray  *a,
                        GPtrArray  *b,
                        char      **why)
{
  if (a->len != b->len)
    {
      if (why != NULL)
        *why = g_strdup_printf ("%u studies vs %u", a->len, b->len);
      return FALSE;
    }
  for (guint i = 0; i < a->len; i++)
    if (!lb_study_compare_equal (a->pdata[i], b->pdata[i], why))
      return FALSE;
  return TRUE;
}
