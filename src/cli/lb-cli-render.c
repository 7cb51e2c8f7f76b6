/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>

#include "lb-banner.h"
#include "lb-cli.h"
#include "lb-pipeline.h"

/*
 * `lightbox-cli render FILE --out OUT.{png,pgm,ppm}`: one frame through the
 * viewer's own pipeline (the same table and sampler as the viewport). PNG
 * output of a patient-generated image carries the banner as a strip above
 * the image, so it never hides pixels and can never be cropped away
 * without visibly cutting the picture.
 */

static gboolean
parse_pair (const char *s,
            char        sep,
            double     *a,
            double     *b)
{
  g_auto (GStrv) parts = NULL;
  char *end;

  if (s == NULL)
    return FALSE;
  parts = g_strsplit (s, (char[]) { sep, 0 }, 3);
  if (g_strv_length (parts) != 2)
    return FALSE;
  *a = g_ascii_strtod (parts[0], &end);
  if (*end != '\0' || end == parts[0])
    return FALSE;
  *b = g_ascii_strtod (parts[1], &end);
  return *end == '\0' && end != parts[1];
}

static gboolean
write_pnm (const char      *path,
           cairo_surface_t *surface,
           gboolean         color,
           GError         **error)
{
  int w = cairo_image_surface_get_width (surface), h = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data = cairo_image_surface_get_data (surface);
  g_autoptr (GString) out = g_string_new (NULL);

  g_string_append_printf (out, "P%c\n%d %d\n255\n", color ? '6' : '5', w, h);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 p = *(const guint32 *) (data + (gsize) y * stride + 4 * x);
        guint8 r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

        if (color)
          {
            g_string_append_c (out, r);
            g_string_append_c (out, g);
            g_string_append_c (out, b);
          }
        else
          /* Gray pipelines give R = G = B; a color frame written as PGM gets
           * its Rec. 601 luma. */
          g_string_append_c (out, (guint8) ((299 * r + 587 * g + 114 * b + 500) / 1000));
      }
  return g_file_set_contents (path, out->str, out->len, error);
}

int
lb_cli_render (int argc, char **argv)
{
  g_autofree char *out_path = NULL;
  g_autofree char *window = NULL;
  g_autofree char *size = NULL;
  int frame = 0;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, "Output file (.png, .pgm or .ppm)", "OUT" },
    { "frame", 0, 0, G_OPTION_ARG_INT, &frame, "Frame to render, 0-based (default 0)", "N" },
    { "window", 0, 0, G_OPTION_ARG_STRING, &window, "VOI window (default: the object's first, else the value range)", "CENTER,WIDTH" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, "Fit the image into W×H pixels", "WxH" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("FILE - render a frame through the viewer's pipeline");
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomObject) object = NULL;
  g_autoptr (LbPyramid) pyramid = NULL;
  g_autoptr (LbLut) lut = NULL;
  LbDicomLimits limits;
  const LbDicomMeta *meta;
  LbPixelBuffer *buffer;
  LbPipelineParams params;
  LbViewTransform view;
  cairo_surface_t *image;
  cairo_status_t status;
  double c, w, sw = 0, sh = 0;
  gboolean png, banner;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("lightbox-cli render: %s\n", error->message);
      return 2;
    }
  if (argc != 2 || out_path == NULL)
    {
      g_printerr ("lightbox-cli render: usage: render FILE --out OUT.{png,pgm,ppm}\n");
      return 2;
    }
  png = g_str_has_suffix (out_path, ".png");
  if (!png && !g_str_has_suffix (out_path, ".pgm") && !g_str_has_suffix (out_path, ".ppm"))
    {
      g_printerr ("lightbox-cli render: the output must end in .png, .pgm or .ppm\n");
      return 2;
    }
  if (window != NULL && (!parse_pair (window, ',', &c, &w) || w <= 0))
    {
      g_printerr ("lightbox-cli render: --window wants CENTER,WIDTH with WIDTH > 0\n");
      return 2;
    }
  if (size != NULL && (!parse_pair (size, 'x', &sw, &sh) || sw < 1 || sh < 1 || sw > 32768 || sh > 32768))
    {
      g_printerr ("lightbox-cli render: --size wants WxH, each 1..32768\n");
      return 2;
    }

  /* The parser reports an unreadable file as "not DICOM"; say what the
   * system says instead. */
  if (g_access (argv[1], R_OK) != 0)
    {
      int saved = errno;

      g_printerr ("lightbox-cli render: cannot read %s: %s\n", argv[1], g_strerror (saved));
      return 1;
    }
  lb_dicom_limits_init_default (&limits);
  object = lb_dicom_object_new_from_file (argv[1], &limits, &error);
  if (object == NULL)
    {
      g_printerr ("lightbox-cli render: %s: %s\n", argv[1], error->message);
      return 1;
    }
  meta = lb_dicom_object_get_meta (object);
  if (frame < 0 || (guint) frame >= MAX (meta->number_of_frames, 1))
    {
      g_printerr ("lightbox-cli render: frame %d out of range (the object has %u)\n",
                  frame, MAX (meta->number_of_frames, 1));
      return 2;
    }
  buffer = lb_dicom_object_decode_frame (object, frame, &error);
  if (buffer == NULL)
    {
      g_printerr ("lightbox-cli render: %s: %s\n", argv[1], error->message);
      return 1;
    }
  pyramid = lb_pyramid_new (buffer, (GDestroyNotify) lb_pixel_buffer_free);

  lb_pipeline_params_init_from_meta (&params, meta, buffer);
  if (window != NULL)
    {
      params.window_center = c;
      params.window_width = w;
      params.use_voi_lut = FALSE;
    }
  lut = lb_lut_new (&params, buffer);

  /* Without --size, one output pixel per image pixel; with it, the image
   * fitted and centred as the viewport's "fit" shows it. */
  lb_view_transform_init (&view, buffer->width, buffer->height,
                          size ? (int) sw : (int) buffer->width,
                          size ? (int) sh : (int) buffer->height);
  if (size == NULL)
    view.zoom = 1.0;
  image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, view.viewport_width, view.viewport_height);
  cairo_surface_flush (image);
  lb_pipeline_render (pyramid, lut, &view, 0, 0, view.viewport_width, view.viewport_height,
                      cairo_image_surface_get_data (image), cairo_image_surface_get_stride (image));
  cairo_surface_mark_dirty (image);

  banner = meta->patient_generated || lb_banner_is_patient_generated (meta->modality, NULL);
  if (png && banner)
    {
      /* The text scales with the image so it stays legible on a photo. */
      double font = MAX (12.0, view.viewport_width / 60.0);
      cairo_surface_t *scratch = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1, 1);
      cairo_t *cr = cairo_create (scratch);
      double bh = ceil (lb_banner_draw (cr, view.viewport_width, font, TRUE));
      cairo_surface_t *framed;

      cairo_destroy (cr);
      cairo_surface_destroy (scratch);
      framed = cairo_image_surface_create (CAIRO_FORMAT_RGB24, view.viewport_width,
                                           view.viewport_height + (int) bh);
      cr = cairo_create (framed);
      lb_banner_draw (cr, view.viewport_width, font, FALSE);
      cairo_set_source_surface (cr, image, 0, bh);
      cairo_paint (cr);
      cairo_destroy (cr);
      cairo_surface_destroy (image);
      image = framed;
    }

  if (png)
    status = cairo_surface_write_to_png (image, out_path);
  else
    status = write_pnm (out_path, image, g_str_has_suffix (out_path, ".ppm"), &error)
           ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
  cairo_surface_destroy (image);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_printerr ("lightbox-cli render: cannot write %s: %s\n", out_path,
                  error ? error->message : cairo_status_to_string (status));
      return 1;
    }
  return 0;
}
