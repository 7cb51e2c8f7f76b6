/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-banner.h"

#include <glib/gi18n.h>

/**
 * lb_banner_text:
 *
 * Returns: the disclaimer shown over every patient-generated image, on
 *   screen and in every export. It cannot be turned off.
 */
const char *
lb_banner_text (void)
{
  return _("Image provided by the patient — not acquired under controlled conditions. "
           "Clinical correlation is recommended.");
}

/**
 * lb_banner_is_patient_generated:
 * @modalities: (nullable): a study's Modalities in Study, or an image's
 *   Modality, backslash-separated as in DICOM
 * @configured: (nullable): the modalities treated as patient-generated;
 *   %NULL means the default, `XC`
 *
 * DICOM has no standard "patient-generated" flag (DESIGN.md); Lightbox
 * decides by modality, or by its own acquisition context marker, which the
 * DICOM core checks separately.
 */
gboolean
lb_banner_is_patient_generated (const char         *modalities,
                                const char * const *configured)
{
  static const char * const defaults[] = { "XC", NULL };
  g_auto (GStrv) mods = NULL;

  if (modalities == NULL)
    return FALSE;
  if (configured == NULL)
    configured = defaults;
  mods = g_strsplit (modalities, "\\", -1);
  for (guint i = 0; mods[i] != NULL; i++)
    if (g_strv_contains (configured, g_strstrip (mods[i])))
      return TRUE;
  return FALSE;
}
