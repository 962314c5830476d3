// SPDX-License-Identifier: MIT
/*
 * Differential test: model/pt against Linux 7.3's own generic_pt AMDv1 code
 * (compiled for user space, kernel_oracle/), in both of its
 * instantiations (fmt/iommu_amdv1.c, and fmt/iommu_mock.c's 2 KiB-granule
 * amdv1_mock for the IOMMUFD selftest's domains), driven by the same random
 * steps: map (with injected allocation failures, bad prot, PAs beyond 52
 * bits, misaligned and sub-page lengths), unmap, iova_to_phys. Every return
 * value, mapped/unmapped byte count, translation and the number of WARNs a
 * map fires (the oracle has CONFIG_DEBUG_GENERIC_PT) must match, and at
 * regular points the two tables are compared item by item: leaves and empty
 * items bit for bit, PDEs bit for bit except the table address (host memory
 * in the kernel's, physmem in ours), and the number of table pages. The
 * seed is printed on failure; IOMMUSIM_PT_SEED=N reruns one.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "oracle_api.h"
#include "pt_test.h"

/* per seed and format; a fifth under the sanitizers (tests/unit/pt/
 * CMakeLists.txt), where the kernel's instrumented code is ~15x slower:
 * the plain build's run is the comparison, the sanitized one looks for
 * memory errors on the same paths */
#ifndef ORACLE_STEPS
#define ORACLE_STEPS 20000
#endif
enum { STEPS = ORACLE_STEPS };

/*
 * Where the random steps go, per format: a level's item sizes follow the
 * granule (@g: 4 KiB or 2 KiB leaves, 2 MiB or 1 MiB, 1 GiB or 512 MiB);
 * @edge is an address the table's VA ends at or crosses a level at (AMDv1
 * at 48 bits: HATS 0's VA; the mock's fixed top ends at 38), @far is out
 * of reach, @high a region of large leaves, [@mid, @mid + @span) a range
 * across a level-2 item boundary.
 */
struct profile {
	unsigned int g;
	u64 edge, far, high, mid, span;
};

static const struct profile amdv1_profile = {
	.g = 12,
	.edge = 1ULL << 48,
	.far = 1ULL << 63,
	.high = 1ULL << 42,
	.mid = (1ULL << 39) - (1ULL << 31),
	.span = 1ULL << 32,
};

/* the mock's IOVAs: its aperture [2^24, 2^31) and on to the VA's end */
static const struct profile mock_profile = {
	.g = 11,
	.edge = 1ULL << 38,
	.far = 1ULL << 40,
	.high = 1ULL << 37,
	.mid = (1ULL << 31) - (1ULL << 29),
	.span = 1ULL << 30,
};

struct diff {
	const struct profile *p;
	struct fixture *f;
	struct oracle *k;
	struct pt_rng rng;
	u64 seed;
	unsigned long step, failures, warns;
	const char *op;
};

#define CHECK(d, kernel, model)                                                \
	do {                                                                   \
		u64 k_ = (u64)(kernel), m_ = (u64)(model);                     \
		if (k_ != m_) {                                                \
			print_error("seed %" PRIu64 " step %lu %s: kernel "    \
				    "0x%" PRIx64 " model 0x%" PRIx64 "\n",     \
				    (d)->seed, (d)->step, (d)->op, k_, m_);    \
			fail();                                                \
		}                                                              \
	} while (0)

static u64 below(struct diff *d, u64 n)
{
	return pt_rng_below(&d->rng, n);
}

static void compare_tables(struct diff *d, const u64 *kt, u64 model_pa,
			   unsigned int level, u64 *tables)
{
	const u64 *mt = physmem_table_ptr(d->f->mem, model_pa);
	const struct pt_amdv1_fmt *fmt = d->f->pt.fmt;
	unsigned int i, nl;

	(*tables)++;
	for (i = 0; i < 512; i++) {
		nl = amdv1pt_next_level(kt[i]);
		if (!(kt[i] & AMDV1PT_PR) || !level || nl == 0 || nl == 7) {
			d->op = "table item";
			CHECK(d, kt[i], mt[i]);
			continue;
		}
		d->op = "PDE";
		CHECK(d, kt[i] & ~AMDV1PT_OA_MASK, mt[i] & ~AMDV1PT_OA_MASK);
		compare_tables(
			d,
			(const u64 *)(uintptr_t)pt_amdv1_field_oa(fmt, kt[i]),
			pt_amdv1_field_oa(fmt, mt[i]), level - 1, tables);
	}
}

static void compare_all(struct diff *d)
{
	u64 *kt, tables = 0;
	unsigned int level;

	oracle_top(d->k, &kt, &level);
	d->op = "top level";
	CHECK(d, level, d->f->pt.top_level);
	compare_tables(d, kt, pt_amdv1_root_pa(&d->f->pt), level, &tables);
	d->op = "table pages";
	CHECK(d, oracle_pages(), d->f->pt.nr_tables);
	CHECK(d, tables, d->f->pt.nr_tables);
}

/* The size of an item at @level: 1 << g, 512 << g, 512 * 512 << g */
static u64 isz(const struct diff *d, unsigned int level)
{
	return 1ULL << (d->p->g + 9 * level);
}

static u64 rnd_iova(struct diff *d)
{
	/* granule, granule, 2, 4, 16, 256 granules, level 1, 2 level 1s,
	 * level 2 */
	static const unsigned int align[] = { 0, 0, 1, 2, 4, 8, 9, 9, 10, 18 };
	u64 mask = (1ULL << (d->p->g + align[below(d, 10)])) - 1;
	u64 k = below(d, 100);

	if (k < 3)
		return d->p->edge - isz(d, 1) * below(d, 4);
	if (k < 5)
		return d->p->far + (below(d, 1ULL << 32) & ~mask);
	if (k < 15)
		return d->p->high + isz(d, 2) * below(d, 16) +
		       (below(d, 2) ? 0
				    : below(d, isz(d, 2)) & ~(isz(d, 1) - 1));
	return d->p->mid + (below(d, d->p->span) & ~mask);
}

static u64 rnd_len(struct diff *d)
{
	u64 k = below(d, 100);

	if (k < 3)
		return below(d, 3 * isz(d, 0)) + 1;
	if (k < 55)
		return (1 + below(d, 16)) * isz(d, 0);
	if (k < 75)
		return (1 + below(d, 32)) * (isz(d, 0) << 4);
	if (k < 96)
		return (1 + below(d, 4)) * isz(d, 1) + below(d, 3) * isz(d, 0);
	return isz(d, 2) * (1 + below(d, 2));
}

static u64 rnd_pa(struct diff *d, u64 iova)
{
	u64 pa = below(d, 4)
			 ? (iova & (isz(d, 2) - 1)) + isz(d, 2) * below(d, 64)
			 : below(d, 1ULL << 40) & ~(isz(d, 0) - 1);

	if (!below(d, 50))
		pa |= isz(d, 0) >> 1;
	if (!below(d, 200))
		pa = (1ULL << d->f->pt.fmt->max_oa_lg2) -
		     isz(d, 0) * below(d, 3);
	return pa;
}

static void step_map(struct diff *d, u64 iova, u64 len)
{
	u64 pa = rnd_pa(d, iova), mk = 0, mm = 0;
	int prot = below(d, 300) ? 1 + (int)below(d, 3) : 0, rk, rm;
	int nth = below(d, 20) ? 0 : 1 + (int)below(d, 4);

	oracle_inject(nth);
	physmem_inject_table_alloc_failure(d->f->mem, nth);
	rk = oracle_map(d->k, iova, pa, len, prot, &mk);
	rm = pt_amdv1_map(&d->f->pt, iova, pa, len, prot, &mm);
	oracle_inject(0);
	physmem_inject_table_alloc_failure(d->f->mem, 0);
	d->op = "map";
	CHECK(d, rk, rm);
	d->op = "map mapped";
	CHECK(d, mk, mm);
	d->op = "map WARNs";
	CHECK(d, oracle_warns(NULL), d->f->pt.report.nr_warn);
	d->warns += d->f->pt.report.nr_warn;
	d->failures += rk != 0;
	/* a full comparison now and then, more often after a failure */
	if (!below(d, rk ? 6 : 60))
		compare_all(d);
	/* iommu_map_nosync(): unmap what a failed map_range mapped */
	d->op = "map unwind";
	if (rk && mk)
		CHECK(d, oracle_unmap(d->k, iova, mk),
		      pt_amdv1_unmap(&d->f->pt, iova, mm));
}

/* @vasz: the AMDv1 table's hw_max_vasz_lg2; 0: the mock's table */
static void run_against_kernel(void **state, unsigned int vasz)
{
	struct diff d = { .f = *state };
	u64 pgsize;
	int rc;

	d.seed = pt_test_seed(0x5eed);
	pt_rng_seed(&d.rng, d.seed);
	/* the oracle is built with CONFIG_DEBUG_GENERIC_PT (PT_WARN_ON live) */
	d.f->pt.cfg.debug = true;
	d.p = vasz ? &amdv1_profile : &mock_profile;
	d.k = vasz ? oracle_new(vasz, 2, &rc, &pgsize)
		   : oracle_new_mock(&rc, &pgsize);
	assert_int_equal(0, rc);
	assert_int_equal(pgsize, pt_amdv1_pgsize_bitmap(&d.f->pt));
	for (d.step = 0; d.step < STEPS; d.step++) {
		u64 k = below(&d, 100), iova = rnd_iova(&d), len = rnd_len(&d);

		if (k < 40) {
			step_map(&d, iova, len);
		} else if (k < 70) {
			d.op = "unmap";
			CHECK(&d, oracle_unmap(d.k, iova, len),
			      pt_amdv1_unmap(&d.f->pt, iova, len));
		} else {
			iova += below(&d, 3 * isz(&d, 0));
			d.op = "iova_to_phys";
			CHECK(&d, oracle_i2p(d.k, iova),
			      pt_amdv1_iova_to_phys(&d.f->pt, iova));
		}
	}
	compare_all(&d);
	print_message("seed %" PRIu64 ": %d steps agree with the kernel, %lu "
		      "failed maps (%lu WARNs), Mode %u, %" PRIu64 " tables\n",
		      d.seed, STEPS, d.failures, d.warns,
		      pt_amdv1_mode(&d.f->pt), d.f->pt.nr_tables);
	oracle_free(d.k);
	assert_int_equal(0, oracle_pages());
}

static void noiommu_table_matches_kernel_step_by_step(void **state)
{
	run_against_kernel(state, 64);
}

static void amd48_table_matches_kernel_step_by_step(void **state)
{
	run_against_kernel(state, AMD_IOMMU_HPT_VASIZE_HATS0);
}

static void mock_table_matches_kernel_step_by_step(void **state)
{
	run_against_kernel(state, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PT_TEST(noiommu_table_matches_kernel_step_by_step,
			setup_noiommu),
		PT_TEST(amd48_table_matches_kernel_step_by_step, setup_amd48),
		PT_TEST(mock_table_matches_kernel_step_by_step, setup_mock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
