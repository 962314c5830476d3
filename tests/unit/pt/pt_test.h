/* SPDX-License-Identifier: MIT */
/*
 * Shared fixture for the model/pt tests: a physmem and one table. Every
 * teardown checks the table gave back every page it took.
 */
#ifndef IOMMUSIM_TESTS_PT_TEST_H
#define IOMMUSIM_TESTS_PT_TEST_H

#include <errno.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "pt/amdv1.h"
#include "pt/amdv1_hw.h"
#include "pt/physmem.h"

/* Table pages are handed out from the bottom of the table region */
#define TBL(n) (PHYSMEM_TABLE_BASE + (u64)(n)*0x1000)
#define RW (IOMMU_READ | IOMMU_WRITE)
#define SZ_4K 0x1000ULL
#define SZ_2M 0x200000ULL
#define SZ_1G 0x40000000ULL

struct fixture {
	struct physmem *mem;
	struct pt_amdv1 pt;
};

static inline int fixture_setup(void **state, const struct pt_amdv1_cfg *cfg)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	f->mem = physmem_new();
	if (pt_amdv1_init(&f->pt, f->mem, cfg))
		return -1;
	*state = f;
	return 0;
}

static inline int setup_noiommu(void **state)
{
	struct pt_amdv1_cfg cfg = pt_amdv1_cfg_noiommu();

	return fixture_setup(state, &cfg);
}

static inline int setup_amd48(void **state)
{
	struct pt_amdv1_cfg cfg = pt_amdv1_cfg_amd_v1(
		AMD_IOMMU_HPT_VASIZE_HATS0, AMD_IOMMU_PGSIZES);

	return fixture_setup(state, &cfg);
}

/* The IOMMUFD selftest's mock domain table (amdv1_mock, 2 KiB granule) */
static inline int setup_mock(void **state)
{
	struct pt_amdv1_cfg cfg = pt_amdv1_cfg_mock();

	return fixture_setup(state, &cfg);
}

static inline u64 table_pages(struct physmem *mem)
{
	struct physmem_stats st;

	physmem_get_stats(mem, &st);
	return st.table_pages;
}

static inline int teardown_check_leaks(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->pt.nr_tables, table_pages(f->mem));
	pt_amdv1_deinit(&f->pt);
	assert_int_equal(0, table_pages(f->mem));
	physmem_free(f->mem);
	test_free(f);
	return 0;
}

/* The raw item @index of the table at physical address @pa */
static inline u64 item(struct fixture *f, u64 pa, unsigned int index)
{
	const u64 *tbl = physmem_table_ptr(f->mem, pa);

	assert_non_null(tbl);
	return tbl[index];
}

static inline u64 phys(struct fixture *f, u64 iova)
{
	return pt_amdv1_iova_to_phys(&f->pt, iova);
}

static inline int map(struct fixture *f, u64 iova, u64 pa, u64 len, int prot)
{
	u64 mapped = 0;

	return pt_amdv1_map(&f->pt, iova, pa, len, prot, &mapped);
}

/* xorshift64*, seeded reproducibly: the random tests' generator */
struct pt_rng {
	u64 s;
};

static inline void pt_rng_seed(struct pt_rng *r, u64 seed)
{
	r->s = (seed + 1) * 0x9e3779b97f4a7c15ULL;
	if (!r->s)
		r->s = 1;
}

static inline u64 pt_rng_below(struct pt_rng *r, u64 n)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return n ? (r->s * 0x2545f4914f6cdd1dULL) % n : 0;
}

/* The seed: IOMMUSIM_PT_SEED when set (to rerun a failure), else @dflt */
static inline u64 pt_test_seed(u64 dflt)
{
	const char *env = getenv("IOMMUSIM_PT_SEED");

	return env ? strtoull(env, NULL, 0) : dflt;
}

#define PT_TEST(fn, setup)                                                     \
	cmocka_unit_test_setup_teardown(fn, setup, teardown_check_leaks)

#endif
