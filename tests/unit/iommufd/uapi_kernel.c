// SPDX-License-Identifier: MIT
/*
 * uapi_kernel.c - the rows of uapi_rows.h from Linux 7.3's
 * include/uapi/linux/iommufd.h as `make headers_install` exports it, and
 * the struct names that header declares (uapi_kernel_structs.h, listed
 * by CMake when it configures). Built only when the tree is at hand.
 */
#include <linux/iommufd.h>
/* drivers/iommu/iommufd/, on the include path: not a uapi header */
#include "iommufd_test.h"

#include "uapi_rows.h"

const struct uapi_row uapi_kernel_rows[] = {
#include "uapi_fields.h"
#include "selftest_fields.h"
};
const size_t uapi_kernel_nrows =
	sizeof(uapi_kernel_rows) / sizeof(uapi_kernel_rows[0]);

const char *const uapi_kernel_structs[] = {
#include "uapi_kernel_structs.h"
};
const size_t uapi_kernel_nstructs =
	sizeof(uapi_kernel_structs) / sizeof(uapi_kernel_structs[0]);
