// SPDX-License-Identifier: MIT
/*
 * Figures for the AMDv1 engine (model/pt): map then unmap 1 GiB as 4 KiB,
 * as 2 MiB and as mixed sizes; 10^7 random iova_to_phys lookups on a
 * 4-level table; table memory per mapped GiB. Printed, never asserted.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "pt/amdv1.h"
#include "pt/amdv1_hw.h"

#define GIB (1ULL << 30)
#define SZ_4K 0x1000ULL
#define SZ_2M 0x200000ULL
/* At 2^39 a noiommu table (Mode 3) must grow to Mode 4: a 4-level walk */
#define BASE (1ULL << 39)

enum { LOOKUPS = 10000000, RING = 1 << 20 };

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static u64 xorshift(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static u64 table_bytes(struct physmem *mem)
{
	struct physmem_stats st;

	physmem_get_stats(mem, &st);
	return st.table_bytes;
}

/*
 * Map 1 GiB at BASE + @skew to @pa in one map call (or in 4 KiB calls when
 * @per_page, the single-page fast path), then unmap it in one call.
 */
static void map_unmap_gib(const char *what, u64 skew, u64 pa, bool per_page)
{
	u64 iova = BASE + skew;
	struct pt_amdv1_cfg cfg = pt_amdv1_cfg_noiommu();
	struct physmem *mem = physmem_new();
	struct pt_amdv1 pt;
	double t0, t1, t2;
	u64 mapped = 0, off, before, mem_used, unmapped;
	int ret = 0;

	pt_amdv1_init(&pt, mem, &cfg);
	/* grow the top first so growth is not part of the timing */
	pt_amdv1_map(&pt, BASE + 4 * GIB, 0, SZ_4K, IOMMU_READ, &mapped);
	before = table_bytes(mem);
	mapped = 0;
	t0 = now_ns();
	if (per_page)
		for (off = 0; off < GIB && !ret; off += SZ_4K)
			ret = pt_amdv1_map(&pt, iova + off, pa + off, SZ_4K,
					   IOMMU_READ | IOMMU_WRITE, &mapped);
	else
		ret = pt_amdv1_map(&pt, iova, pa, GIB, IOMMU_READ | IOMMU_WRITE,
				   &mapped);
	t1 = now_ns();
	mem_used = table_bytes(mem) - before;
	unmapped = pt_amdv1_unmap(&pt, iova, GIB);
	t2 = now_ns();
	printf("  %-36s map %9.1f us  unmap %8.1f us  tables %5" PRIu64
	       " KiB/GiB%s\n",
	       what, (t1 - t0) / 1e3, (t2 - t1) / 1e3, mem_used >> 10,
	       ret || mapped != GIB || unmapped != GIB ? "  (FAILED)" : "");
	pt_amdv1_deinit(&pt);
	physmem_free(mem);
}

/* ns per lookup over @span bytes of a 1 GiB 4 KiB mapping at BASE */
static void lookups(struct pt_amdv1 *pt, struct physmem *mem, u64 *ring,
		    u64 span, bool hw)
{
	u64 seed = 0x9e3779b97f4a7c15ULL, sink = 0;
	struct amdv1_hw_xlate x;
	double t0, t1;
	int i;

	for (i = 0; i < RING; i++)
		ring[i] = BASE + (xorshift(&seed) % span);
	t0 = now_ns();
	for (i = 0; i < LOOKUPS; i++) {
		u64 iova = ring[i & (RING - 1)];

		if (hw) {
			amdv1_hw_translate(mem, pt->top_pa, pt_amdv1_mode(pt),
					   iova, IOMMU_READ, &x);
			sink += x.pa;
		} else {
			sink += pt_amdv1_iova_to_phys(pt, iova);
		}
	}
	t1 = now_ns();
	printf("  %-34s %6.1f ns/lookup  over %4" PRIu64 " MiB (check %" PRIx64
	       ")\n",
	       hw ? "hw walker (amdv1_hw_translate)" : "iova_to_phys",
	       (t1 - t0) / LOOKUPS, span >> 20, sink & 0xfff);
}

static void bench_lookups(void)
{
	struct pt_amdv1_cfg cfg = pt_amdv1_cfg_noiommu();
	struct physmem *mem = physmem_new();
	u64 *ring = malloc(RING * sizeof(*ring));
	struct pt_amdv1 pt;
	u64 mapped = 0;

	pt_amdv1_init(&pt, mem, &cfg);
	/* pa 4 KiB off from iova modulo 8 KiB: every leaf is 4 KiB */
	pt_amdv1_map(&pt, BASE, 0x40001000, GIB, IOMMU_READ | IOMMU_WRITE,
		     &mapped);
	printf("10^7 random lookups, 1 GiB of 4 KiB leaves, Mode %u "
	       "(4 levels):\n",
	       pt_amdv1_mode(&pt));
	lookups(&pt, mem, ring, SZ_2M, false);
	lookups(&pt, mem, ring, GIB, false);
	lookups(&pt, mem, ring, SZ_2M, true);
	lookups(&pt, mem, ring, GIB, true);
	free(ring);
	pt_amdv1_deinit(&pt);
	physmem_free(mem);
}

void bench_amdv1(void)
{
	printf("AMDv1 page table (model/pt), noiommu configuration:\n");
	printf("map then unmap 1 GiB:\n");
	/* pa 4 KiB off iova modulo 8 KiB: nothing larger than 4 KiB fits */
	map_unmap_gib("as 4 KiB (one call)", 0, 0x40001000, false);
	map_unmap_gib("as 4 KiB (262144 single-page calls)", 0, 0x40001000,
		      true);
	/* 2 MiB off modulo 4 MiB: 2 MiB leaves only */
	map_unmap_gib("as 2 MiB (one call)", 0, 0x40200000, false);
	/* congruent modulo 1 GiB from 4 KiB in: 4K, 8K, ... 512M, ... 4K */
	map_unmap_gib("mixed 4K..512M (one call)", SZ_4K, 4 * GIB + SZ_4K,
		      false);
	bench_lookups();
}
