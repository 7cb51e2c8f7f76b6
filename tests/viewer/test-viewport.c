/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-viewport.h"

#include <math.h>
#include <string.h>

#include "lb-banner.h"
#include "lb-test-utils.h"
#include "lb-viewer-test-objects.h"

/*
 * LbViewport in a real GtkWindow under Xvfb, driven through its actions and
 * properties, its pixels read back from the renderer. The synthetic image
 * has four flat quadrants, so after any orientation or window change the
 * expected gray of each screen quadrant follows from PS3.3's linear window
 * alone; the whole frame is also compared with the pipeline's own render
 * of the view the properties describe. Real objects (a 12 MP JPEG photo
 * wrapped as XC, a 16-bit CT) go through lb_viewport_set_image(): preview
 * first, then full resolution. One view is compared with a checked-in
 * screenshot.
 */

#define VW 200
#define VH 150
#define IW 400
#define IH 300

/* ---- a synthetic frame source ------------------------------------------- */

#define TEST_TYPE_SOURCE (test_source_get_type ())
G_DECLARE_FINAL_TYPE (TestSource, test_source, TEST, SOURCE, GObject)

struct _TestSource
{
  GObject         parent_instance;
  LbDicomMeta     meta;
  LbWindowPreset  window;
  gboolean        color;
  gboolean        pattern;
};

static void test_source_iface_init (LbFrameSourceInterface *iface);
G_DEFINE_FINAL_TYPE_WITH_CODE (TestSource, test_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LB_TYPE_FRAME_SOURCE, test_source_iface_init))

static const guint16 quadrant_values[4] = { 100, 1000, 2000, 3000 };   /* TL, TR, BL, BR */

static const LbDicomMeta *
source_get_meta (LbFrameSource *source)
{
  return &TEST_SOURCE (source)->meta;
}

static LbPixelBuffer *
source_decode (LbFrameSource   *source,
               guint            frame,
               guint            scale_denom,
               GDestroyNotify  *free_func,
               GError         **error)
{
  TestSource *self = TEST_SOURCE (source);
  guint w = IW / scale_denom, h = IH / scale_denom;
  LbPixelBuffer *b = lb_pyramid_buffer_new (w, h, self->color ? LB_PIXEL_RGB8 : LB_PIXEL_GRAY16U);

  *free_func = (GDestroyNotify) lb_pyramid_buffer_free;
  b->scale_denom = scale_denom;
  b->bits_stored = 12;
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        guint q = (y >= h / 2) * 2 + (x >= w / 2);

        if (self->pattern)
          {
            /* Asymmetric on both axes, so any wrong turn or flip shows: a
             * diagonal ramp, a ring, and a bright L in the top-left. */
            double r = hypot (x - 0.6 * w, y - 0.55 * h);
            guint v = 300 + 8 * x + 3 * y;

            if (fabs (r - 0.25 * h) < 6)
              v = 3900;
            if ((x >= 20 && x < 32 && y >= 20 && y < 110) || (x >= 20 && x < 80 && y >= 98 && y < 110))
              v = 4095;
            ((guint16 *) (b->data + y * b->stride))[x] = MIN (v, 4095) + 10 * frame;
          }
        else if (self->color)
          {
            guint8 *p = b->data + y * b->stride + 3 * x;
            p[0] = 40 * q;
            p[1] = 200;
            p[2] = 10 + frame;
          }
        else
          /* Each frame of a clip shifts every value by 10·frame. */
          ((guint16 *) (b->data + y * b->stride))[x] = quadrant_values[q] + 10 * frame;
      }
  return b;
}

static void
test_source_iface_init (LbFrameSourceInterface *iface)
{
  iface->get_meta = source_get_meta;
  iface->decode = source_decode;
}

static void
test_source_class_init (TestSourceClass *klass)
{
}

static void
test_source_init (TestSource *self)
{
}

static TestSource *
test_source_new (const char *modality,
                 gboolean    color,
                 guint       n_frames)
{
  TestSource *self = g_object_new (TEST_TYPE_SOURCE, NULL);
  LbDicomMeta *m = &self->meta;

  self->color = color;
  m->patient_name = (char *) "DOE^JANE";
  m->patient_id = (char *) "100234";
  m->study_date = (char *) "20240102";
  m->study_description = (char *) "Wound";
  m->series_description = (char *) "";
  m->modality = (char *) modality;
  m->rescale_type = (char *) "";
  m->columns = IW;
  m->rows = IH;
  m->samples_per_pixel = color ? 3 : 1;
  m->bits_stored = 12;
  m->number_of_frames = n_frames;
  m->frame_time_ms = 40;
  m->rescale_slope = 1;
  self->window = (LbWindowPreset) { 2048, 4096, NULL };
  m->windows = &self->window;
  m->n_windows = color ? 0 : 1;
  m->pixel_spacing[0] = m->pixel_spacing[1] = 0.5;
  return self;
}

/* ---- helpers ------------------------------------------------------------------ */

typedef struct {
  GtkWidget  *window;
  LbViewport *viewport;
  int         w;              /* widget size, VW × VH unless set */
  int         h;
  guint32    *pixels;
} Fixture;

static gboolean
timeout_cb (gpointer data)
{
  g_error ("Timed out waiting for the viewport");
  return G_SOURCE_REMOVE;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

/* Until the frame is decoded and the window has painted it twice. */
static void
wait_until_ready (Fixture *f)
{
  guint id = g_timeout_add_seconds (20, timeout_cb, NULL);
  guint ticks = 0, tick_id;

  while (!lb_viewport_get_full_resolution (f->viewport) ||
         gtk_widget_get_width (GTK_WIDGET (f->viewport)) != f->w ||
         gtk_widget_get_height (GTK_WIDGET (f->viewport)) != f->h ||
         !gtk_widget_get_mapped (GTK_WIDGET (f->viewport)))
    g_main_context_iteration (NULL, TRUE);
  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (f->viewport), tick_cb, &ticks, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (f->viewport));
  while (ticks < 2)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (GTK_WIDGET (f->viewport), tick_id);
  g_source_remove (id);
}

static void
fixture_setup (Fixture       *f,
               LbFrameSource *source)
{
  if (f->w == 0)
    {
      f->w = VW;
      f->h = VH;
    }
  f->pixels = g_new0 (guint32, f->w * f->h);
  f->window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (f->window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (f->window), f->w, f->h);
  gtk_window_set_resizable (GTK_WINDOW (f->window), FALSE);
  f->viewport = LB_VIEWPORT (lb_viewport_new ());
  gtk_widget_set_size_request (GTK_WIDGET (f->viewport), f->w, f->h);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->viewport));
  lb_viewport_set_overlay_visible (f->viewport, FALSE);
  lb_viewport_set_source (f->viewport, source);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until_ready (f);
}

static void
fixture_teardown (Fixture *f)
{
  g_clear_pointer (&f->pixels, g_free);
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* What is on screen, read back through the window's own renderer. */
static void
grab (Fixture *f)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (GTK_WIDGET (f->viewport)));

  /* The widget's own snapshot vfunc, as GTK calls it for a frame. */
  GTK_WIDGET_GET_CLASS (f->viewport)->snapshot (GTK_WIDGET (f->viewport), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, f->w, f->h));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, f->w);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, f->h);
  gdk_texture_download (texture, (guint8 *) f->pixels, f->w * 4);
}

static guint8
gray_at (Fixture *f, int x, int y)
{
  guint32 p = f->pixels[y * f->w + x];

  g_assert_cmphex (p >> 24, ==, 0xff);
  g_assert_cmpuint (p & 0xff, ==, (p >> 8) & 0xff);
  g_assert_cmpuint (p & 0xff, ==, (p >> 16) & 0xff);
  return p & 0xff;
}

/* PS3.3 C.11.2.1.2.1, rounded to the nearest level. */
static guint8
linear (double x, double c, double w)
{
  double y;

  if (x <= c - 0.5 - (w - 1) / 2)
    return 0;
  if (x > c - 0.5 + (w - 1) / 2)
    return 255;
  y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
  return (guint8) (y + 0.5);
}

/* The whole widget against the pipeline's render of the view described by
 * the viewport's properties, from @source's frame decoded at 1/@denom
 * (tolerance 0: an 8-bit texture drawn 1:1). A preview has no reductions,
 * as in the viewport. */
static void
assert_matches_pipeline_at (Fixture       *f,
                            LbFrameSource *source,
                            guint          denom)
{
  const LbDicomMeta *meta = lb_frame_source_get_meta (source);
  GDestroyNotify free_func;
  g_autoptr (GError) error = NULL;
  LbPixelBuffer *b = lb_frame_source_decode (source, lb_viewport_get_frame (f->viewport), denom,
                                             &free_func, &error);
  g_autoptr (LbPyramid) pyramid = NULL;
  g_autoptr (LbLut) lut = NULL;
  g_autofree guint32 *want = g_new (guint32, f->w * f->h);
  LbPipelineParams params;
  LbViewTransform view;
  guint skip = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (b->scale_denom, ==, denom);
  pyramid = denom > 1 ? lb_pyramid_new_single (b, free_func) : lb_pyramid_new (b, free_func);
  lb_pipeline_params_init_from_meta (&params, meta, b);
  lb_viewport_get_window (f->viewport, &params.window_center, &params.window_width);
  params.invert = lb_viewport_get_invert (f->viewport);
  lut = lb_lut_new (&params, b);
  lb_view_transform_init (&view, meta->columns, meta->rows, f->w, f->h);
  view.zoom = lb_viewport_get_zoom (f->viewport);
  lb_viewport_get_center (f->viewport, &view.center_x, &view.center_y);
  view.rotation = lb_viewport_get_rotation (f->viewport) / 90;
  view.flip_h = lb_viewport_get_flip_horizontal (f->viewport);
  lb_pipeline_render (pyramid, lut, &view, 0, 0, f->w, f->h, (guint8 *) want, f->w * 4);
  /* The banner of a patient-generated image covers the top rows (its
   * height measured as the viewport measures it); the rest is image. */
  if (lb_viewport_get_patient_generated (f->viewport))
    {
      cairo_surface_t *scratch = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
      cairo_t *cr = cairo_create (scratch);

      skip = f->w * (guint) ceil (lb_banner_draw (cr, f->w, 13, TRUE));
      cairo_destroy (cr);
      cairo_surface_destroy (scratch);
      g_assert_cmpuint (skip, <, (guint) (f->w * f->h / 4));
    }
  for (guint i = skip; i < (guint) (f->w * f->h); i++)
    if (want[i] != f->pixels[i])
      g_error ("pixel (%u, %u) is %08x, the pipeline says %08x", i % f->w, i / f->w, f->pixels[i], want[i]);
}

static void
assert_matches_pipeline (Fixture       *f,
                         LbFrameSource *source)
{
  assert_matches_pipeline_at (f, source, 1);
}

static void
activate (Fixture *f, const char *action, GVariant *param)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (f->viewport), action, param));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ---- tests ------------------------------------------------------------------ */

static void
test_view_and_window (void)
{
  g_autoptr (TestSource) source = test_source_new ("CT", FALSE, 1);
  Fixture f = { 0 };
  guint8 g[4];

  fixture_setup (&f, LB_FRAME_SOURCE (source));
  g_assert_false (lb_viewport_get_patient_generated (f.viewport));
  /* Fit: 400×300 into 200×150 is zoom ½, filling the widget. */
  g_assert_cmpfloat (lb_viewport_get_zoom (f.viewport), ==, 0.5);
  for (guint q = 0; q < 4; q++)
    g[q] = linear (quadrant_values[q], 2048, 4096);
  grab (&f);
  g_assert_cmpuint (gray_at (&f, 50, 37), ==, g[0]);
  g_assert_cmpuint (gray_at (&f, 150, 37), ==, g[1]);
  g_assert_cmpuint (gray_at (&f, 50, 112), ==, g[2]);
  g_assert_cmpuint (gray_at (&f, 150, 112), ==, g[3]);
  /* No banner for a CT: the top-left corner is image. */
  g_assert_cmpuint (gray_at (&f, 0, 0), ==, g[0]);
  assert_matches_pipeline (&f, LB_FRAME_SOURCE (source));

  /* Ctrl+R: a quarter turn clockwise, refitted to 112.5×150 in the middle;
   * the image's top-left quadrant is now top-right on screen. */
  activate (&f, "viewer.rotate-right", NULL);
  g_assert_cmpint (lb_viewport_get_rotation (f.viewport), ==, 90);
  grab (&f);
  g_assert_cmpuint (gray_at (&f, 72, 37), ==, g[2]);
  g_assert_cmpuint (gray_at (&f, 128, 37), ==, g[0]);
  g_assert_cmpuint (gray_at (&f, 72, 112), ==, g[3]);
  g_assert_cmpuint (gray_at (&f, 128, 112), ==, g[1]);
  g_assert_cmpuint (gray_at (&f, 10, 75), ==, 0);   /* background */
  assert_matches_pipeline (&f, LB_FRAME_SOURCE (source));

  /* H after the turn mirrors what is on screen. */
  activate (&f, "viewer.flip-horizontal", NULL);
  grab (&f);
  g_assert_cmpuint (gray_at (&f, 72, 37), ==, g[0]);
  g_assert_cmpuint (gray_at (&f, 128, 37), ==, g[2]);
  assert_matches_pipeline (&f, LB_FRAME_SOURCE (source));

  /* 0 resets the view; a window of width 1 at 1000 is a threshold at 999.5. */
  activate (&f, "viewer.reset", NULL);
  g_assert_cmpint (lb_viewport_get_rotation (f.viewport), ==, 0);
  g_assert_false (lb_viewport_get_flip_horizontal (f.viewport));
  activate (&f, "viewer.window", g_variant_new ("(dd)", 1000.0, 1.0));
  grab (&f);
  g_assert_cmpuint (gray_at (&f, 50, 37), ==, 0);
  g_assert_cmpuint (gray_at (&f, 150, 37), ==, 255);
  g_assert_cmpuint (gray_at (&f, 50, 112), ==, 255);

  /* Invert, through the property a comparison grid would bind. */
  g_object_set (f.viewport, "invert", TRUE, "window-center", 2048.0, "window-width", 4096.0, NULL);
  grab (&f);
  g_assert_cmpuint (gray_at (&f, 50, 37), ==, 255 - g[0]);
  g_assert_cmpuint (gray_at (&f, 150, 112), ==, 255 - g[3]);
  assert_matches_pipeline (&f, LB_FRAME_SOURCE (source));
  activate (&f, "viewer.invert", NULL);
  g_assert_false (lb_viewport_get_invert (f.viewport));

  /* Zoom 2 on image point (100, 75): only the top-left quadrant shows. */
  g_object_set (f.viewport, "zoom", 2.0, "center-x", 100.0, "center-y", 75.0, NULL);
  grab (&f);
  for (int y = 0; y < VH; y += 7)
    for (int x = 0; x < VW; x += 7)
      g_assert_cmpuint (gray_at (&f, x, y), ==, g[0]);
  /* Panning 200 px left brings image x 150..250 in: the top-right quadrant
   * appears on the right half. */
  activate (&f, "viewer.pan", g_variant_new ("(dd)", -200.0, 0.0));
  g_assert_cmpfloat (lb_viewport_get_zoom (f.viewport), ==, 2.0);
  grab (&f);
  g_assert_cmpuint (gray_at (&f, 10, 10), ==, g[0]);
  g_assert_cmpuint (gray_at (&f, 190, 10), ==, g[1]);
  assert_matches_pipeline (&f, LB_FRAME_SOURCE (source));

  /* Zoom out keeps the view centre when the pointer is elsewhere; F fits. */
  activate (&f, "viewer.zoom-out", NULL);
  g_assert_cmpfloat_with_epsilon (lb_viewport_get_zoom (f.viewport), 1.6, 1e-9);
  activate (&f, "viewer.zoom-fit", NULL);
  g_assert_cmpfloat (lb_viewport_get_zoom (f.viewport), ==, 0.5);
  activate (&f, "viewer.zoom-1to1", NULL);
  g_assert_cmpfloat (lb_viewport_get_zoom (f.viewport), ==, 1.0);

  /* Auto window: the 1st–99th percentile of the four flat quadrants. */
  activate (&f, "viewer.auto-window", NULL);
  {
    double c, w;

    lb_viewport_get_window (f.viewport, &c, &w);
    g_assert_cmpfloat (w, ==, 3000 - 100 + 1);
    g_assert_cmpfloat (c, ==, (100 + 3000) / 2.0 + 0.5);
  }
  fixture_teardown (&f);
}

static void
test_banner (void)
{
  g_autoptr (TestSource) xc = test_source_new ("XC", TRUE, 1);
  Fixture f = { 0 };
  int banner_rows = 0;

  fixture_setup (&f, LB_FRAME_SOURCE (xc));
  g_assert_true (lb_viewport_get_patient_generated (f.viewport));
  /* The overlay toggle does not hide it, and it stays at every zoom. */
  lb_viewport_set_overlay_visible (f.viewport, FALSE);
  g_object_set (f.viewport, "zoom", 4.0, NULL);
  grab (&f);
  while (banner_rows < VH && f.pixels[banner_rows * VW + 1] == LB_BANNER_BACKGROUND)
    banner_rows++;
  /* At least a line of text tall; in this narrow 200-pixel view the text
   * wraps to several lines but still leaves the photo visible below. */
  g_assert_cmpint (banner_rows, >=, 15);
  g_assert_cmpint (banner_rows, <, VH - 20);
  /* Below it, the photo: at zoom 4 about the centre, widget (1, 148) is
   * image (175, 168), the bottom-left quadrant: R 80, G 200, B 10. */
  g_assert_cmphex (f.pixels[(VH - 2) * VW + 1], ==, 0xff50c80a);
  /* Its text is there: dark pixels inside the strip. */
  {
    guint dark = 0;

    for (int y = 0; y < banner_rows; y++)
      for (int x = 0; x < VW; x++)
        dark += (f.pixels[y * VW + x] & 0xff) < 0x60;
    g_assert_cmpuint (dark, >, 50);
  }
  fixture_teardown (&f);
}

static void
test_cine (void)
{
  g_autoptr (TestSource) clip = test_source_new ("US", FALSE, 3);
  Fixture f = { 0 };
  guint id;

  fixture_setup (&f, LB_FRAME_SOURCE (clip));
  g_assert_cmpuint (lb_viewport_get_n_frames (f.viewport), ==, 3);
  activate (&f, "viewer.next-frame", NULL);
  g_assert_cmpuint (lb_viewport_get_frame (f.viewport), ==, 1);
  wait_until_ready (&f);
  grab (&f);
  /* Frame 1 adds 10 to every stored value. */
  g_assert_cmpuint (gray_at (&f, 150, 112), ==, linear (3010, 2048, 4096));
  assert_matches_pipeline (&f, LB_FRAME_SOURCE (clip));

  /* Playing advances the frame on the frame clock and wraps around. */
  activate (&f, "viewer.play", NULL);
  g_assert_true (lb_viewport_get_playing (f.viewport));
  id = g_timeout_add_seconds (20, timeout_cb, NULL);
  while (lb_viewport_get_frame (f.viewport) != 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  activate (&f, "viewer.play", NULL);
  g_assert_false (lb_viewport_get_playing (f.viewport));
  fixture_teardown (&f);
}

static void
test_pixel_readout (void)
{
  g_autoptr (TestSource) source = test_source_new ("CT", FALSE, 1);
  Fixture f = { 0 };
  g_autofree char *inside = NULL;
  g_autofree char *outside = NULL;

  source->meta.rescale_intercept = -1024;
  fixture_setup (&f, LB_FRAME_SOURCE (source));
  /* Widget (150, 112) at zoom ½ is image pixel (301, 225): stored 3000,
   * 1976 HU after the rescale (PS3.3 C.11.1.1.2). */
  inside = lb_viewport_describe_pixel (f.viewport, 150.5, 112.5);
  g_assert_cmpstr (inside, ==, "(301, 225) 1976 HU");
  activate (&f, "viewer.zoom-out", NULL);
  outside = lb_viewport_describe_pixel (f.viewport, 1, 1);
  g_assert_null (outside);

  /* With the overlay on, the corners carry text (near-white glyphs) over
   * the otherwise flat image; a scale bar appears since spacing is known. */
  lb_viewport_set_overlay_visible (f.viewport, TRUE);
  grab (&f);
  {
    guint light_top_left = 0, light_bottom_right = 0;

    for (int y = 0; y < 40; y++)
      for (int x = 0; x < 80; x++)
        {
          light_top_left += (f.pixels[y * VW + x] & 0xff) > 0xc0;
          light_bottom_right += (f.pixels[(VH - 1 - y) * VW + VW - 1 - x] & 0xff) > 0xc0;
        }
    g_assert_cmpuint (light_top_left, >, 20);
    g_assert_cmpuint (light_bottom_right, >, 20);
  }
  fixture_teardown (&f);
}

/* ---- real objects through lb_viewport_set_image() ------------------------- */

static char *tmpdir;

static gboolean
image_shown (Fixture *f)
{
  g_autofree char *centre = lb_viewport_describe_pixel (f->viewport, f->w / 2.0, f->h / 2.0);

  return centre != NULL;
}

static void
full_resolution_cb (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  guint *n = user_data;

  if (lb_viewport_get_full_resolution (LB_VIEWPORT (object)))
    (*n)++;
}

/* Sets @path's object and follows what the viewport shows: a scaled
 * preview (full-resolution false) that is exactly the pipeline's render of
 * the 1/@denom decode, then the full decode from the worker thread
 * (full-resolution true), exactly the pipeline's render of it. Returns the
 * preview's pixels. */
static guint32 *
show_real_object (Fixture    *f,
                  const char *path,
                  guint       want_denom)
{
  LbDicomLimits limits;
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomObject) object = NULL;
  LbFrameSource *source;
  const LbDicomMeta *meta;
  guint id, became_full = 0;
  gulong handler;
  guint32 *preview;

  lb_dicom_limits_init_default (&limits);
  object = lb_dicom_object_new_from_file (path, &limits, &error);
  g_assert_no_error (error);
  meta = lb_dicom_object_get_meta (object);
  g_assert_cmpuint (lb_pyramid_preview_denom (meta->columns, meta->rows), ==, want_denom);

  handler = g_signal_connect (f->viewport, "notify::full-resolution",
                              G_CALLBACK (full_resolution_cb), &became_full);
  lb_viewport_set_image (f->viewport, object);
  source = lb_viewport_get_source (f->viewport);
  g_assert_nonnull (source);
  g_assert_false (lb_viewport_get_full_resolution (f->viewport));
  g_assert_false (image_shown (f));

  /* The preview lands first; the full decode only starts then, so it
   * cannot overtake it. */
  id = g_timeout_add_seconds (30, timeout_cb, NULL);
  while (!image_shown (f))
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (became_full, ==, 0);
    }
  g_source_remove (id);
  g_assert_false (lb_viewport_get_full_resolution (f->viewport));
  grab (f);
  assert_matches_pipeline_at (f, source, want_denom);
  preview = g_memdup2 (f->pixels, sizeof (guint32) * f->w * f->h);

  wait_until_ready (f);
  g_assert_cmpuint (became_full, ==, 1);
  g_assert_true (lb_viewport_get_full_resolution (f->viewport));
  grab (f);
  assert_matches_pipeline_at (f, source, 1);
  g_signal_handler_disconnect (f->viewport, handler);
  return preview;
}

/* Mean absolute difference per channel between two views. */
static double
mean_difference (const guint32 *a,
                 const guint32 *b,
                 guint          n)
{
  double sum = 0;

  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < 24; c += 8)
      sum += ABS ((int) ((a[i] >> c) & 0xff) - (int) ((b[i] >> c) & 0xff));
  return sum / (n * 3);
}

static void
empty_fixture_setup (Fixture *f,
                     int      width,
                     int      height)
{
  guint id = g_timeout_add_seconds (20, timeout_cb, NULL);

  f->w = width;
  f->h = height;
  f->pixels = g_new0 (guint32, f->w * f->h);
  f->window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (f->window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (f->window), f->w, f->h);
  gtk_window_set_resizable (GTK_WINDOW (f->window), FALSE);
  f->viewport = LB_VIEWPORT (lb_viewport_new ());
  gtk_widget_set_size_request (GTK_WIDGET (f->viewport), f->w, f->h);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->viewport));
  lb_viewport_set_overlay_visible (f->viewport, FALSE);
  gtk_window_present (GTK_WINDOW (f->window));
  while (gtk_widget_get_width (GTK_WIDGET (f->viewport)) != f->w ||
         gtk_widget_get_height (GTK_WIDGET (f->viewport)) != f->h ||
         !gtk_widget_get_mapped (GTK_WIDGET (f->viewport)))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static void
test_real_photo (void)
{
  g_autofree char *path = lb_viewer_test_make_photo (tmpdir, "photo", 4000, 3000);
  g_autofree guint32 *preview = NULL;
  Fixture f = { 0 };

  /* A 640×480 view: the banner wraps to a line or two and leaves most of
   * the photo to compare. */
  empty_fixture_setup (&f, 640, 480);
  /* 4000×3000 JPEG baseline: a 1/4 preview (1000×750) from libjpeg-turbo's
   * scaled IDCT. */
  preview = show_real_object (&f, path, 4);
  g_assert_true (lb_viewport_get_patient_generated (f.viewport));
  g_assert_cmpfloat (lb_viewport_get_zoom (f.viewport), ==, 0.16);
  /* The preview was the same picture, sampled more coarsely: close on
   * average (the texture and noise of the photo differ pixel by pixel),
   * but not identical, so the full decode really replaced it. */
  g_assert_cmpfloat (mean_difference (preview, f.pixels, f.w * f.h), <, 8);
  g_assert_cmpint (memcmp (preview, f.pixels, sizeof (guint32) * f.w * f.h), !=, 0);
  /* The banner sits over the top of the photo. */
  g_assert_cmphex (f.pixels[1], ==, LB_BANNER_BACKGROUND);
  fixture_teardown (&f);
}

static void
test_real_ct (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "big-ct.dcm", NULL);
  g_autofree guint32 *preview = NULL;
  Fixture f = { 0 };
  double c, w;

  empty_fixture_setup (&f, 400, 300);
  /* 2048×2048 uncompressed signed 16-bit: 4 Mpx, so a 1/2 preview
   * subsampled from the decode. */
  preview = show_real_object (&f, path, 2);
  g_assert_false (lb_viewport_get_patient_generated (f.viewport));
  /* The object's first window (PS3.3 C.11.2), in HU after the rescale. */
  lb_viewport_get_window (f.viewport, &c, &w);
  g_assert_cmpfloat (c, ==, 40);
  g_assert_cmpfloat (w, ==, 400);
  g_assert_cmpfloat (mean_difference (preview, f.pixels, f.w * f.h), <, 12);
  g_assert_cmpint (memcmp (preview, f.pixels, sizeof (guint32) * f.w * f.h), !=, 0);
  /* A new window re-renders from the same full-resolution frame. */
  lb_viewport_set_window (f.viewport, -600, 1500);
  grab (&f);
  assert_matches_pipeline_at (&f, lb_viewport_get_source (f.viewport), 1);
  fixture_teardown (&f);
}

/* ---- a screenshot against a checked-in reference ------------------------ */

/*
 * A synthetic 12-bit image turned a quarter clockwise, mirrored, zoomed to
 * 0.6 about an off-centre point, at a narrow window, compared with
 * tests/viewer/data/viewport-rotated.png (reviewed by eye when made).
 * Tolerance 0: the texture holds one 8-bit pixel per device pixel and the
 * cairo renderer draws it unscaled, so any difference is a change in the
 * pipeline, the geometry or what the widget draws. The overlay is off and
 * the source is a CT (no banner): text would depend on the installed fonts.
 * LB_UPDATE_REFERENCES=1 rewrites the reference instead of comparing.
 */
static void
test_screenshot (void)
{
  g_autoptr (TestSource) source = test_source_new ("CT", FALSE, 1);
  g_autofree char *reference = lb_test_source_path ("viewer", "data", "viewport-rotated.png", NULL);
  Fixture f = { 0 };
  cairo_surface_t *png;
  guint differ = 0;

  source->pattern = TRUE;
  fixture_setup (&f, LB_FRAME_SOURCE (source));
  g_object_set (f.viewport, "rotation", 90, "flip-horizontal", TRUE, "zoom", 0.6,
                "center-x", 180.0, "center-y", 140.0,
                "window-center", 2500.0, "window-width", 3000.0, NULL);
  grab (&f);
  assert_matches_pipeline (&f, LB_FRAME_SOURCE (source));

  if (g_getenv ("LB_UPDATE_REFERENCES") != NULL)
    {
      png = cairo_image_surface_create_for_data ((guint8 *) f.pixels, CAIRO_FORMAT_RGB24,
                                                 VW, VH, VW * 4);
      g_assert_cmpint (cairo_surface_write_to_png (png, reference), ==, CAIRO_STATUS_SUCCESS);
      cairo_surface_destroy (png);
      g_test_message ("wrote %s", reference);
    }
  png = cairo_image_surface_create_from_png (reference);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, VW);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, VH);
  for (int y = 0; y < VH; y++)
    for (int x = 0; x < VW; x++)
      {
        guint32 want = *(const guint32 *) (cairo_image_surface_get_data (png) +
                                           y * cairo_image_surface_get_stride (png) + 4 * x);

        if ((want | 0xff000000u) != f.pixels[y * VW + x] && differ++ < 5)
          g_test_message ("(%d, %d): %08x, reference %08x", x, y, f.pixels[y * VW + x], want);
      }
  cairo_surface_destroy (png);
  g_assert_cmpuint (differ, ==, 0);
  fixture_teardown (&f);
}

int
main (int argc, char *argv[])
{
  int status;

  /* The cairo renderer reads back exactly what the pipeline drew; GL under
   * Xvfb is software and may not be there. */
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  tmpdir = lb_test_make_tmpdir ();
  lb_viewer_test_make_objects (tmpdir, TRUE);
  g_test_add_func ("/viewer/viewport/view-and-window", test_view_and_window);
  g_test_add_func ("/viewer/viewport/banner", test_banner);
  g_test_add_func ("/viewer/viewport/cine", test_cine);
  g_test_add_func ("/viewer/viewport/pixel-readout", test_pixel_readout);
  g_test_add_func ("/viewer/viewport/real-photo", test_real_photo);
  g_test_add_func ("/viewer/viewport/real-ct", test_real_ct);
  g_test_add_func ("/viewer/viewport/screenshot", test_screenshot);
  status = g_test_run ();
  lb_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return status;
}
