/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Helpers for the code that writes new objects (key object documents,
 * presentation states): UIDs, dcmtk status checks, Part-10 encoding.
 */
#include "lb-dicom-private.h"

#include <dcmtk/dcmdata/dcuid.h>

#include <stdexcept>

namespace lb {

const char *const default_uid_root = "1.2.826.0.1.3680043.10.1379";

const char *
nz (const char *s)
{
  return s != nullptr ? s : "";
}

std::string
make_uid (const char *root)
{
  char buf[100];
  dcmGenerateUniqueIdentifier (buf, root != nullptr && root[0] != '\0' ? root : default_uid_root);
  return buf;
}

void
check (OFCondition cond, const char *what)
{
  if (cond.bad ())
    throw std::runtime_error (std::string (what) + ": " + cond.text ());
}

GBytes *
encode_part10 (DcmFileFormat &file)
{
  check (file.validateMetaInfo (EXS_LittleEndianExplicit), "meta header");
  file.transferInit ();
  Uint32 length = file.calcElementLength (EXS_LittleEndianExplicit, EET_ExplicitLength) + 1024;
  std::vector<char> buf (length);
  DcmOutputBufferStream out (buf.data (), length);
  file.transferInit ();
  check (file.write (out, EXS_LittleEndianExplicit, EET_ExplicitLength, nullptr), "encode");
  file.transferEnd ();
  void *data = nullptr;
  offile_off_t written = 0;
  out.flushBuffer (data, written);
  return g_bytes_new (data, (gsize) written);
}

} // namespace lb
