/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-viewport.h"

#include "lb-banner.h"

/*
 * LbViewport in a real GtkWindow under Xvfb, driven through its actions and
 * properties, its pixels read back from the renderer. The synthetic image
 * has four flat quadrants, so after any orientation or window change the
 * expected gray of each screen quadrant follows from PS3.3's linear window
 * alone; the whole frame is also compared with the pipeline's own render
 * of the view the properties describe.
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

        if (self->color)
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
  guint32     pixels[VW * VH];
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
         gtk_widget_get_width (GTK_WIDGET (f->viewport)) != VW ||
         gtk_widget_get_height (GTK_WIDGET (f->viewport)) != VH ||
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
  f->window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (f->window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (f->window), VW, VH);
  gtk_window_set_resizable (GTK_WINDOW (f->window), FALSE);
  f->viewport = LB_VIEWPORT (lb_viewport_new ());
  gtk_widget_set_size_request (GTK_WIDGET (f->viewport), VW, VH);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->viewport));
  lb_viewport_set_overlay_visible (f->viewport, FALSE);
  lb_viewport_set_source (f->viewport, source);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until_ready (f);
}

static void
fixture_teardown (Fixture *f)
{
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
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, VW, VH));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, VW);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, VH);
  gdk_texture_download (texture, (guint8 *) f->pixels, VW * 4);
}

static guint8
gray_at (Fixture *f, int x, int y)
{
  guint32 p = f->pixels[y * VW + x];

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
 * the viewport's properties (tolerance 0: an 8-bit texture drawn 1:1). */
static void
assert_matches_pipeline (Fixture       *f,
                         LbFrameSource *source)
{
  GDestroyNotify free_func;
  LbPixelBuffer *b = lb_frame_source_decode (source, lb_viewport_get_frame (f->viewport), 1,
                                             &free_func, NULL);
  g_autoptr (LbPyramid) pyramid = lb_pyramid_new (b, free_func);
  g_autoptr (LbLut) lut = NULL;
  g_autofree guint32 *want = g_new (guint32, VW * VH);
  LbPipelineParams params;
  LbViewTransform view;

  lb_pipeline_params_init_from_meta (&params, lb_frame_source_get_meta (source), b);
  lb_viewport_get_window (f->viewport, &params.window_center, &params.window_width);
  params.invert = lb_viewport_get_invert (f->viewport);
  lut = lb_lut_new (&params, b);
  lb_view_transform_init (&view, IW, IH, VW, VH);
  view.zoom = lb_viewport_get_zoom (f->viewport);
  lb_viewport_get_center (f->viewport, &view.center_x, &view.center_y);
  view.rotation = lb_viewport_get_rotation (f->viewport) / 90;
  view.flip_h = lb_viewport_get_flip_horizontal (f->viewport);
  lb_pipeline_render (pyramid, lut, &view, 0, 0, VW, VH, (guint8 *) want, VW * 4);
  for (guint i = 0; i < VW * VH; i++)
    if (want[i] != f->pixels[i])
      g_error ("pixel (%u, %u) is %08x, the pipeline says %08x", i % VW, i / VW, f->pixels[i], want[i]);
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

int
main (int argc, char *argv[])
{
  /* The cairo renderer reads back exactly what the pipeline drew; GL under
   * Xvfb is software and may not be there. */
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/viewer/viewport/view-and-window", test_view_and_window);
  g_test_add_func ("/viewer/viewport/banner", test_banner);
  g_test_add_func ("/viewer/viewport/cine", test_cine);
  g_test_add_func ("/viewer/viewport/pixel-readout", test_pixel_readout);
  return g_test_run ();
}
