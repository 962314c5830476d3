// SPDX-License-Identifier: MIT
/* uapi_model.c - the rows of uapi_fields.h from model/vfio/uapi.h */
#include "vfio/uapi.h"
#include "uapi_rows.h"

const struct uapi_row uapi_model_rows[] = {
#include "uapi_fields.h"
};
const size_t uapi_model_nrows =
	sizeof(uapi_model_rows) / sizeof(uapi_model_rows[0]);
