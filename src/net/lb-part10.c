/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-part10.h"

#include <string.h>

#include "lb-net-error.h"

/* Just enough of PS3.10 to name an outgoing object: the File Meta
 * Information (group 0002, always explicit VR little endian, PS3.10 7.1)
 * carries the Media Storage SOP Class and Instance UIDs. The full DICOM
 * core lives in src/dicom; the outbox only needs the key. */

static guint16
le16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static guint32
le32 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

static char *
uid_value (const guint8 *p, guint32 len)
{
  /* UIDs are padded with a trailing NUL to an even length. */
  while (len > 0 && (p[len - 1] == '\0' || p[len - 1] == ' '))
    len--;
  for (guint32 i = 0; i < len; i++)
    if (!g_ascii_isdigit (p[i]) && p[i] != '.')
      return NULL;
  return len > 0 && len <= 64 ? g_strndup ((const char *) p, len) : NULL;
}

/**
 * lb_part10_peek_uids:
 * @object: a DICOM Part-10 file
 * @sop_class_uid: (out) (optional) (transfer full): Media Storage SOP Class UID
 * @sop_instance_uid: (out) (optional) (transfer full): Media Storage SOP Instance UID
 * @error: return location for an %LB_NET_ERROR_BAD_RESPONSE error
 *
 * Returns: %TRUE if @object is a Part-10 file naming its SOP Instance UID
 */
gboolean
lb_part10_peek_uids (GBytes   *object,
                     char    **sop_class_uid,
                     char    **sop_instance_uid,
                     GError  **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (object, &len);
  g_autofree char *cls = NULL;
  g_autofree char *inst = NULL;
  gsize pos = 132;

  if (data == NULL || len < 132 || memcmp (data + 128, "DICM", 4) != 0)
    {
      g_set_error_literal (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                           "Not a DICOM file (no DICM prefix)");
      return FALSE;
    }
  while (pos + 8 <= len && le16 (data + pos) == 0x0002)
    {
      guint16 element = le16 (data + pos + 2);
      const guint8 *vr = data + pos + 4;
      guint32 vlen;

      if (memcmp (vr, "OB", 2) == 0 || memcmp (vr, "OW", 2) == 0 || memcmp (vr, "UN", 2) == 0 ||
          memcmp (vr, "SQ", 2) == 0 || memcmp (vr, "UT", 2) == 0 || memcmp (vr, "OF", 2) == 0)
        {
          if (pos + 12 > len)
            break;
          vlen = le32 (data + pos + 8);
          pos += 12;
        }
      else
        {
          vlen = le16 (data + pos + 6);
          pos += 8;
        }
      if (vlen > len - pos)
        break;
      if (element == 0x0002)
        cls = uid_value (data + pos, vlen);
      else if (element == 0x0003)
        inst = uid_value (data + pos, vlen);
      pos += vlen;
    }
  if (inst == NULL)
    {
      g_set_error_literal (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                           "The DICOM file does not name its SOP Instance UID in its meta header");
      return FALSE;
    }
  if (sop_class_uid != NULL)
    *sop_class_uid = g_steal_pointer (&cls);
  if (sop_instance_uid != NULL)
    *sop_instance_uid = g_steal_pointer (&inst);
  return TRUE;
}
