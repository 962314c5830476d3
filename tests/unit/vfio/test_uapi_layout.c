// SPDX-License-Identifier: MIT
/*
 * test_uapi_layout.c - model/vfio/uapi.h against Linux 7.3's
 * include/uapi/linux/vfio.h: every struct's size and alignment, every
 * field's offset and size, every command number and constant listed in
 * uapi_fields.h (the rows of tests/unit/iommufd/uapi_rows.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vfio/uapi.h"
#include "uapi_rows.h"

#ifndef HAVE_KERNEL_UAPI
const struct uapi_row uapi_kernel_rows[1];
const size_t uapi_kernel_nrows;
#endif

/* include/uapi/linux/vfio.h: _IO(VFIO_TYPE, VFIO_BASE + 18), ';' = 0x3b */
static void bind_iommufd_is_io_3b_76(void **state)
{
	(void)state;
	assert_int_equal(0x3b76, VFIO_DEVICE_BIND_IOMMUFD);
	assert_int_equal(0x3b64, VFIO_GET_API_VERSION);
}

static void every_row_matches_the_kernel(void **state)
{
	unsigned int bad = 0;

	(void)state;
	if (!uapi_kernel_nrows) {
		print_message("no Linux 7.3 tree: layout not compared\n");
		skip();
	}
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bind_iommufd_is_io_3b_76),
		cmocka_unit_test(every_row_matches_the_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
