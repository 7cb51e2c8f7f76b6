/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "lb-multipart-reader.h"

/* libFuzzer target: the streaming multipart/related parser. The first
 * input byte picks how the rest is split into network reads, so that
 * every buffering path is exercised; limits are small to reach them. */
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr (LbMultipartReader) reader = NULL;
  LbMultipartLimits limits;
  gsize chunk;
  GBytes *part;

  if (size < 1)
    return 0;
  chunk = (data[0] % 64) + 1;
  data++;
  size--;

  lb_multipart_limits_init_default (&limits);
  limits.max_parts = 64;
  limits.max_part_bytes = 4096;
  limits.max_header_bytes = 512;
  limits.max_total_bytes = 65536;
  reader = lb_multipart_reader_new ("multipart/related; type=\"application/dicom\"; boundary=XbX", &limits, NULL);
  for (gsize off = 0; off < size; off += chunk)
    {
      if (!lb_multipart_reader_feed (reader, data + off, MIN (chunk, size - off), NULL))
        return 0;
      while ((part = lb_multipart_reader_pop_part (reader, NULL)) != NULL)
        {
          g_assert (g_bytes_get_size (part) <= limits.max_part_bytes);
          g_bytes_unref (part);
        }
    }
  lb_multipart_reader_close (reader, NULL);
  return 0;
}
