// SPDX-License-Identifier: MIT
/*
 * uapi_kernel.c - the rows of uapi_fields.h from Linux 7.3's
 * include/uapi/linux/vfio.h as `make headers_install` exports it (the
 * install tests/unit/iommufd makes). Built only when the tree is at hand.
 */
#include <linux/vfio.h>

#include "uapi_rows.h"

const struct uapi_row uapi_kernel_rows[] = {
#include "uapi_fields.h"
};
const size_t uapi_kernel_nrows =
	sizeof(uapi_kernel_rows) / sizeof(uapi_kernel_rows[0]);
