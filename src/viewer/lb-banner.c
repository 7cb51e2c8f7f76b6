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

/* Greedy word wrap of @text into lines no wider than @max_width. */
static GPtrArray *
wrap_lines (cairo_t    *cr,
            const char *text,
            double      max_width)
{
  g_auto (GStrv) words = g_strsplit (text, " ", -1);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  GString *line = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *candidate = line->len > 0
        ? g_strconcat (line->str, " ", words[i], NULL) : g_strdup (words[i]);
      cairo_text_extents_t ext;

      cairo_text_extents (cr, candidate, &ext);
      if (line->len > 0 && ext.x_advance > max_width)
        {
          g_ptr_array_add (lines, g_string_free (g_steal_pointer (&line), FALSE));
          line = g_string_new (words[i]);
        }
      else
        g_string_assign (line, candidate);
    }
  if (line->len > 0)
    g_ptr_array_add (lines, g_string_free (g_steal_pointer (&line), FALSE));
  else
    g_string_free (line, TRUE);
  return lines;
}

/**
 * lb_banner_draw:
 * @cr: where to draw, with the origin at the banner's top-left corner
 * @width: the banner's width in @cr's units
 * @font_size: text size in @cr's units
 * @measure_only: only compute the height
 *
 * Draws the patient-image banner as an opaque strip across @width, its text
 * wrapped to fit. The same drawing serves the viewport and every render or
 * export, so what the patient's clinician sees on screen is what leaves the
 * application. Plain cairo (no Pango) keeps the core free of GTK's stack.
 *
 * Returns: the banner's height in @cr's units
 */
double
lb_banner_draw (cairo_t  *cr,
                double    width,
                double    font_size,
                gboolean  measure_only)
{
  g_autofree char *text = g_strdup_printf ("⚠ %s", lb_banner_text ());
  g_autoptr (GPtrArray) lines = NULL;
  cairo_font_extents_t fe;
  double pad = font_size * 0.5, height;

  g_return_val_if_fail (cr != NULL, 0);

  cairo_save (cr);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, font_size);
  cairo_font_extents (cr, &fe);
  lines = wrap_lines (cr, text, MAX (width - 2 * pad, font_size));
  height = 2 * pad + lines->len * fe.height;
  if (!measure_only)
    {
      /* GNOME's yellow 3 behind near-black text: a warning colour with a
       * contrast well above WCAG AA, unmistakable over any photo. */
      cairo_set_source_rgb (cr, 0xf6 / 255.0, 0xd3 / 255.0, 0x2d / 255.0);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      for (guint i = 0; i < lines->len; i++)
        {
          cairo_move_to (cr, pad, pad + i * fe.height + fe.ascent);
          cairo_show_text (cr, g_ptr_array_index (lines, i));
        }
    }
  cairo_restore (cr);
  return height;
}
