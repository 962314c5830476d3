/* SPDX-License-Identifier: MIT */
/*
 * uapi_rows.h - one row per fact of the iommufd uapi (a struct's size and
 * alignment, a field's offset and size, a command's number, an
 * enumerator's value), produced from uapi_fields.h by uapi_model.c (the
 * model's header) and uapi_kernel.c (the kernel's, when built).
 */
#ifndef IOMMUSIM_TESTS_UAPI_ROWS_H
#define IOMMUSIM_TESTS_UAPI_ROWS_H

#include <stddef.h>

struct uapi_row {
	const char
		*what; /* "struct iommu_ioas_map", "iommu_ioas_map.iova", ... */
	unsigned long long a; /* size / offset / value */
	unsigned long long b; /* alignment / field size / 0 */
};

#define UAPI_ROWS_OF(hdr)                                                      \
	{ "struct " #hdr, sizeof(struct hdr), _Alignof(struct hdr) },
#define UAPI_FIELD_ROW(s, f)                                                   \
	{ #s "." #f, offsetof(struct s, f), sizeof(((struct s *)0)->f) },
#define UAPI_VALUE_ROW(name) { #name, (unsigned long long)(name), 0 },

#define UAPI_STRUCT(s) UAPI_ROWS_OF(s)
#define UAPI_FIELD(s, f) UAPI_FIELD_ROW(s, f)
#define UAPI_CMD(c) UAPI_VALUE_ROW(c)
#define UAPI_CONST(c) UAPI_VALUE_ROW(c)

extern const struct uapi_row uapi_model_rows[];
extern const size_t uapi_model_nrows;
extern const struct uapi_row uapi_kernel_rows[];
extern const size_t uapi_kernel_nrows;
/* The struct names the kernel header declares (configure-time list). */
extern const char *const uapi_kernel_structs[];
extern const size_t uapi_kernel_nstructs;

#endif
