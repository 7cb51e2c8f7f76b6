/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-multipart-reader.h"

#include <string.h>

#define TYPE "multipart/related; type=\"application/dicom\"; boundary=\"b0und\""

static const char body[] =
  "preamble junk\r\n"
  "--b0und\r\n"
  "Content-Type: application/dicom\r\n"
  "Content-Location: /x\r\n"
  "\r\n"
  "first\r\n--b0un not yet\r\n"
  "--b0und  \r\n"
  "content-type: application/octet-stream\r\n"
  "\r\n"
  "\r\n"
  "--b0und\r\n"
  "\r\n"
  "third\r\n"
  "--b0und--\r\n"
  "epilogue --b0und\r\n";

static GPtrArray *
parse_in_chunks (const char *data,
                 gsize       length,
                 gsize       chunk,
                 GPtrArray  *types,
                 GError    **error)
{
  g_autoptr (LbMultipartReader) reader = lb_multipart_reader_new (TYPE, NULL, error);
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GBytes *part;
  char *type;

  g_assert_nonnull (reader);
  for (gsize off = 0; off < length; off += chunk)
    {
      if (!lb_multipart_reader_feed (reader, (const guint8 *) data + off, MIN (chunk, length - off), error))
        return NULL;
      while ((part = lb_multipart_reader_pop_part (reader, &type)) != NULL)
        {
          g_ptr_array_add (parts, part);
          if (types != NULL)
            g_ptr_array_add (types, type);
          else
            g_free (type);
        }
    }
  if (!lb_multipart_reader_close (reader, error))
    return NULL;
  return g_steal_pointer (&parts);
}

static void
assert_part (GPtrArray *parts, guint i, const char *expected)
{
  gsize len;
  const char *data = g_bytes_get_data (parts->pdata[i], &len);

  g_assert_cmpmem (data, len, expected, strlen (expected));
}

/* Every way of splitting the body into network reads gives the same parts. */
static void
test_parts_any_split (void)
{
  for (gsize chunk = 1; chunk <= sizeof body; chunk++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) types = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GPtrArray) parts = parse_in_chunks (body, sizeof body - 1, chunk, types, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (parts->len, ==, 3);
      assert_part (parts, 0, "first\r\n--b0un not yet");
      assert_part (parts, 1, "");
      assert_part (parts, 2, "third");
      g_assert_cmpstr (types->pdata[0], ==, "application/dicom");
      g_assert_cmpstr (types->pdata[1], ==, "application/octet-stream");
      g_assert_null (types->pdata[2]);
    }
}

static void
test_content_types (void)
{
  const char *bad[] = {
    NULL, "", "application/dicom+json", "multipart/related", "multipart/related; boundary=",
    "multipart/related; boundary=\"\"",
    "multipart/related; boundary=0123456789012345678901234567890123456789012345678901234567890123456789X",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (LbMultipartReader) reader = lb_multipart_reader_new (bad[i], NULL, &error);

      g_assert_null (reader);
      g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE);
    }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (LbMultipartReader) reader =
      lb_multipart_reader_new ("Multipart/Related ; Boundary=abc ; type=\"application/dicom\"", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (lb_multipart_reader_get_boundary (reader), ==, "abc");
    g_assert_cmpstr (lb_multipart_reader_get_part_type (reader), ==, "application/dicom");
  }
}

static void
expect_error (const char *data, const LbMultipartLimits *limits, int code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LbMultipartReader) reader = lb_multipart_reader_new (TYPE, limits, &error);
  gboolean ok;

  g_assert_no_error (error);
  ok = lb_multipart_reader_feed (reader, (const guint8 *) data, strlen (data), &error) &&
       lb_multipart_reader_close (reader, &error);
  g_assert_false (ok);
  g_assert_error (error, LB_NET_ERROR, code);
}

static void
test_malformed (void)
{
  /* truncated in the middle of a part */
  expect_error ("--b0und\r\n\r\nhalf a part", NULL, LB_NET_ERROR_BAD_RESPONSE);
  /* truncated in the headers */
  expect_error ("--b0und\r\nContent-Type: appl", NULL, LB_NET_ERROR_BAD_RESPONSE);
  /* a different boundary than announced */
  expect_error ("--other\r\n\r\nx\r\n--other--\r\n", NULL, LB_NET_ERROR_BAD_RESPONSE);
  /* the announced boundary as a prefix of a longer line */
  expect_error ("--b0undXY\r\n\r\nx\r\n--b0und--\r\n", NULL, LB_NET_ERROR_BAD_RESPONSE);
  /* empty body */
  expect_error ("", NULL, LB_NET_ERROR_BAD_RESPONSE);
}

static void
test_limits (void)
{
  LbMultipartLimits limits;

  lb_multipart_limits_init_default (&limits);
  limits.max_parts = 2;
  expect_error (body, &limits, LB_NET_ERROR_TOO_LARGE);

  lb_multipart_limits_init_default (&limits);
  limits.max_part_bytes = 4;
  expect_error (body, &limits, LB_NET_ERROR_TOO_LARGE);

  lb_multipart_limits_init_default (&limits);
  limits.max_header_bytes = 20;
  expect_error (body, &limits, LB_NET_ERROR_TOO_LARGE);

  lb_multipart_limits_init_default (&limits);
  limits.max_total_bytes = 50;
  expect_error (body, &limits, LB_NET_ERROR_TOO_LARGE);

  /* a part that never ends is refused once it passes the limit, without
   * waiting for the end of the body */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (LbMultipartReader) reader = NULL;
    g_autofree char *junk = g_strnfill (1000, 'x');
    gboolean ok = TRUE;

    lb_multipart_limits_init_default (&limits);
    limits.max_part_bytes = 10000;
    reader = lb_multipart_reader_new (TYPE, &limits, &error);
    ok = lb_multipart_reader_feed (reader, (const guint8 *) "--b0und\r\n\r\n", 11, &error);
    for (guint i = 0; ok && i < 100; i++)
      ok = lb_multipart_reader_feed (reader, (const guint8 *) junk, 1000, &error);
    g_assert_false (ok);
    g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE);
  }
}

static void
next_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_stream (void)
{
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_data (body, sizeof body - 1, NULL);
  g_autoptr (LbMultipartReader) reader = lb_multipart_reader_new (TYPE, NULL, NULL);
  guint n = 0;

  for (;;)
    {
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) part = NULL;
      g_autofree char *type = NULL;

      lb_multipart_reader_next_part_async (reader, stream, NULL, next_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      part = lb_multipart_reader_next_part_finish (reader, result, &type, &error);
      g_assert_no_error (error);
      if (part == NULL)
        break;
      n++;
      if (n == 1)
        g_assert_cmpstr (type, ==, "application/dicom");
    }
  g_assert_cmpuint (n, ==, 3);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/multipart/any-split", test_parts_any_split);
  g_test_add_func ("/net/multipart/content-types", test_content_types);
  g_test_add_func ("/net/multipart/malformed", test_malformed);
  g_test_add_func ("/net/multipart/limits", test_limits);
  g_test_add_func ("/net/multipart/stream", test_stream);
  return g_test_run ();
}
