/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Decoding of every supported transfer syntax × photometric interpretation.
 *
 * make-objects.py draws uncompressed source objects with pydicom and writes
 * the values a decoder must produce; each case transcodes a source with
 * dcmtk's own tools (or OpenJPEG's opj_compress) and checks our decode
 * twice: against those values, and against dcmtk's dcmj2pnm rendering of
 * the very same object (grayscale through a VOI window computed here).
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "lb-dicom.h"
#include "lb-test-utils.h"

typedef struct {
  const char *name;        /* case name, also the transcoded file's stem */
  const char *source;      /* stem of the make-objects.py object */
  const char *tool;        /* NULL: decode the source itself */
  const char *args[4];     /* tool options, before input and output */
  const char *ts;          /* expected Transfer Syntax UID of the result */
  int value_tol;           /* max |decoded − drawn value| */
  int render_tol;          /* max |ours − dcmj2pnm| per 8-bit output sample */
  gboolean render_source;  /* dcmtk cannot decode this syntax: render the source */
  const char *photometric; /* expected Photometric Interpretation of the object */
} Case;

#define ELE "1.2.840.10008.1.2.1"
#define ILE "1.2.840.10008.1.2"
#define EBE "1.2.840.10008.1.2.2"
#define DEF "1.2.840.10008.1.2.1.99"
#define JPB "1.2.840.10008.1.2.4.50"
#define JPE "1.2.840.10008.1.2.4.51"
#define JPL "1.2.840.10008.1.2.4.57"
#define JP1 "1.2.840.10008.1.2.4.70"
#define JLS "1.2.840.10008.1.2.4.80"
#define JLN "1.2.840.10008.1.2.4.81"
#define RLE "1.2.840.10008.1.2.5"
#define J2L "1.2.840.10008.1.2.4.90"
#define J2K "1.2.840.10008.1.2.4.91"

/* Lossy tolerances. value_tol only bounds the codec's own error against the
 * drawn values (a sanity check); the precise check is render_tol against
 * dcmtk. libjpeg-turbo's default (islow) IDCT, fancy upsampling and YCbCr
 * tables are bit-exact with the IJG 6b code dcmtk embeds, so 1 allows only
 * for the rounding of the window itself. */
static const Case cases[] = {
  /* uncompressed, explicit VR little endian: every photometric and layout */
  { "ele-gray8-mono2", "gray8-mono2", NULL, { NULL }, ELE, 0, 1, FALSE, "MONOCHROME2" },
  { "ele-gray8-mono1", "gray8-mono1", NULL, { NULL }, ELE, 0, 1, FALSE, "MONOCHROME1" },
  { "ele-gray8s", "gray8s", NULL, { NULL }, ELE, 0, 1, FALSE, "MONOCHROME2" },
  { "ele-gray12u-frames", "gray12u-frames", NULL, { NULL }, ELE, 0, 1, FALSE, "MONOCHROME2" },
  { "ele-gray16u", "gray16u", NULL, { NULL }, ELE, 0, 1, FALSE, "MONOCHROME2" },
  { "ele-gray16s", "gray16s", NULL, { NULL }, ELE, 0, 1, FALSE, "MONOCHROME2" },
  { "ele-gray12s", "gray12s", NULL, { NULL }, ELE, 0, 1, FALSE, "MONOCHROME2" },
  { "ele-gray10-hb13", "gray10-hb13", NULL, { NULL }, ELE, 0, 1, FALSE, "MONOCHROME2" },
  { "ele-rgb", "rgb", NULL, { NULL }, ELE, 0, 0, FALSE, "RGB" },
  { "ele-rgb-planar", "rgb-planar", NULL, { NULL }, ELE, 0, 0, FALSE, "RGB" },
  /* YBR → RGB: the drawn RGB went through a rounded forward transform
   * (value_tol), and dcmimage converts back with truncating integer
   * arithmetic where we round (render_tol). */
  { "ele-ybr-full", "ybr-full", NULL, { NULL }, ELE, 2, 2, FALSE, "YBR_FULL" },
  { "ele-ybr-full-422", "ybr-full-422", NULL, { NULL }, ELE, 2, 2, FALSE, "YBR_FULL_422" },
  { "ele-palette", "palette", NULL, { NULL }, ELE, 0, 0, FALSE, "PALETTE COLOR" },
  /* implicit VR little endian, explicit VR big endian, deflated */
  { "ile-gray16s", "gray16s", "dcmconv", { "+ti", NULL }, ILE, 0, 1, FALSE, "MONOCHROME2" },
  { "ile-rgb", "rgb", "dcmconv", { "+ti", NULL }, ILE, 0, 0, FALSE, "RGB" },
  { "ile-palette", "palette", "dcmconv", { "+ti", NULL }, ILE, 0, 0, FALSE, "PALETTE COLOR" },
  { "ile-gray12u-frames", "gray12u-frames", "dcmconv", { "+ti", NULL }, ILE, 0, 1, FALSE, "MONOCHROME2" },
  { "ebe-gray16u", "gray16u", "dcmconv", { "+tb", NULL }, EBE, 0, 1, FALSE, "MONOCHROME2" },
  { "ebe-gray12s", "gray12s", "dcmconv", { "+tb", NULL }, EBE, 0, 1, FALSE, "MONOCHROME2" },
  { "ebe-gray8-mono2", "gray8-mono2", "dcmconv", { "+tb", NULL }, EBE, 0, 1, FALSE, "MONOCHROME2" },
  { "ebe-gray10-hb13", "gray10-hb13", "dcmconv", { "+tb", NULL }, EBE, 0, 1, FALSE, "MONOCHROME2" },
  { "ebe-rgb-planar", "rgb-planar", "dcmconv", { "+tb", NULL }, EBE, 0, 0, FALSE, "RGB" },
  { "def-gray12u-frames", "gray12u-frames", "dcmconv", { "+td", NULL }, DEF, 0, 1, FALSE, "MONOCHROME2" },
  { "def-rgb", "rgb", "dcmconv", { "+td", NULL }, DEF, 0, 0, FALSE, "RGB" },
  /* JPEG baseline (libjpeg-turbo) and extended 12-bit (dcmtk) */
  { "jpb-gray8-mono2", "gray8-mono2", "dcmcjpeg", { "+eb", NULL }, JPB, 8, 1, FALSE, "MONOCHROME2" },
  { "jpb-gray8-mono1", "gray8-mono1", "dcmcjpeg", { "+eb", NULL }, JPB, 8, 1, FALSE, "MONOCHROME1" },
  { "jpb-rgb-ybr422", "rgb", "dcmcjpeg", { "+eb", NULL }, JPB, 8, 1, FALSE, "YBR_FULL_422" },
  { "jpb-rgb-ybrfull", "rgb", "dcmcjpeg", { "+eb", "+s4", "+cy", NULL }, JPB, 8, 1, FALSE, "YBR_FULL" },
  { "jpe-gray12u-frames", "gray12u-frames", "dcmcjpeg", { "+ee", NULL }, JPE, 16, 1, FALSE, "MONOCHROME2" },
  /* JPEG lossless, process 14 (any predictor) and SV1 */
  { "jpl-gray16s", "gray16s", "dcmcjpeg", { "+el", NULL }, JPL, 0, 1, FALSE, "MONOCHROME2" },
  { "jpl-gray12u-frames", "gray12u-frames", "dcmcjpeg", { "+el", NULL }, JPL, 0, 1, FALSE, "MONOCHROME2" },
  { "jp1-gray12s", "gray12s", "dcmcjpeg", { "+e1", NULL }, JP1, 0, 1, FALSE, "MONOCHROME2" },
  { "jp1-gray16u", "gray16u", "dcmcjpeg", { "+e1", NULL }, JP1, 0, 1, FALSE, "MONOCHROME2" },
  { "jp1-rgb", "rgb", "dcmcjpeg", { "+e1", NULL }, JP1, 0, 0, FALSE, "RGB" },
  { "jp1-gray8-mono1", "gray8-mono1", "dcmcjpeg", { "+e1", NULL }, JP1, 0, 1, FALSE, "MONOCHROME1" },
  /* JPEG-LS lossless and near-lossless (max deviation 2) */
  { "jls-gray16u", "gray16u", "dcmcjpls", { NULL }, JLS, 0, 1, FALSE, "MONOCHROME2" },
  { "jls-gray12s", "gray12s", "dcmcjpls", { NULL }, JLS, 0, 1, FALSE, "MONOCHROME2" },
  { "jls-rgb", "rgb", "dcmcjpls", { NULL }, JLS, 0, 0, FALSE, "RGB" },
  { "jln-gray12u-frames", "gray12u-frames", "dcmcjpls", { "+en", "+md", "2", NULL }, JLN, 2, 1, FALSE, "MONOCHROME2" },
  { "jln-gray8-mono2", "gray8-mono2", "dcmcjpls", { "+en", "+md", "2", NULL }, JLN, 2, 1, FALSE, "MONOCHROME2" },
  /* RLE */
  { "rle-gray16s", "gray16s", "dcmcrle", { NULL }, RLE, 0, 1, FALSE, "MONOCHROME2" },
  { "rle-gray8-mono1", "gray8-mono1", "dcmcrle", { NULL }, RLE, 0, 1, FALSE, "MONOCHROME1" },
  { "rle-rgb", "rgb", "dcmcrle", { NULL }, RLE, 0, 0, FALSE, "RGB" },
  { "rle-ybr-full", "ybr-full", "dcmcrle", { NULL }, RLE, 2, 2, FALSE, "YBR_FULL" },
  { "rle-palette", "palette", "dcmcrle", { NULL }, RLE, 0, 0, FALSE, "PALETTE COLOR" },
  /* JPEG 2000 (OpenJPEG): dcmj2pnm cannot decode it, so it renders the
   * uncompressed source. Lossy 8:1 with the irreversible transform is
   * bounded loosely by value and by rendering. */
  { "j2k-gray12", "j2k-gray12", NULL, { NULL }, J2L, 0, 1, TRUE, "MONOCHROME2" },
  { "j2k-rgb-rct", "j2k-rgb", NULL, { NULL }, J2L, 0, 0, TRUE, "YBR_RCT" },
  { "j2k-rgb-ict-lossy", "j2k-rgb-lossy", NULL, { NULL }, J2K, 40, 40, TRUE, "YBR_ICT" },
};

static char *tmpdir;

typedef struct {
  guint width, height, channels;
  guint8 *data;
} Pnm;

static gboolean
read_pnm (const char *path, Pnm *pnm)
{
  g_autofree char *contents = NULL;
  gsize len = 0, pos = 0;
  guint vals[3];

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 2);
  g_assert_true (contents[0] == 'P' && (contents[1] == '5' || contents[1] == '6'));
  pnm->channels = contents[1] == '5' ? 1 : 3;
  pos = 2;
  for (int i = 0; i < 3; i++)
    {
      while (pos < len && (g_ascii_isspace (contents[pos]) || contents[pos] == '#'))
        {
          if (contents[pos] == '#')
            while (pos < len && contents[pos] != '\n')
              pos++;
          pos++;
        }
      vals[i] = (guint) g_ascii_strtoull (contents + pos, NULL, 10);
      while (pos < len && g_ascii_isdigit (contents[pos]))
        pos++;
    }
  pos++;
  pnm->width = vals[0];
  pnm->height = vals[1];
  g_assert_cmpuint (vals[2], ==, 255);
  g_assert_cmpuint (len - pos, ==, (gsize) pnm->width * pnm->height * pnm->channels);
  pnm->data = g_memdup2 (contents + pos, len - pos);
  return TRUE;
}

static int
gray_value (const LbPixelBuffer *buf, guint x, guint y)
{
  const guint8 *row = buf->data + y * buf->stride;
  switch (buf->format)
    {
    case LB_PIXEL_GRAY8:
      return row[x];
    case LB_PIXEL_GRAY16U:
      return ((const guint16 *) row)[x];
    case LB_PIXEL_GRAY16S:
      return ((const gint16 *) row)[x];
    case LB_PIXEL_RGB8:
    default:
      g_assert_not_reached ();
    }
}

/* PS3.3 C.11.2.1.2.1, LINEAR, to 8 bits. */
static int
window (double x, double c, double w)
{
  double y;
  if (x <= c - 0.5 - (w - 1) / 2)
    y = 0;
  else if (x > c - 0.5 + (w - 1) / 2)
    y = 255;
  else
    y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
  return (int) CLAMP (y, 0, 255);
}

static char *
make_object (const Case *c)
{
  g_autofree char *src = g_strdup_printf ("%s/%s.dcm", tmpdir, c->source);
  if (c->tool == NULL)
    return g_steal_pointer (&src);

  char *out = g_strdup_printf ("%s/%s.dcm", tmpdir, c->name);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) c->tool);
  for (int i = 0; c->args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) c->args[i]);
  g_ptr_array_add (argv, src);
  g_ptr_array_add (argv, out);
  g_ptr_array_add (argv, NULL);
  lb_test_run ((const char * const *) argv->pdata, NULL, NULL, TRUE);
  return out;
}

/* dcmj2pnm knows dcmtk's JPEG and RLE codecs; its twin dcml2pnm JPEG-LS. */
static void
render_with_dcmtk (const char *dcm, const char *ts, const char *out, const char *center, const char *width)
{
  const char *tool = g_str_has_prefix (ts, "1.2.840.10008.1.2.4.8") ? "dcml2pnm" : "dcmj2pnm";
  if (center != NULL)
    {
      const char *argv[] = { tool, "+Ww", center, width, dcm, out, NULL };
      lb_test_run (argv, NULL, NULL, TRUE);
    }
  else
    {
      const char *argv[] = { tool, dcm, out, NULL };
      lb_test_run (argv, NULL, NULL, TRUE);
    }
}

static void
test_decode_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = make_object (c);
  g_autoptr (LbDicomObject) obj = lb_dicom_object_new_from_file (path, NULL, &error);
  g_assert_no_error (error);
  LbDicomMeta *meta = lb_dicom_object_get_meta (obj);

  g_assert_cmpstr (meta->transfer_syntax_uid, ==, c->ts);
  g_assert_cmpstr (meta->photometric, ==, c->photometric);
  g_assert_cmpstr (meta->patient_name, ==, "Müller^Jürgen");
  g_assert_cmpuint (meta->columns, ==, 64);
  g_assert_cmpuint (meta->rows, ==, 48);

  /* 1. Every frame against the drawn values. */
  g_autofree char *raw_path = g_strdup_printf ("%s/%s.raw", tmpdir, c->source);
  g_autofree char *raw = NULL;
  gsize raw_len = 0;
  g_assert_true (g_file_get_contents (raw_path, &raw, &raw_len, NULL));
  gboolean color = meta->samples_per_pixel == 3 || g_str_equal (meta->photometric, "PALETTE COLOR");
  guint channels = color ? 3 : 1;
  gsize per_frame = 64 * 48 * channels;
  g_assert_cmpuint (raw_len, ==, per_frame * meta->number_of_frames * 4);
  const gint32 *expected = (const gint32 *) raw;
  int worst = 0;
  g_autoptr (LbPixelBuffer) first = NULL;

  for (guint f = 0; f < meta->number_of_frames; f++)
    {
      g_autoptr (LbPixelBuffer) buf = lb_dicom_object_decode_frame (obj, f, &error);
      g_assert_no_error (error);
      g_assert_nonnull (buf);
      g_assert_cmpuint (buf->width, ==, 64);
      g_assert_cmpuint (buf->height, ==, 48);
      g_assert_cmpint (buf->format == LB_PIXEL_RGB8, ==, color);
      g_assert_cmpint (buf->monochrome1, ==, g_str_equal (meta->photometric, "MONOCHROME1"));
      int lo = G_MAXINT, hi = G_MININT;
      for (guint y = 0; y < 48; y++)
        for (guint x = 0; x < 64; x++)
          for (guint s = 0; s < channels; s++)
            {
              int got = color ? buf->data[y * buf->stride + 3 * x + s] : gray_value (buf, x, y);
              int want = expected[f * per_frame + (y * 64 + x) * channels + s];
              worst = MAX (worst, ABS (got - want));
              lo = MIN (lo, got);
              hi = MAX (hi, got);
            }
      if (!color)
        {
          g_assert_cmpint (buf->min_value, ==, lo);
          g_assert_cmpint (buf->max_value, ==, hi);
        }
      if (f == 0)
        first = g_steal_pointer (&buf);
    }
  g_test_message ("%s: worst value error %d", c->name, worst);
  g_assert_cmpint (worst, <=, c->value_tol);

  /* A frame past the end is an error, not a crash. */
  g_autoptr (LbPixelBuffer) none = lb_dicom_object_decode_frame (obj, meta->number_of_frames, &error);
  g_assert_null (none);
  g_assert_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_NO_PIXELS);
  g_clear_error (&error);

  /* 2. Frame 0 against dcmtk's rendering of the same object. */
  g_autofree char *dcmtk_input = c->render_source
    ? g_strdup_printf ("%s/%s.dcm", tmpdir, c->source) : g_strdup (path);
  if (c->render_source)
    {
      /* The J2K object's source is its own uncompressed twin: rebuild it. */
      g_autofree char *twin = g_strdup_printf ("%s/%s-twin.dcm", tmpdir, c->name);
      const char *argv[] = { "/usr/bin/python3", "-c",
        "import sys, pydicom, numpy as np\n"
        "ds = pydicom.dcmread(sys.argv[1])\n"
        "raw = np.fromfile(sys.argv[2], '<i4')\n"
        "ds.file_meta.TransferSyntaxUID = pydicom.uid.ExplicitVRLittleEndian\n"
        "if ds.SamplesPerPixel == 3: ds.PhotometricInterpretation = 'RGB'\n"
        "ds.PixelData = raw.astype('<u2' if ds.BitsAllocated == 16 else 'u1').tobytes()\n"
        "ds['PixelData'].is_undefined_length = False\n"
        "ds.save_as(sys.argv[3], write_like_original=False)\n",
        dcmtk_input, raw_path, twin, NULL };
      lb_test_run (argv, NULL, NULL, TRUE);
      g_free (dcmtk_input);
      dcmtk_input = g_steal_pointer (&twin);
    }

  if (color)
    {
      g_autofree char *pnm_path = g_strdup_printf ("%s/%s.ppm", tmpdir, c->name);
      Pnm pnm;
      render_with_dcmtk (dcmtk_input, c->render_source ? ELE : c->ts, pnm_path, NULL, NULL);
      read_pnm (pnm_path, &pnm);
      g_assert_cmpuint (pnm.channels, ==, 3);
      int rworst = 0;
      for (guint y = 0; y < 48; y++)
        for (guint x = 0; x < 64 * 3; x++)
          rworst = MAX (rworst, ABS ((int) first->data[y * first->stride + x] - (int) pnm.data[y * 64 * 3 + x]));
      g_free (pnm.data);
      g_test_message ("%s: worst difference to dcmj2pnm %d", c->name, rworst);
      g_assert_cmpint (rworst, <=, c->render_tol);
      return;
    }

  /* Two windows: the whole stored range, and a narrow one an eighth of it
   * wide, which magnifies any error in the low bits. */
  double range_lo = meta->pixel_signed ? -(1 << (meta->bits_stored - 1)) : 0;
  double range = (double) (1 << meta->bits_stored);
  double windows[2][2] = {
    { range_lo + range / 2, range },
    { range_lo + range * 0.4, MAX (range / 8, 2) },
  };
  for (int wi = 0; wi < 2; wi++)
    {
      char cs[32], ws[32];
      g_ascii_formatd (cs, sizeof cs, "%.1f", windows[wi][0]);
      g_ascii_formatd (ws, sizeof ws, "%.1f", windows[wi][1]);
      g_autofree char *pnm_path = g_strdup_printf ("%s/%s-w%d.pgm", tmpdir, c->name, wi);
      Pnm pnm;
      render_with_dcmtk (dcmtk_input, c->render_source ? ELE : c->ts, pnm_path, cs, ws);
      read_pnm (pnm_path, &pnm);
      g_assert_cmpuint (pnm.channels, ==, 1);
      int rworst = 0;
      for (guint y = 0; y < 48; y++)
        for (guint x = 0; x < 64; x++)
          {
            int ours = window (gray_value (first, x, y), windows[wi][0], windows[wi][1]);
            if (first->monochrome1)
              ours = 255 - ours;
            rworst = MAX (rworst, ABS (ours - (int) pnm.data[y * 64 + x]));
          }
      g_free (pnm.data);
      g_test_message ("%s: window %s/%s worst difference to dcmj2pnm %d", c->name, cs, ws, rworst);
      g_assert_cmpint (rworst, <=, c->render_tol);
    }
}

/* Scaled previews: libjpeg-turbo's scaled IDCT for baseline JPEG is close to
 * a box average of the full decode; other syntaxes subsample exactly. */
static void
test_decode_scaled (void)
{
  g_autoptr (GError) error = NULL;
  const char *argv[] = { "dcmcjpeg", "+eb", NULL, NULL, NULL };
  g_autofree char *src = g_strdup_printf ("%s/rgb.dcm", tmpdir);
  g_autofree char *jpg = g_strdup_printf ("%s/scaled-jpb.dcm", tmpdir);
  argv[2] = src;
  argv[3] = jpg;
  lb_test_run (argv, NULL, NULL, TRUE);

  for (int k = 0; k < 2; k++)
    {
      g_autoptr (LbDicomObject) obj = lb_dicom_object_new_from_file (k ? src : jpg, NULL, &error);
      g_assert_no_error (error);
      g_autoptr (LbPixelBuffer) full = lb_dicom_object_decode_frame (obj, 1, &error);
      g_assert_no_error (error);
      for (guint d = 2; d <= 8; d *= 2)
        {
          g_autoptr (LbPixelBuffer) small = lb_dicom_object_decode_frame_scaled (obj, 1, d, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (small->scale_denom, ==, d);
          g_assert_cmpuint (small->width, ==, (64 + d - 1) / d);
          g_assert_cmpuint (small->height, ==, (48 + d - 1) / d);
          double worst = 0;
          for (guint y = 0; y < small->height; y++)
            for (guint x = 0; x < small->width; x++)
              for (guint s = 0; s < 3; s++)
                {
                  double want;
                  if (k == 0)
                    {
                      double sum = 0;
                      for (guint yy = 0; yy < d; yy++)
                        for (guint xx = 0; xx < d; xx++)
                          sum += full->data[(y * d + yy) * full->stride + (x * d + xx) * 3 + s];
                      want = sum / (d * d);
                    }
                  else
                    want = full->data[y * d * full->stride + x * d * 3 + s];
                  worst = MAX (worst, fabs (small->data[y * small->stride + x * 3 + s] - want));
                }
          g_test_message ("scale 1/%u (%s): worst %.1f", d, k ? "subsampled" : "IDCT", worst);
          /* The scaled IDCT keeps only the lowest DCT coefficients, which
           * is close to, not equal to, a box average (gradients plus noise). */
          if (k == 1)
            g_assert_cmpfloat (worst, ==, 0);
          else
            g_assert_cmpfloat (worst, <=, 16);
        }
    }
}

/* A TEM marker before the frame header made dcmtk 3.6.7's JPEG decoder
 * spin forever (found by fuzz-dicom): it is now a clear error. */
static void
test_decode_jpeg_tem_marker (void)
{
  g_autoptr (GError) error = NULL;
  const char *argv[] = { "dcmcjpeg", "+ee", NULL, NULL, NULL };
  g_autofree char *src = g_strdup_printf ("%s/gray12u-frames.dcm", tmpdir);
  g_autofree char *jpe = g_strdup_printf ("%s/tem-jpe.dcm", tmpdir);
  g_autofree char *bytes = NULL;
  gsize len = 0;
  guint patched = 0;

  argv[2] = src;
  argv[3] = jpe;
  lb_test_run (argv, NULL, NULL, TRUE);
  g_assert_true (g_file_get_contents (jpe, &bytes, &len, NULL));
  /* Every frame's SOI is followed by a marker; make the first one TEM. */
  for (gsize i = 0; i + 3 < len; i++)
    if ((guint8) bytes[i] == 0xff && (guint8) bytes[i + 1] == 0xd8 && (guint8) bytes[i + 2] == 0xff)
      {
        bytes[i + 3] = 0x01;
        patched++;
      }
  g_assert_cmpuint (patched, >, 0);

  g_autoptr (GBytes) data = g_bytes_new_take (g_steal_pointer (&bytes), len);
  g_autoptr (LbDicomObject) obj = lb_dicom_object_new_from_bytes (data, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (LbPixelBuffer) buf = lb_dicom_object_decode_frame (obj, 0, &error);
  g_assert_null (buf);
  g_assert_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "TEM"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  tmpdir = lb_test_make_tmpdir ();
  g_autofree char *script = lb_test_source_path ("dicom", "make-objects.py", NULL);
  const char *gen[] = { "/usr/bin/python3", script, tmpdir, NULL };
  lb_test_run (gen, NULL, NULL, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/dicom/decode/%s", cases[i].name);
      g_test_add_data_func (name, &cases[i], test_decode_case);
    }
  g_test_add_func ("/dicom/decode/scaled", test_decode_scaled);
  g_test_add_func ("/dicom/decode/jpeg-tem-marker", test_decode_jpeg_tem_marker);

  int rc = g_test_run ();
  lb_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return rc;
}
