/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-stow-result.h"

#include "lb-dicom-json.h"
#include "lb-net-error.h"

/* The Store Instances Response (PS3.18 10.5.3, Table 10.5.3-1): a dataset
 * whose ReferencedSOPSequence names what was stored and whose
 * FailedSOPSequence names what was refused, each with its reason. */

#define TAG_FAILURE_REASON          0x00081197
#define TAG_FAILED_SOP_SEQ          0x00081198
#define TAG_REFERENCED_SOP_SEQ      0x00081199
#define TAG_WARNING_REASON          0x00081196
#define TAG_REFERENCED_SOP_CLASS    0x00081150
#define TAG_REFERENCED_SOP_INSTANCE 0x00081155
#define TAG_RETRIEVE_URL            0x00081190

struct _LbStowResult
{
  gatomicrefcount ref_count;
  guint http_status;
  GPtrArray *items;
};

G_DEFINE_BOXED_TYPE (LbStowResult, lb_stow_result, lb_stow_result_ref, lb_stow_result_unref)

static void
item_free (gpointer data)
{
  LbStowItem *item = data;

  g_free (item->sop_class_uid);
  g_free (item->sop_instance_uid);
  g_free (item->retrieve_url);
  g_free (item);
}

LbStowResult *
lb_stow_result_ref (LbStowResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
lb_stow_result_unref (LbStowResult *self)
{
  g_return_if_fail (self != NULL);
  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_ptr_array_unref (self->items);
      g_free (self);
    }
}

static void
read_sequence (LbStowResult *self,
               JsonObject   *dataset,
               guint32       tag,
               LbStowStatus  status)
{
  JsonArray *items = lb_dicom_json_get_sequence (dataset, tag);

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *obj;
      LbStowItem *item;
      gint64 reason = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      obj = json_node_get_object (node);
      item = g_new0 (LbStowItem, 1);
      item->sop_class_uid = lb_dicom_json_get_string (obj, TAG_REFERENCED_SOP_CLASS);
      item->sop_instance_uid = lb_dicom_json_get_string (obj, TAG_REFERENCED_SOP_INSTANCE);
      item->retrieve_url = lb_dicom_json_get_string (obj, TAG_RETRIEVE_URL);
      item->status = status;
      if (status == LB_STOW_STATUS_FAILURE)
        lb_dicom_json_get_int (obj, TAG_FAILURE_REASON, &reason);
      else if (lb_dicom_json_get_int (obj, TAG_WARNING_REASON, &reason))
        item->status = LB_STOW_STATUS_WARNING;
      item->reason = (guint) CLAMP (reason, 0, G_MAXUINT16);
      g_ptr_array_add (self->items, item);
    }
}

/**
 * lb_stow_result_parse:
 * @http_status: the status of the STOW-RS response (200, 202 or 409)
 * @data: (array length=length) (nullable): the response body (DICOM JSON)
 * @length: its length
 * @error: return location for an %LB_NET_ERROR_BAD_RESPONSE error
 *
 * Reads the per-object outcome of a STOW-RS request. An empty body is an
 * empty result (some archives answer 200 with nothing).
 *
 * Returns: (transfer full) (nullable): the result
 */
LbStowResult *
lb_stow_result_parse (guint        http_status,
                      const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr (LbStowResult) self = g_new0 (LbStowResult, 1);
  g_autoptr (GPtrArray) datasets = NULL;

  g_atomic_ref_count_init (&self->ref_count);
  self->http_status = http_status;
  self->items = g_ptr_array_new_with_free_func (item_free);

  if (length == 0)
    return g_steal_pointer (&self);
  /* The response is one dataset; some archives wrap it in an array. */
  datasets = lb_dicom_json_parse_datasets (data, length, TRUE, error);
  if (datasets == NULL)
    return NULL;
  for (guint i = 0; i < datasets->len; i++)
    {
      read_sequence (self, datasets->pdata[i], TAG_REFERENCED_SOP_SEQ, LB_STOW_STATUS_SUCCESS);
      read_sequence (self, datasets->pdata[i], TAG_FAILED_SOP_SEQ, LB_STOW_STATUS_FAILURE);
    }
  return g_steal_pointer (&self);
}

guint
lb_stow_result_get_http_status (LbStowResult *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->http_status;
}

guint
lb_stow_result_get_n_items (LbStowResult *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->items->len;
}

const LbStowItem *
lb_stow_result_get_item (LbStowResult *self,
                         guint         index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->items->len, NULL);
  return self->items->pdata[index];
}

/**
 * lb_stow_result_lookup:
 * @self: a result
 * @sop_instance_uid: a SOP Instance UID that was sent
 *
 * Returns: (transfer none) (nullable): what the archive said about it, or
 *   %NULL if the response does not name it (which means "not stored")
 */
const LbStowItem *
lb_stow_result_lookup (LbStowResult *self,
                       const char   *sop_instance_uid)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (sop_instance_uid != NULL, NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      const LbStowItem *item = self->items->pdata[i];
      if (g_strcmp0 (item->sop_instance_uid, sop_instance_uid) == 0)
        return item;
    }
  return NULL;
}

const char *
lb_stow_status_to_string (LbStowStatus status)
{
  switch (status)
    {
    case LB_STOW_STATUS_SUCCESS: return "stored";
    case LB_STOW_STATUS_WARNING: return "stored-with-warning";
    case LB_STOW_STATUS_FAILURE: return "failed";
    default: return "unknown";
    }
}
