// SPDX-License-Identifier: MIT
/*
 * test_object.c - the id table (model/object.h) behaves as iommufd's
 * XA_FLAGS_ALLOC1 xarray and object lifetime do (iommufd/main.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fault.h"
#include "object.h"

enum { T_A = 1, T_B = 2 };

static int setup(void **state)
{
	struct obj_table *t = g_new0(struct obj_table, 1);

	obj_table_init(t, OBJ_ID_MAX_31B, NULL);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct obj_table *t = *state;

	assert_int_equal(0, obj_ids_taken(t)); /* nothing leaked */
	obj_table_release(t);
	g_free(t);
	return 0;
}

static void ids_start_at_one_lowest_free_first(void **state)
{
	struct obj_table *t = *state;
	struct obj_header a, b, c, d, *out;

	assert_int_equal(0, obj_reserve(t, &a, T_A));
	assert_int_equal(0, obj_reserve(t, &b, T_A));
	assert_int_equal(0, obj_reserve(t, &c, T_B));
	assert_int_equal(1, a.id);
	assert_int_equal(2, b.id);
	assert_int_equal(3, c.id);
	obj_publish(t, &a);
	obj_publish(t, &b);
	obj_publish(t, &c);
	assert_int_equal(0, obj_remove(t, 2, &out));
	assert_ptr_equal(&b, out);
	assert_int_equal(0, obj_reserve(t, &d, T_B));
	assert_int_equal(2, d.id); /* the hole is reused */
	obj_abort(t, &d);
	assert_int_equal(0, obj_remove(t, 1, &out));
	assert_int_equal(0, obj_remove(t, 3, &out));
}

static void
reserved_object_is_invisible_and_abort_consumes_nothing(void **state)
{
	struct obj_table *t = *state;
	struct obj_header a, b;

	assert_int_equal(0, obj_reserve(t, &a, T_A));
	assert_null(obj_get(t, a.id, OBJ_ANY));
	assert_null(obj_peek(t, a.id));
	assert_int_equal(1, obj_ids_taken(t));
	obj_abort(t, &a);
	assert_int_equal(0, obj_ids_taken(t));
	assert_int_equal(0, obj_reserve(t, &b, T_A));
	assert_int_equal(1, b.id);
	obj_abort(t, &b);
}

static void lookup_of_missing_or_wrong_type_is_null(void **state)
{
	struct obj_table *t = *state;
	struct obj_header a, *out;

	assert_int_equal(0, obj_reserve(t, &a, T_A));
	obj_publish(t, &a);
	assert_null(obj_get(t, 7, OBJ_ANY));
	assert_null(obj_get(t, 0, OBJ_ANY));
	assert_null(obj_get(t, a.id, T_B));
	assert_ptr_equal(&a, obj_get(t, a.id, T_A));
	assert_int_equal(2, a.users);
	obj_put(&a);
	assert_ptr_equal(&a, obj_get(t, a.id, OBJ_ANY));
	obj_put(&a);
	assert_int_equal(0, obj_remove(t, a.id, &out));
}

static void remove_while_in_use_is_ebusy_and_changes_nothing(void **state)
{
	struct obj_table *t = *state;
	struct obj_header a, *out = NULL;

	assert_int_equal(0, obj_reserve(t, &a, T_A));
	obj_publish(t, &a);
	obj_users_inc(&a);
	assert_int_equal(-EBUSY, obj_remove(t, a.id, &out));
	assert_null(out);
	assert_int_equal(2, a.users);
	assert_ptr_equal(&a, obj_peek(t, a.id));
	obj_users_dec(&a);
	assert_int_equal(0, obj_remove(t, a.id, &out));
	assert_int_equal(-ENOENT, obj_remove(t, a.id, &out));
}

static void remove_of_reserved_id_is_enoent(void **state)
{
	struct obj_table *t = *state;
	struct obj_header a, *out;

	assert_int_equal(0, obj_reserve(t, &a, T_A));
	assert_int_equal(-ENOENT, obj_remove(t, a.id, &out));
	obj_abort(t, &a);
}

static void full_table_is_ebusy(void **state)
{
	struct obj_table small;
	struct obj_header a, b, c, *out;

	obj_table_init(&small, 2, NULL);
	assert_int_equal(0, obj_reserve(&small, &a, T_A));
	assert_int_equal(0, obj_reserve(&small, &b, T_A));
	assert_int_equal(-EBUSY, obj_reserve(&small, &c, T_A));
	obj_publish(&small, &a);
	obj_abort(&small, &b);
	assert_int_equal(0, obj_remove(&small, a.id, &out));
	assert_int_equal(0, obj_ids_taken(&small));
	obj_table_release(&small);
}

static void injected_failure_hits_the_nth_reservation_once(void **state)
{
	struct fault_attr f = { 0 };
	struct obj_table t;
	struct obj_header a, b, c;

	obj_table_init(&t, OBJ_ID_MAX_31B, &f);
	fault_arm(&f, 2);
	assert_int_equal(0, obj_reserve(&t, &a, T_A));
	assert_int_equal(-ENOMEM, obj_reserve(&t, &b, T_A));
	assert_string_equal("obj_reserve", f.hit);
	assert_int_equal(1, obj_ids_taken(&t)); /* the failure took no id */
	assert_int_equal(0, obj_reserve(&t, &c, T_A));
	assert_int_equal(2, c.id);
	obj_abort(&t, &c);
	obj_abort(&t, &a);
	obj_table_release(&t);
}

/* fault_arm_site() (failslab function=): only a call at that site fails,
 * once, beside the nth knob, which keeps counting */
static void site_armed_failure_hits_that_site_once(void **state)
{
	struct fault_attr f = { 0 };

	fault_arm(&f, 3);
	fault_arm_site(&f, "dev_set_name");
	assert_false(fault_should_fail(&f, "obj_reserve"));
	assert_true(fault_should_fail(&f, "dev_set_name"));
	assert_string_equal("dev_set_name", f.hit);
	assert_false(fault_should_fail(&f, "dev_set_name"));
	assert_true(fault_should_fail(&f, "obj_reserve")); /* the 3rd */
	assert_string_equal("obj_reserve", f.hit);
	assert_false(fault_should_fail(&f, "obj_reserve"));
}

static void iteration_is_in_id_order_over_published(void **state)
{
	struct obj_table *t = *state;
	struct obj_header a, b, c, *out;

	assert_int_equal(0, obj_reserve(t, &a, T_A));
	assert_int_equal(0, obj_reserve(t, &b, T_A));
	assert_int_equal(0, obj_reserve(t, &c, T_A));
	obj_publish(t, &a);
	obj_publish(t, &c);
	assert_int_equal(1, obj_next_id(t, 0));
	assert_int_equal(3, obj_next_id(t, 1));
	assert_int_equal(0, obj_next_id(t, 3));
	obj_abort(t, &b);
	assert_int_equal(0, obj_remove(t, 1, &out));
	assert_int_equal(0, obj_remove(t, 3, &out));
}

/* A reused id gets a new serial: the old (id, serial) stays dead. */
static void stale_serial_misses_the_object_that_reused_the_id(void **state)
{
	struct obj_table *t = *state;
	struct obj_header a, b, *out;
	uint64_t old;

	assert_int_equal(0, obj_reserve(t, &a, T_A));
	obj_publish(t, &a);
	old = a.serial;
	assert_ptr_equal(&a, obj_peek_serial(t, a.id, old));
	assert_int_equal(0, obj_remove(t, a.id, &out));
	assert_int_equal(0, obj_reserve(t, &b, T_A));
	obj_publish(t, &b);
	assert_int_equal(a.id, b.id);
	assert_true(b.serial > old);
	assert_null(obj_peek_serial(t, b.id, old));
	assert_ptr_equal(&b, obj_peek_serial(t, b.id, b.serial));
	assert_int_equal(0, obj_remove(t, b.id, &out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(ids_start_at_one_lowest_free_first),
		T(reserved_object_is_invisible_and_abort_consumes_nothing),
		T(lookup_of_missing_or_wrong_type_is_null),
		T(remove_while_in_use_is_ebusy_and_changes_nothing),
		T(remove_of_reserved_id_is_enoent),
		T(full_table_is_ebusy),
		T(injected_failure_hits_the_nth_reservation_once),
		T(site_armed_failure_hits_that_site_once),
		T(iteration_is_in_id_order_over_published),
		T(stale_serial_misses_the_object_that_reused_the_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
