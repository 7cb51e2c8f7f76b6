/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-image-item.h"

#include <glib/gi18n.h>
#include <string.h>

/* One image of a study in the thumbnail strip: the parsed object and, once
 * a worker thread has made it, a small texture. */
struct _LbImageItem
{
  GObject parent_instance;

  LbDicomObject *object;
  GdkTexture *texture;
  char *label;
};

G_DEFINE_FINAL_TYPE (LbImageItem, lb_image_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TEXTURE,
  PROP_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define THUMB_SIZE 160

static void
lb_image_item_finalize (GObject *object)
{
  LbImageItem *self = LB_IMAGE_ITEM (object);

  g_clear_pointer (&self->object, lb_dicom_object_unref);
  g_clear_object (&self->texture);
  g_free (self->label);

  G_OBJECT_CLASS (lb_image_item_parent_class)->finalize (object);
}

static void
lb_image_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbImageItem *self = LB_IMAGE_ITEM (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_image_item_class_init (LbImageItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lb_image_item_finalize;
  object_class->get_property = lb_image_item_get_property;

  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL, GDK_TYPE_TEXTURE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_image_item_init (LbImageItem *self)
{
}

LbImageItem *
lb_image_item_new (LbDicomObject *object)
{
  LbImageItem *self;
  const LbDicomMeta *meta;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (LB_TYPE_IMAGE_ITEM, NULL);
  self->object = lb_dicom_object_ref (object);
  meta = lb_dicom_object_get_meta (object);
  /* "Image 2 · L lower leg" — enough to tell the thumbnails apart. */
  if (meta->body_part[0] != '\0')
    self->label = g_strdup_printf (_("Image %d · %s%s%s"), meta->instance_number,
                                   meta->laterality, meta->laterality[0] ? " " : "",
                                   meta->body_part);
  else
    self->label = g_strdup_printf (_("Image %d"), meta->instance_number);
  return self;
}

LbDicomObject *
lb_image_item_get_object (LbImageItem *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_ITEM (self), NULL);
  return self->object;
}

GdkTexture *
lb_image_item_get_texture (LbImageItem *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_ITEM (self), NULL);
  return self->texture;
}

const char *
lb_image_item_get_label (LbImageItem *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_ITEM (self), NULL);
  return self->label;
}

/* Scaled decode, then 8-bit RGB: grayscale stretched over the values
 * present (a thumbnail needs no clinical window). */
static GBytes *
make_thumbnail_pixels (LbDicomObject *object, guint *out_w, guint *out_h, GError **error)
{
  const LbDicomMeta *meta = lb_dicom_object_get_meta (object);
  guint longest = MAX (meta->rows, meta->columns);
  guint denom = longest >= 8 * THUMB_SIZE ? 8 : longest >= 4 * THUMB_SIZE ? 4 : longest >= 2 * THUMB_SIZE ? 2 : 1;
  g_autoptr (LbPixelBuffer) buf = lb_dicom_object_decode_frame_scaled (object, 0, denom, error);
  guint step, w, h;
  guint8 *out;
  int range;

  if (buf == NULL)
    return NULL;
  step = MAX (1, (MAX (buf->width, buf->height) + THUMB_SIZE - 1) / THUMB_SIZE);
  w = MAX (1, buf->width / step);
  h = MAX (1, buf->height / step);
  out = g_malloc ((gsize) w * h * 3);
  range = MAX (1, buf->max_value - buf->min_value);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        const guint8 *row = buf->data + (gsize) (y * step) * buf->stride;
        guint8 *p = out + ((gsize) y * w + x) * 3;
        int v;

        switch (buf->format)
          {
          case LB_PIXEL_RGB8:
            memcpy (p, row + 3 * (x * step), 3);
            continue;
          case LB_PIXEL_GRAY8:
            v = row[x * step];
            break;
          case LB_PIXEL_GRAY16U:
            v = ((const guint16 *) row)[x * step];
            break;
          case LB_PIXEL_GRAY16S:
          default:
            v = ((const gint16 *) row)[x * step];
            break;
          }
        v = 255 * (v - buf->min_value) / range;
        if (buf->monochrome1)
          v = 255 - v;
        p[0] = p[1] = p[2] = (guint8) CLAMP (v, 0, 255);
      }
  *out_w = w;
  *out_h = h;
  return g_bytes_new_take (out, (gsize) w * h * 3);
}

typedef struct {
  GBytes *pixels;
  guint width, height;
} Thumb;

static void
thumb_free (Thumb *t)
{
  g_bytes_unref (t->pixels);
  g_free (t);
}

static void
thumbnail_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LbDicomObject *object = task_data;
  g_autoptr (GError) error = NULL;
  Thumb *t = g_new0 (Thumb, 1);

  t->pixels = make_thumbnail_pixels (object, &t->width, &t->height, &error);
  if (t->pixels == NULL)
    {
      g_free (t);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, t, (GDestroyNotify) thumb_free);
}

static void
thumbnail_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LbImageItem *self = LB_IMAGE_ITEM (source);
  g_autoptr (GError) error = NULL;
  Thumb *t = g_task_propagate_pointer (G_TASK (result), &error);

  if (t == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("No thumbnail for an image: %s", error->message);
      return;
    }
  g_clear_object (&self->texture);
  self->texture = gdk_memory_texture_new (t->width, t->height, GDK_MEMORY_R8G8B8,
                                          t->pixels, (gsize) t->width * 3);
  thumb_free (t);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
}

void
lb_image_item_load_thumbnail (LbImageItem  *self,
                              GCancellable *cancellable)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (LB_IS_IMAGE_ITEM (self));

  if (self->texture != NULL)
    return;
  task = g_task_new (self, cancellable, thumbnail_done_cb, NULL);
  g_task_set_task_data (task, lb_dicom_object_ref (self->object), (GDestroyNotify) lb_dicom_object_unref);
  g_task_run_in_thread (task, thumbnail_thread);
}
