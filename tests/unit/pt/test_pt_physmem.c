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
	p = physmem_table_ptr_mut(mem, a);
	p[7] = 0xdead;
	physmem_free_table(mem, a);
	assert_null(physmem_table_ptr(mem, a));
	assert_int_equal(0, physmem_alloc_table(mem, &a));
	assert_int_equal(PHYSMEM_TABLE_BASE, a);
	p = physmem_table_ptr_mut(mem, a);
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
	assert_int_equal(600, st.table_pas);
	assert_int_equal(0, st.used_bytes);
	assert_int_equal(600 * PHYSMEM_PAGE_SIZE, st.peak_bytes);
	assert_int_equal(PHYSMEM_TABLE_BASE + 599 * 0x1000, pa[599]);
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
	assert_int_equal(0, st.data_extents);
	assert_int_equal(0, physmem_write(mem, 0x1ff8, buf, sizeof(buf)));
	assert_int_equal(0, physmem_read(mem, 0x1ff8, out, sizeof(out)));
	assert_memory_equal(buf, out, sizeof(buf));
	physmem_get_stats(mem, &st);
	assert_int_equal(1, st.data_extents);
	assert_int_equal(sizeof(buf), st.data_bytes);
}

static void freed_table_pa_is_reused_most_recently_freed_first(void **state)
{
	struct physmem *mem = *state;
	u64 a, b, c, pa;

	assert_int_equal(0, physmem_alloc_table(mem, &a));
	assert_int_equal(0, physmem_alloc_table(mem, &b));
	assert_int_equal(0, physmem_alloc_table(mem, &c));
	physmem_free_table(mem, b);
	physmem_free_table(mem, a);
	assert_int_equal(0, physmem_alloc_table(mem, &pa));
	assert_int_equal(a, pa);
	assert_int_equal(0, physmem_alloc_table(mem, &pa));
	assert_int_equal(b, pa);
	/* none free: the next fresh PA above every one handed out */
	assert_int_equal(0, physmem_alloc_table(mem, &pa));
	assert_int_equal(PHYSMEM_TABLE_BASE + 3 * 0x1000, pa);
	physmem_free_table(mem, pa);
	physmem_free_table(mem, a);
	physmem_free_table(mem, b);
	physmem_free_table(mem, c);
}

static u64 used_bytes(struct physmem *mem)
{
	struct physmem_stats st;

	physmem_get_stats(mem, &st);
	return st.used_bytes;
}

static void
table_pages_past_the_limit_are_enomem_until_one_is_freed(void **state)
{
	struct physmem *mem = *state;
	u64 a, b, c;

	physmem_set_limit(mem, 2 * PHYSMEM_PAGE_SIZE);
	assert_int_equal(2 * PHYSMEM_PAGE_SIZE, physmem_limit(mem));
	assert_int_equal(0, physmem_alloc_table(mem, &a));
	assert_int_equal(0, physmem_alloc_table(mem, &b));
	assert_int_equal(-ENOMEM, physmem_alloc_table(mem, &c));
	assert_int_equal(2 * PHYSMEM_PAGE_SIZE, used_bytes(mem));
	physmem_free_table(mem, a);
	assert_int_equal(0, physmem_alloc_table(mem, &c));
	assert_int_equal(a, c);
	physmem_free_table(mem, b);
	physmem_free_table(mem, c);
	physmem_set_limit(mem, 0);
	assert_int_equal(PHYSMEM_DEFAULT_LIMIT, physmem_limit(mem));
}

static void pattern_write_costs_one_extent_whatever_its_length(void **state)
{
	struct physmem *mem = *state;
	u64 len = 64ULL << 20;
	u8 *buf = malloc(len), out[3];
	struct physmem_stats st;

	memset(buf, 0x5a, len);
	assert_int_equal(0, physmem_write(mem, 0x100000000ULL, buf, len));
	free(buf);
	physmem_get_stats(mem, &st);
	assert_int_equal(1, st.data_extents);
	assert_int_equal(0, st.data_bytes);
	assert_int_equal(PHYSMEM_EXTENT_COST, st.used_bytes);
	assert_int_equal(0, physmem_read(mem, 0x100000000ULL + len - 2, out,
					 sizeof(out)));
	assert_int_equal(0x5a, out[0]);
	assert_int_equal(0x5a, out[1]);
	assert_int_equal(0, out[2]);
}

static void overwrite_splits_then_merges_equal_runs(void **state)
{
	struct physmem *mem = *state;
	u8 ones[0x3000], twos[0x1000], out[0x3000];
	struct physmem_stats st;

	memset(ones, 0x11, sizeof(ones));
	memset(twos, 0x22, sizeof(twos));
	assert_int_equal(0, physmem_write(mem, 0x10000, ones, sizeof(ones)));
	assert_int_equal(0, physmem_write(mem, 0x11000, twos, sizeof(twos)));
	physmem_get_stats(mem, &st);
	assert_int_equal(3, st.data_extents);
	assert_int_equal(0, physmem_read(mem, 0x10000, out, sizeof(out)));
	assert_int_equal(0x11, out[0xfff]);
	assert_int_equal(0x22, out[0x1000]);
	assert_int_equal(0x22, out[0x1fff]);
	assert_int_equal(0x11, out[0x2000]);
	assert_int_equal(0, physmem_write(mem, 0x11000, ones, sizeof(twos)));
	physmem_get_stats(mem, &st);
	assert_int_equal(1, st.data_extents);
	assert_int_equal(PHYSMEM_EXTENT_COST, st.used_bytes);
}

static void writing_zeros_returns_data_memory_to_baseline(void **state)
{
	struct physmem *mem = *state;
	char text[] = "bytes that are not one value", zeros[64] = { 0 };

	assert_int_equal(0, physmem_write(mem, 0x7000, text, sizeof(text)));
	assert_int_equal(PHYSMEM_EXTENT_COST + sizeof(text), used_bytes(mem));
	assert_int_equal(0, physmem_write(mem, 0x6ff0, zeros, sizeof(zeros)));
	assert_int_equal(0, used_bytes(mem));
}

static void write_past_the_limit_is_enomem_and_changes_nothing(void **state)
{
	struct physmem *mem = *state;
	char text[] = "bytes that are not one value", out[sizeof(text)];

	assert_int_equal(0, physmem_write(mem, 0x7000, "xy", 2));
	physmem_set_limit(mem, used_bytes(mem) + sizeof(text));
	assert_int_equal(-ENOMEM,
			 physmem_write(mem, 0x7001, text, sizeof(text)));
	assert_int_equal(0, physmem_read(mem, 0x7000, out, sizeof(out)));
	assert_int_equal('x', out[0]);
	assert_int_equal('y', out[1]);
	assert_int_equal(0, out[2]);
	assert_int_equal(PHYSMEM_EXTENT_COST + 2, used_bytes(mem));
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

/* A copy shares its original's table pages until one of them writes:
 * the writer gets its own page, the other keeps its bytes, and freeing a
 * shared page in one leaves it readable in the other. */
static void copy_shares_table_pages_until_one_writes(void **state)
{
	struct physmem *mem = *state, *cp;
	u64 a, b;

	assert_int_equal(0, physmem_alloc_table(mem, &a));
	assert_int_equal(0, physmem_alloc_table(mem, &b));
	((u64 *)physmem_table_ptr_mut(mem, a))[3] = 0x1111;
	cp = physmem_copy(mem);
	assert_non_null(cp);
	assert_ptr_equal(physmem_table_ptr(mem, a), physmem_table_ptr(cp, a));
	((u64 *)physmem_table_ptr_mut(cp, a))[3] = 0x2222;
	assert_ptr_not_equal(physmem_table_ptr(mem, a),
			     physmem_table_ptr(cp, a));
	assert_int_equal(0x1111, ((const u64 *)physmem_table_ptr(mem, a))[3]);
	assert_int_equal(0x2222, ((const u64 *)physmem_table_ptr(cp, a))[3]);
	/* the original writes a page the copy shares: the copy keeps it */
	((u64 *)physmem_table_ptr_mut(mem, b))[0] = 0x3333;
	assert_int_equal(0, ((const u64 *)physmem_table_ptr(cp, b))[0]);
	physmem_free_table(cp, b);
	assert_null(physmem_table_ptr(cp, b));
	assert_int_equal(0x3333, ((const u64 *)physmem_table_ptr(mem, b))[0]);
	physmem_free_table(cp, a);
	physmem_free(cp);
	assert_int_equal(0x1111, ((const u64 *)physmem_table_ptr(mem, a))[3]);
	physmem_free_table(mem, a);
	physmem_free_table(mem, b);
}

/* __get_free_pages(order 1): two zeroed pages at PHYSMEM_KPAGE_BASE, the
 * next run naturally aligned above them, a freed run handed out again;
 * readable, not writable by the CPU; charged to the budget */
static void kernel_pages_are_aligned_runs_of_their_own(void **state)
{
	struct physmem *mem = *state;
	u64 a, b, c, word = 1, left;

	assert_int_equal(0, physmem_alloc_kpages(mem, 1, &a));
	assert_int_equal(PHYSMEM_KPAGE_BASE, a);
	assert_int_equal(0, physmem_alloc_kpages(mem, 0, &b));
	assert_int_equal(PHYSMEM_KPAGE_BASE + 0x2000, b);
	assert_int_equal(3 * PHYSMEM_PAGE_SIZE, used_bytes(mem));
	assert_int_equal(0, physmem_read(mem, a + 0x1ff8, &word, 8));
	assert_int_equal(0, word);
	assert_int_equal(-EFAULT, physmem_write(mem, a, &word, 8));
	assert_int_equal(-EFAULT, physmem_read(mem, b + 0x1000, &word, 8));
	assert_non_null(physmem_kpages_ptr(mem, a + 0x1000, &left));
	assert_int_equal(0x1000, left);
	physmem_free_kpages(mem, a);
	assert_int_equal(0, physmem_alloc_kpages(mem, 0, &c));
	assert_int_equal(a, c); /* the lowest free run */
	physmem_free_kpages(mem, b);
	physmem_free_kpages(mem, c);
	/* past MAX_PAGE_ORDER (10): refused, nothing charged */
	assert_int_equal(-ENOMEM, physmem_alloc_kpages(mem, 11, &c));
	assert_int_equal(0, used_bytes(mem));
	assert_int_equal(0, table_pages(mem));
}

/* A copy has the kernel pages at the same PAs with the same bytes,
 * shared until one writes (physmem_kpages_ptr_mut()), and hands out the
 * same PA next */
static void copy_shares_kernel_pages_until_one_writes(void **state)
{
	struct physmem *mem = *state, *cp;
	u64 pa, next_a, next_b, left, word = 0;
	u32 *p;

	assert_int_equal(0, physmem_alloc_kpages(mem, 1, &pa));
	p = physmem_kpages_ptr_mut(mem, pa, &left);
	assert_int_equal(0x2000, left);
	*p = 0xdeadbeef;
	cp = physmem_copy(mem);
	assert_ptr_equal(physmem_kpages_ptr(mem, pa, &left),
			 physmem_kpages_ptr(cp, pa, &left));
	*(u32 *)physmem_kpages_ptr_mut(cp, pa, &left) = 0x1234;
	assert_int_equal(0, physmem_read(mem, pa, &word, 4));
	assert_int_equal(0xdeadbeef, word);
	assert_int_equal(0, physmem_read(cp, pa, &word, 4));
	assert_int_equal(0x1234, word);
	assert_int_equal(0, physmem_alloc_kpages(mem, 0, &next_a));
	assert_int_equal(0, physmem_alloc_kpages(cp, 0, &next_b));
	assert_int_equal(next_a, next_b);
	physmem_free(cp);
	assert_int_equal(0, physmem_read(mem, pa, &word, 4));
	assert_int_equal(0xdeadbeef, word);
	physmem_free_kpages(mem, next_a);
	physmem_free_kpages(mem, pa);
}

/* The contents hash reads memory, not its extents: bytes written in two
 * pieces (two extents) hash as the same bytes written at once (one) */
static void contents_hash_ignores_how_bytes_were_cut(void **state)
{
	struct physmem *mem = *state, *other = physmem_new();
	const u8 abcd[] = { 'a', 'b', 'c', 'd' };
	struct physmem_stats s1, s2;

	assert_int_equal(0, physmem_write(mem, 0x1000, abcd, 2));
	assert_int_equal(0, physmem_write(mem, 0x1002, abcd + 2, 2));
	assert_int_equal(0, physmem_write(other, 0x1000, abcd, 4));
	physmem_get_stats(mem, &s1);
	physmem_get_stats(other, &s2);
	assert_int_equal(2, s1.data_extents); /* cut differently... */
	assert_int_equal(1, s2.data_extents);
	assert_true(physmem_contents_hash(mem) == /* ...read alike */
		    physmem_contents_hash(other));
	physmem_free(other);
}

/* A zero written is memory never written; any byte that reads otherwise
 * tells two memories apart, and the cached hash follows each write */
static void contents_hash_tells_apart_what_reads_differently(void **state)
{
	struct physmem *mem = *state;
	u64 empty = physmem_contents_hash(mem), one, two;
	const u8 z[8] = { 0 }, x = 0x5a;

	assert_int_equal(0, physmem_write(mem, 0x2000, z, sizeof(z)));
	assert_true(empty == physmem_contents_hash(mem));
	assert_int_equal(0, physmem_write(mem, 0x2003, &x, 1));
	one = physmem_contents_hash(mem);
	assert_true(one != empty);
	assert_int_equal(0, physmem_write(mem, 0x2004, &x, 1));
	two = physmem_contents_hash(mem);
	assert_true(two != one); /* one byte more of the same value */
	assert_int_equal(0, physmem_write(mem, 0x2003, z, 2));
	assert_true(empty == physmem_contents_hash(mem));
}

/* A kernel page's bytes are memory's contents too, and a copy hashes as
 * its original until one of them writes */
static void contents_hash_covers_kernel_pages_and_copies(void **state)
{
	struct physmem *mem = *state, *cp;
	u64 pa, left, before;

	assert_int_equal(0, physmem_alloc_kpages(mem, 0, &pa));
	before = physmem_contents_hash(mem);
	*(u32 *)physmem_kpages_ptr_mut(mem, pa, &left) = 0x1234;
	assert_true(before != physmem_contents_hash(mem));
	cp = physmem_copy(mem);
	assert_true(physmem_contents_hash(cp) == physmem_contents_hash(mem));
	*(u32 *)physmem_kpages_ptr_mut(cp, pa, &left) = 0;
	assert_true(physmem_contents_hash(cp) == before);
	assert_true(physmem_contents_hash(mem) != before);
	physmem_free(cp);
	physmem_free_kpages(mem, pa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_mem, teardown_mem)
		T(alloc_gives_zeroed_pages_from_table_base_upwards),
		T(stats_count_pages_in_use_and_peak),
		T(injected_failure_hits_only_the_nth_allocation),
		T(data_reads_zero_until_written_across_frames),
		T(freed_table_pa_is_reused_most_recently_freed_first),
		T(table_pages_past_the_limit_are_enomem_until_one_is_freed),
		T(pattern_write_costs_one_extent_whatever_its_length),
		T(overwrite_splits_then_merges_equal_runs),
		T(writing_zeros_returns_data_memory_to_baseline),
		T(write_past_the_limit_is_enomem_and_changes_nothing),
		T(table_region_refuses_writes_and_unbacked_reads),
		T(addresses_beyond_52_bits_are_einval),
		T(copy_shares_table_pages_until_one_writes),
		T(kernel_pages_are_aligned_runs_of_their_own),
		T(copy_shares_kernel_pages_until_one_writes),
		T(contents_hash_ignores_how_bytes_were_cut),
		T(contents_hash_tells_apart_what_reads_differently),
		T(contents_hash_covers_kernel_pages_and_copies),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
