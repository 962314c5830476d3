// SPDX-License-Identifier: MIT
/* uapi_model.c - the rows of uapi_rows.h from the model's iommufd/uapi.h */
#include "iommufd/uapi.h"
#include "iommufd/iommufd_test.h"
#include "uapi_rows.h"

const struct uapi_row uapi_model_rows[] = {
#include "uapi_fields.h"
#include "selftest_fields.h"
};
const size_t uapi_model_nrows =
	sizeof(uapi_model_rows) / sizeof(uapi_model_rows[0]);
