// SPDX-License-Identifier: MIT
/*
 * test_uapi_layout.c - the model's iommufd/uapi.h is layout-compatible
 * with Linux 7.3's include/uapi/linux/iommufd.h: every struct's size and
 * alignment, every field's offset and size, every command number and
 * every enumerator, compared against the kernel's headers_install output
 * (uapi_kernel.c, built when CMake finds the 7.3 tree; otherwise these
 * tests are skipped, saying so).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "iommufd/uapi.h"
#include "uapi_rows.h"

#ifndef HAVE_KERNEL_UAPI
const struct uapi_row uapi_kernel_rows[1];
const size_t uapi_kernel_nrows;
const char *const uapi_kernel_structs[1];
const size_t uapi_kernel_nstructs;
#define SKIP_WITHOUT_TREE()                                                    \
	do {                                                                   \
		print_message("no Linux 7.3 tree (IOMMUSIM_LINUX_SRC): "       \
			      "layout not compared\n");                        \
		skip();                                                        \
	} while (0)
#else
#define SKIP_WITHOUT_TREE() ((void)0)
#endif

/* include/uapi/linux/iommufd.h: _IO(';', 0x95); ioctl type ';' is 0x3b */
static void noiommu_get_pa_is_io_3b_95(void **state)
{
	assert_int_equal(0x3b95, IOMMU_IOAS_NOIOMMU_GET_PA);
	assert_int_equal(0x3b80, IOMMU_DESTROY);
	assert_int_equal(0x95, IOMMUFD_IOC_NR(IOMMU_IOAS_NOIOMMU_GET_PA));
}

static void every_row_matches_the_kernel(void **state)
{
	unsigned int bad = 0;

	SKIP_WITHOUT_TREE();
	assert_int_equal(uapi_kernel_nrows, uapi_model_nrows);
	for (size_t i = 0; i < uapi_model_nrows; i++) {
		const struct uapi_row *k = &uapi_kernel_rows[i];
		const struct uapi_row *m = &uapi_model_rows[i];

		if (k->a == m->a && k->b == m->b)
			continue;
		print_error("%s: kernel %llu/%llu, model %llu/%llu\n", m->what,
			    k->a, k->b, m->a, m->b);
		bad++;
	}
	assert_int_equal(0, bad);
}

static bool modelled(const char *name)
{
	char want[128];

	snprintf(want, sizeof(want), "struct %s", name);
	for (size_t i = 0; i < uapi_model_nrows; i++) {
		if (!strcmp(uapi_model_rows[i].what, want))
			return true;
	}
	return false;
}

static void every_kernel_struct_is_modelled(void **state)
{
	unsigned int missing = 0;

	SKIP_WITHOUT_TREE();
	assert_true(uapi_kernel_nstructs > 30);
	for (size_t i = 0; i < uapi_kernel_nstructs; i++) {
		if (modelled(uapi_kernel_structs[i]))
			continue;
		print_error("struct %s: not in iommufd/uapi.h\n",
			    uapi_kernel_structs[i]);
		missing++;
	}
	assert_int_equal(0, missing);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(noiommu_get_pa_is_io_3b_95),
		cmocka_unit_test(every_row_matches_the_kernel),
		cmocka_unit_test(every_kernel_struct_is_modelled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
