/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-multipart-reader.h"

#include <string.h>

/* A streaming parser for multipart/related bodies (RFC 2387 over the RFC
 * 2046 §5.1 syntax), as WADO-RS sends instances and frames (PS3.18 8.7.3).
 *
 * Bytes are pushed in as they come off the network; complete parts are
 * queued. Only the part being received is held in memory, and every buffer
 * is bounded by LbMultipartLimits, so a hostile archive cannot make us
 * allocate more than the limits allow. */

#define READ_CHUNK (256 * 1024)

typedef enum {
  STATE_PREAMBLE,    /* looking for the first delimiter */
  STATE_AFTER_DELIM, /* just past "--boundary": "--" ends, CRLF starts a part */
  STATE_HEADERS,
  STATE_BODY,
  STATE_EPILOGUE,    /* after the close delimiter: ignored */
} State;

typedef struct {
  GBytes *body;
  char *content_type;
} Part;

struct _LbMultipartReader
{
  GObject parent_instance;

  LbMultipartLimits limits;
  char *boundary;
  char *part_type;
  char *delim;          /* "\r\n--" boundary */
  gsize delim_len;

  GByteArray *buf;
  gsize scanned;        /* bytes of buf already searched without a match */
  State state;
  char *cur_type;
  guint n_parts;
  guint64 total;
  gboolean eof;
  GQueue parts;
};

G_DEFINE_FINAL_TYPE (LbMultipartReader, lb_multipart_reader, G_TYPE_OBJECT)

/**
 * lb_multipart_limits_init_default:
 * @limits: the limits to fill
 *
 * Defaults sized for patient photos and small clips: 10,000 parts, 1 GiB a
 * part, 4 GiB a body, 16 KiB of headers per part.
 */
void
lb_multipart_limits_init_default (LbMultipartLimits *limits)
{
  g_return_if_fail (limits != NULL);
  limits->max_parts = 10000;
  limits->max_part_bytes = G_GUINT64_CONSTANT (1) << 30;
  limits->max_total_bytes = G_GUINT64_CONSTANT (4) << 30;
  limits->max_header_bytes = 16 * 1024;
}

static void
part_free (gpointer data)
{
  Part *part = data;

  g_bytes_unref (part->body);
  g_free (part->content_type);
  g_free (part);
}

static void
lb_multipart_reader_finalize (GObject *object)
{
  LbMultipartReader *self = LB_MULTIPART_READER (object);

  g_queue_clear_full (&self->parts, part_free);
  g_clear_pointer (&self->buf, g_byte_array_unref);
  g_free (self->boundary);
  g_free (self->part_type);
  g_free (self->delim);
  g_free (self->cur_type);

  G_OBJECT_CLASS (lb_multipart_reader_parent_class)->finalize (object);
}

static void
lb_multipart_reader_class_init (LbMultipartReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_multipart_reader_finalize;
}

static void
lb_multipart_reader_init (LbMultipartReader *self)
{
  g_queue_init (&self->parts);
}

static const char *
skip_ws (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/**
 * lb_content_type_parse:
 * @value: a Content-Type header value
 * @params: (out) (optional) (transfer full): parameter names (lower case)
 *   to values, unquoted
 *
 * Returns: (transfer full) (nullable): the media type in lower case, or
 *   %NULL when @value is not a media type at all
 */
char *
lb_content_type_parse (const char  *value,
                       GHashTable **params)
{
  g_autoptr (GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *p;
  const char *semi;
  g_autofree char *type = NULL;

  if (value == NULL)
    return NULL;
  semi = strchr (value, ';');
  type = semi ? g_strndup (value, semi - value) : g_strdup (value);
  g_strstrip (type);
  if (type[0] == '\0' || strchr (type, '/') == NULL)
    return NULL;

  p = semi;
  while (p != NULL && *p == ';')
    {
      const char *eq;
      const char *name_end;
      g_autofree char *name = NULL;
      g_autoptr (GString) val = g_string_new (NULL);

      p = skip_ws (p + 1);
      eq = p;
      while (*eq != '\0' && *eq != '=' && *eq != ';')
        eq++;
      name_end = eq;
      while (name_end > p && (name_end[-1] == ' ' || name_end[-1] == '\t'))
        name_end--;
      name = g_ascii_strdown (p, name_end - p);
      if (*eq != '=')
        {
          p = *eq == ';' ? eq : NULL;
          continue;
        }
      p = skip_ws (eq + 1);
      if (*p == '"')
        {
          /* quoted-string (RFC 9110 §5.6.4), with backslash escapes */
          for (p++; *p != '\0' && *p != '"'; p++)
            {
              if (*p == '\\' && p[1] != '\0')
                p++;
              g_string_append_c (val, *p);
            }
          if (*p == '"')
            p++;
          p = strchr (p, ';');
        }
      else
        {
          const char *end = p;
          while (*end != '\0' && *end != ';')
            end++;
          g_string_append_len (val, p, end - p);
          while (val->len > 0 && (val->str[val->len - 1] == ' ' || val->str[val->len - 1] == '\t'))
            g_string_truncate (val, val->len - 1);
          p = *end == ';' ? end : NULL;
        }
      if (name[0] != '\0')
        g_hash_table_replace (table, g_steal_pointer (&name), g_string_free (g_steal_pointer (&val), FALSE));
    }

  if (params != NULL)
    *params = g_steal_pointer (&table);
  return g_ascii_strdown (type, -1);
}

/**
 * lb_multipart_reader_new:
 * @content_type: the reply's Content-Type, which must be multipart/related
 *   with a boundary
 * @limits: (nullable): limits, or %NULL for the defaults
 * @error: return location for an %LB_NET_ERROR_BAD_RESPONSE error
 *
 * Returns: (transfer full) (nullable): a reader for one body
 */
LbMultipartReader *
lb_multipart_reader_new (const char               *content_type,
                         const LbMultipartLimits  *limits,
                         GError                  **error)
{
  g_autoptr (GHashTable) params = NULL;
  g_autofree char *type = lb_content_type_parse (content_type, &params);
  LbMultipartReader *self;
  const char *boundary;
  gsize blen;

  if (type == NULL || g_strcmp0 (type, "multipart/related") != 0)
    {
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                   "Expected a multipart/related reply, got “%s”",
                   type ? type : "no content type");
      return NULL;
    }
  boundary = g_hash_table_lookup (params, "boundary");
  blen = boundary ? strlen (boundary) : 0;
  /* RFC 2046 §5.1.1: 1 to 70 characters. */
  if (blen == 0 || blen > 70)
    {
      g_set_error_literal (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                           "The multipart reply has no usable boundary");
      return NULL;
    }

  self = g_object_new (LB_TYPE_MULTIPART_READER, NULL);
  if (limits != NULL)
    self->limits = *limits;
  else
    lb_multipart_limits_init_default (&self->limits);
  self->boundary = g_strdup (boundary);
  self->part_type = g_strdup (g_hash_table_lookup (params, "type"));
  self->delim = g_strconcat ("\r\n--", boundary, NULL);
  self->delim_len = strlen (self->delim);
  /* Pretend a CRLF came first so the opening delimiter, which may sit at
   * the very start of the body, matches the same pattern as all others. */
  self->buf = g_byte_array_new ();
  g_byte_array_append (self->buf, (const guint8 *) "\r\n", 2);
  self->state = STATE_PREAMBLE;
  return self;
}

const char *
lb_multipart_reader_get_boundary (LbMultipartReader *self)
{
  g_return_val_if_fail (LB_IS_MULTIPART_READER (self), NULL);
  return self->boundary;
}

/* The "type" parameter of the body's Content-Type, e.g. application/dicom. */
const char *
lb_multipart_reader_get_part_type (LbMultipartReader *self)
{
  g_return_val_if_fail (LB_IS_MULTIPART_READER (self), NULL);
  return self->part_type;
}

static void
parse_headers (LbMultipartReader *self,
               const char        *block,
               gsize              length)
{
  g_autofree char *text = g_strndup (block, length);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  g_clear_pointer (&self->cur_type, g_free);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');

      if (colon == NULL)
        continue;
      *colon = '\0';
      g_strstrip (lines[i]);
      if (g_ascii_strcasecmp (lines[i], "Content-Type") == 0)
        {
          g_free (self->cur_type);
          self->cur_type = g_strstrip (g_strdup (colon + 1));
        }
    }
}

static const guint8 *
find (const GByteArray *buf,
      gsize             from,
      const char       *needle,
      gsize             needle_len)
{
  if (from >= buf->len)
    return NULL;
  return memmem (buf->data + from, buf->len - from, needle, needle_len);
}

/* Runs the state machine over the buffered bytes as far as it can. */
static gboolean
process (LbMultipartReader  *self,
         GError            **error)
{
  for (;;)
    {
      GByteArray *buf = self->buf;

      switch (self->state)
        {
        case STATE_PREAMBLE:
        case STATE_BODY:
          {
            gsize from = self->scanned >= self->delim_len ? self->scanned - self->delim_len + 1 : 0;
            const guint8 *hit = find (buf, from, self->delim, self->delim_len);
            gsize pos;

            if (hit == NULL)
              {
                self->scanned = buf->len;
                if (self->state == STATE_PREAMBLE)
                  {
                    /* The preamble is junk: keep only a possible partial delimiter. */
                    if (buf->len > self->delim_len)
                      {
                        g_byte_array_remove_range (buf, 0, buf->len - self->delim_len);
                        self->scanned = buf->len;
                      }
                  }
                else if (buf->len > self->limits.max_part_bytes + self->delim_len)
                  {
                    g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE,
                                 "A part of the reply is larger than %" G_GUINT64_FORMAT " bytes",
                                 self->limits.max_part_bytes);
                    return FALSE;
                  }
                return TRUE;
              }
            pos = hit - buf->data;
            if (self->state == STATE_BODY)
              {
                GByteArray *rest = g_byte_array_sized_new (MAX (buf->len - pos - self->delim_len, 4096));
                Part *part = g_new0 (Part, 1);

                if (pos > self->limits.max_part_bytes)
                  {
                    g_byte_array_unref (rest);
                    g_free (part);
                    g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE,
                                 "A part of the reply is larger than %" G_GUINT64_FORMAT " bytes",
                                 self->limits.max_part_bytes);
                    return FALSE;
                  }
                /* Hand the buffer itself over as the part (no copy) and
                 * carry the bytes after the delimiter into a new one. */
                g_byte_array_append (rest, buf->data + pos + self->delim_len,
                                     buf->len - pos - self->delim_len);
                g_byte_array_set_size (buf, pos);
                part->body = g_byte_array_free_to_bytes (buf);
                part->content_type = g_steal_pointer (&self->cur_type);
                g_queue_push_tail (&self->parts, part);
                self->buf = rest;
              }
            else
              g_byte_array_remove_range (buf, 0, pos + self->delim_len);
            self->scanned = 0;
            self->state = STATE_AFTER_DELIM;
          }
          break;

        case STATE_AFTER_DELIM:
          {
            const guint8 *lf;
            gsize i = 0;

            if (buf->len < 2)
              return TRUE;
            if (buf->data[0] == '-' && buf->data[1] == '-')
              {
                self->state = STATE_EPILOGUE;
                g_byte_array_set_size (buf, 0);
                return TRUE;
              }
            /* Transport padding (RFC 2046 §5.1.1) then the line end. */
            lf = memchr (buf->data, '\n', buf->len);
            if (lf == NULL)
              {
                if (buf->len > self->limits.max_header_bytes)
                  goto bad_delimiter;
                return TRUE;
              }
            for (; buf->data + i < lf; i++)
              if (buf->data[i] != ' ' && buf->data[i] != '\t' && buf->data[i] != '\r')
                goto bad_delimiter;
            g_byte_array_remove_range (buf, 0, lf - buf->data + 1);
            self->state = STATE_HEADERS;
          }
          break;

        case STATE_HEADERS:
          {
            const guint8 *end;
            gsize hlen, skip;

            if (buf->len >= 2 && buf->data[0] == '\r' && buf->data[1] == '\n')
              hlen = 0, skip = 2;
            else if (buf->len >= 1 && buf->data[0] == '\n')
              hlen = 0, skip = 1;
            else if ((end = find (buf, 0, "\r\n\r\n", 4)) != NULL)
              hlen = end - buf->data, skip = hlen + 4;
            else if ((end = find (buf, 0, "\n\n", 2)) != NULL)
              hlen = end - buf->data, skip = hlen + 2;
            else
              {
                if (buf->len > self->limits.max_header_bytes)
                  {
                    g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE,
                                 "The headers of a part are larger than %" G_GSIZE_FORMAT " bytes",
                                 self->limits.max_header_bytes);
                    return FALSE;
                  }
                return TRUE;
              }
            if (hlen > self->limits.max_header_bytes)
              {
                g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE,
                             "The headers of a part are larger than %" G_GSIZE_FORMAT " bytes",
                             self->limits.max_header_bytes);
                return FALSE;
              }
            if (self->n_parts >= self->limits.max_parts)
              {
                g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE,
                             "The reply has more than %u parts", self->limits.max_parts);
                return FALSE;
              }
            /* A valid body always continues with at least a delimiter;
             * wait for enough bytes to tell an empty part apart. */
            if (buf->len < skip + self->delim_len - 2)
              return TRUE;
            self->n_parts++;
            parse_headers (self, (const char *) buf->data, hlen);
            g_byte_array_remove_range (buf, 0, skip);
            self->scanned = 0;
            self->state = STATE_BODY;
            /* In an empty part the delimiter's own CRLF was taken as the
             * end of the header block: put it back. */
            if (memcmp (buf->data, self->delim + 2, self->delim_len - 2) == 0)
              g_byte_array_prepend (buf, (const guint8 *) "\r\n", 2);
          }
          break;

        case STATE_EPILOGUE:
          g_byte_array_set_size (buf, 0);
          return TRUE;
        }
    }

bad_delimiter:
  g_set_error_literal (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                       "The multipart reply has a malformed boundary line");
  return FALSE;
}

/**
 * lb_multipart_reader_feed:
 * @self: a reader
 * @data: (array length=length): the next bytes of the body
 * @length: how many
 * @error: return location for an %LB_NET_ERROR
 *
 * Parses @data; complete parts become available from
 * lb_multipart_reader_pop_part().
 *
 * Returns: %FALSE (with @error set) when the body is malformed or too large
 */
gboolean
lb_multipart_reader_feed (LbMultipartReader  *self,
                          const guint8       *data,
                          gsize               length,
                          GError            **error)
{
  g_return_val_if_fail (LB_IS_MULTIPART_READER (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  self->total += length;
  if (self->total > self->limits.max_total_bytes)
    {
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE,
                   "The reply is larger than %" G_GUINT64_FORMAT " bytes",
                   self->limits.max_total_bytes);
      return FALSE;
    }
  if (self->state == STATE_EPILOGUE || length == 0)
    return TRUE;
  g_byte_array_append (self->buf, data, length);
  return process (self, error);
}

/**
 * lb_multipart_reader_pop_part:
 * @self: a reader
 * @content_type: (out) (optional) (transfer full) (nullable): the part's
 *   Content-Type header, if it had one
 *
 * Returns: (transfer full) (nullable): the next complete part, or %NULL
 */
GBytes *
lb_multipart_reader_pop_part (LbMultipartReader  *self,
                              char              **content_type)
{
  Part *part;
  GBytes *body;

  g_return_val_if_fail (LB_IS_MULTIPART_READER (self), NULL);

  part = g_queue_pop_head (&self->parts);
  if (part == NULL)
    return NULL;
  body = g_steal_pointer (&part->body);
  if (content_type != NULL)
    *content_type = g_steal_pointer (&part->content_type);
  part_free (part);
  return body;
}

/**
 * lb_multipart_reader_close:
 * @self: a reader
 * @error: return location for an %LB_NET_ERROR_BAD_RESPONSE error
 *
 * Declares the end of the body.
 *
 * Returns: %FALSE if the body ended before its close delimiter (a
 *   truncated reply, or one whose boundary is not the announced one)
 */
gboolean
lb_multipart_reader_close (LbMultipartReader  *self,
                           GError            **error)
{
  g_return_val_if_fail (LB_IS_MULTIPART_READER (self), FALSE);

  self->eof = TRUE;
  if (self->state == STATE_EPILOGUE)
    return TRUE;
  if (self->state == STATE_PREAMBLE)
    g_set_error_literal (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                         "The multipart reply does not contain the boundary its Content-Type announces");
  else
    g_set_error_literal (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                         "The multipart reply was cut off before its last part ended");
  return FALSE;
}

static void read_more (GTask *task);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  LbMultipartReader *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  char *type = NULL;
  GBytes *part;

  if (chunk == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_TIMEOUT,
                                 "The archive stopped sending in the middle of a reply");
      else
        g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                                 "The reply was cut off: %s", error->message);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      if (!lb_multipart_reader_close (self, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  else if (!lb_multipart_reader_feed (self, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  part = lb_multipart_reader_pop_part (self, &type);
  if (part != NULL)
    {
      g_object_set_data_full (G_OBJECT (task), "content-type", type, g_free);
      g_task_return_pointer (task, part, (GDestroyNotify) g_bytes_unref);
    }
  else if (self->eof || self->state == STATE_EPILOGUE)
    g_task_return_pointer (task, NULL, NULL);
  else
    read_more (g_steal_pointer (&task));
}

static void
read_more (GTask *task)
{
  GInputStream *stream = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
}

/**
 * lb_multipart_reader_next_part_async:
 * @self: a reader
 * @stream: the body
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the next part
 * @user_data: data for @callback
 *
 * Reads from @stream until one more part is complete (or the body ends).
 */
void
lb_multipart_reader_next_part_async (LbMultipartReader    *self,
                                     GInputStream         *stream,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_autoptr (GTask) task = NULL;
  char *type = NULL;
  GBytes *part;

  g_return_if_fail (LB_IS_MULTIPART_READER (self));
  g_return_if_fail (G_IS_INPUT_STREAM (stream));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_multipart_reader_next_part_async);
  g_task_set_task_data (task, g_object_ref (stream), g_object_unref);

  part = lb_multipart_reader_pop_part (self, &type);
  if (part != NULL)
    {
      g_object_set_data_full (G_OBJECT (task), "content-type", type, g_free);
      g_task_return_pointer (task, part, (GDestroyNotify) g_bytes_unref);
    }
  else if (self->eof || self->state == STATE_EPILOGUE)
    g_task_return_pointer (task, NULL, NULL);
  else
    read_more (g_steal_pointer (&task));
}

/**
 * lb_multipart_reader_next_part_finish:
 * @self: a reader
 * @result: the result
 * @content_type: (out) (optional) (transfer full) (nullable): the part's type
 * @error: return location for an %LB_NET_ERROR
 *
 * Returns: (transfer full) (nullable): the next part, or %NULL with @error
 *   unset at the end of the body
 */
GBytes *
lb_multipart_reader_next_part_finish (LbMultipartReader  *self,
                                      GAsyncResult       *result,
                                      char              **content_type,
                                      GError            **error)
{
  GBytes *part;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  part = g_task_propagate_pointer (G_TASK (result), error);
  if (content_type != NULL)
    *content_type = part ? g_strdup (g_object_get_data (G_OBJECT (result), "content-type")) : NULL;
  return part;
}
