// SPDX-License-Identifier: MIT
/*
 * Modelled physical memory: table pages from the table region, zeroed and
 * counted; sparse byte-addressable data memory below it.
 */
#include "pt_test.h"

static int setup_mem(void **state)
{
	*state = physmem_new();
	return 0;
}

/* Every table page handed out was handed back before physmem_free() */
static int teardown_mem(void **state)
{
	struct physmem *mem = *state;

	assert_int_equal(0, table_pages(mem));
	physmem_free(mem);
	return 0;
}

static void alloc_gives_zeroed_pages_from_table_base_upwards(void **state)
{
	struct physmem *mem = *state;
	u64 a, b;
	u64 *p;

	assert_int_equal(0, physmem_alloc_table(mem, &a));
	assert_int_equal(0, physmem_alloc_table(mem, &b));
	assert_int_equal(PHYSMEM_TABLE_BASE, a);
	assert_int_equal(PHYSMEM_TABLE_BASE + 0x1000, b);
	p = physmem_table_ptr(mem, a);
	p[7] = 0xdead;
	physmem_free_table(mem, a);
	assert_int_equal(0, physmem_alloc_table(mem, &a));
	assert_int_equal(PHYSMEM_TABLE_BASE, a);
	assert_int_equal(0, p[7]);
	physmem_free_table(mem, a);
	physmem_free_table(mem, b);
}

static void stats_count_pages_in_use_and_peak(void **state)
{
	struct physmem *mem = *state;
	struct physmem_stats st;
	u64 pa[600];
	int i;

	for (i = 0; i < 600; i++)
		assert_int_equal(0, physmem_alloc_table(mem, &pa[i]));
	for (i = 0; i < 600; i++)
		physmem_free_table(mem, pa[i]);
	physmem_get_stats(mem, &st);
	assert_int_equal(0, st.table_pages);
	assert_int_equal(600, st.table_pages_peak);
	assert_int_equal(600, st.table_allocs);
	assert_int_equal(600, st.table_frees);
	assert_int_equal(2 * (2 << 20), st.arena_bytes);
	/* the second chunk starts 2 MiB above the first */
	assert_int_equal(PHYSMEM_TABLE_BASE + (2 << 20), pa[512]);
}

static void injected_failure_hits_only_the_nth_allocation(void **state)
{
	struct physmem *mem = *state;
	u64 a, b;

	physmem_inject_table_alloc_failure(mem, 2);
	assert_int_equal(0, physmem_alloc_table(mem, &a));
	assert_int_equal(-ENOMEM, physmem_alloc_table(mem, &b));
	assert_int_equal(0, physmem_alloc_table(mem, &b));
	physmem_free_table(mem, a);
	physmem_free_table(mem, b);
}

static void data_reads_zero_until_written_across_frames(void **state)
{
	struct physmem *mem = *state;
	struct physmem_stats st;
	char buf[16] = "unchanged", out[16];

	assert_int_equal(0, physmem_read(mem, 0x1234, out, sizeof(out)));
	assert_int_equal(0, out[0] | out[15]);
	physmem_get_stats(mem, &st);
	assert_int_equal(0, st.data_frames);
	assert_int_equal(0, physmem_write(mem, 0x1ff8, buf, sizeof(buf)));
	assert_int_equal(0, physmem_read(mem, 0x1ff8, out, sizeof(out)));
	assert_memory_equal(buf, out, sizeof(buf));
	physmem_get_stats(mem, &st);
	assert_int_equal(2, st.data_frames);
}

static void table_region_refuses_writes_and_unbacked_reads(void **state)
{
	struct physmem *mem = *state;
	u64 pa, val = 1;

	assert_int_equal(-EFAULT, physmem_read(mem, PHYSMEM_TABLE_BASE, &val,
					       sizeof(val)));
	assert_int_equal(0, physmem_alloc_table(mem, &pa));
	assert_int_equal(0, physmem_read_u64(mem, pa + 8, &val));
	assert_int_equal(0, val);
	assert_int_equal(-EFAULT, physmem_write(mem, pa, &val, sizeof(val)));
	assert_int_equal(-EFAULT,
			 physmem_write(mem, pa - 4, &val, sizeof(val)));
	physmem_free_table(mem, pa);
}

static void addresses_beyond_52_bits_are_einval(void **state)
{
	struct physmem *mem = *state;
	char c = 0;

	assert_int_equal(-EINVAL, physmem_read(mem, PHYSMEM_PA_END, &c, 1));
	assert_int_equal(-EINVAL,
			 physmem_write(mem, PHYSMEM_PA_END - 1, "ab", 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_mem, teardown_mem)
		T(alloc_gives_zeroed_pages_from_table_base_upwards),
		T(stats_count_pages_in_use_and_peak),
		T(injected_failure_hits_only_the_nth_allocation),
		T(data_reads_zero_until_written_across_frames),
		T(table_region_refuses_writes_and_unbacked_reads),
		T(addresses_beyond_52_bits_are_einval),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
