/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-viewer-test-objects.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "lb-dicom.h"
#include "lb-test-utils.h"

void
lb_viewer_test_make_objects (const char *dir,
                             gboolean    big)
{
  g_autofree char *script = lb_test_source_path ("viewer", "make-render-objects.py", NULL);
  const char *argv[] = { "/usr/bin/python3", script, dir, big ? "--big" : NULL, NULL };

  lb_test_run (argv, NULL, NULL, TRUE);
}

/* Skin-like light, a darker oval "lesion", fine texture and sensor-like
 * noise: a JPEG of realistic size and detail, not a flat gradient. */
char *
lb_viewer_test_make_photo (const char *dir,
                           const char *name,
                           guint       w,
                           guint       h)
{
  g_autofree char *ppm_name = g_strconcat (name, ".ppm", NULL);
  g_autofree char *jpg_name = g_strconcat (name, ".jpg", NULL);
  g_autofree char *dcm_name = g_strconcat (name, ".dcm", NULL);
  g_autofree char *ppm = g_build_filename (dir, ppm_name, NULL);
  g_autofree char *jpg = g_build_filename (dir, jpg_name, NULL);
  char *dcm = g_build_filename (dir, dcm_name, NULL);
  g_autofree char *header = g_strdup_printf ("P6\n%u %u\n255\n", w, h);
  gsize hlen = strlen (header), size = hlen + (gsize) w * h * 3;
  g_autofree guint8 *buf = g_malloc (size);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) photo = NULL;
  g_autoptr (GBytes) wrapped = NULL;
  LbWrapOptions options;
  guint32 seed = 12345;
  char *contents;
  gsize length;

  memcpy (buf, header, hlen);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        guint8 *p = buf + hlen + ((gsize) y * w + x) * 3;
        double u = (double) x / w - 0.5, v = (double) y / h - 0.5;
        double light = 0.6 + 0.3 * cos (3 * u) * cos (2 * v);
        double lesion = exp (-(u * u / 0.02 + v * v / 0.01));
        double tex = 12 * sin (x / 5.0 + y / 7.0) * sin (y / 4.0);
        double noise;

        seed = seed * 1664525u + 1013904223u;
        noise = (double) (seed >> 28) - 7.5;
        p[0] = (guint8) CLAMP (225 * light - 60 * lesion + tex + noise, 0, 255);
        p[1] = (guint8) CLAMP (170 * light - 110 * lesion + 0.8 * tex + noise, 0, 255);
        p[2] = (guint8) CLAMP (150 * light - 100 * lesion + 0.6 * tex + noise, 0, 255);
      }
  g_assert_true (g_file_set_contents (ppm, (const char *) buf, size, NULL));
  {
    const char *argv[] = { "cjpeg", "-quality", "92", "-outfile", jpg, ppm, NULL };

    lb_test_run (argv, NULL, NULL, TRUE);
  }
  g_assert_true (g_file_get_contents (jpg, &contents, &length, NULL));
  photo = g_bytes_new_take (contents, length);
  lb_wrap_options_init (&options);
  options.patient_name = "TEST^PHOTO";
  options.patient_id = "LBX-R-2";
  options.body_part = "HAND";
  options.laterality = "L";
  wrapped = lb_dicom_wrap_photo (photo, &options, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (dcm, g_bytes_get_data (wrapped, NULL),
                                      g_bytes_get_size (wrapped), NULL));
  g_unlink (ppm);
  return dcm;
}

static gboolean
next_number (const guint8 **p,
             const guint8  *end,
             guint         *value)
{
  /* Whitespace and '#' comments may separate header fields (netpbm). */
  for (;;)
    {
      while (*p < end && g_ascii_isspace (**p))
        (*p)++;
      if (*p < end && **p == '#')
        {
          while (*p < end && **p != '\n')
            (*p)++;
          continue;
        }
      break;
    }
  if (*p >= end || !g_ascii_isdigit (**p))
    return FALSE;
  *value = 0;
  while (*p < end && g_ascii_isdigit (**p))
    *value = *value * 10 + (*(*p)++ - '0');
  return TRUE;
}

guint8 *
lb_viewer_test_read_pnm (const char *path,
                         guint      *width,
                         guint      *height,
                         guint      *channels)
{
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  const guint8 *p, *end;
  gsize length;
  guint maxval;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  p = (const guint8 *) contents;
  end = p + length;
  g_assert_cmpuint (length, >, 2);
  g_assert_true (p[0] == 'P' && (p[1] == '5' || p[1] == '6'));
  *channels = p[1] == '6' ? 3 : 1;
  p += 2;
  g_assert_true (next_number (&p, end, width));
  g_assert_true (next_number (&p, end, height));
  g_assert_true (next_number (&p, end, &maxval));
  g_assert_cmpuint (maxval, ==, 255);
  p++;                                  /* the single whitespace after maxval */
  g_assert_cmpuint (end - p, ==, (gsize) *width * *height * *channels);
  return g_memdup2 (p, end - p);
}
