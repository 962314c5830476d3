// SPDX-License-Identifier: MIT
/*
 * Figures for the AMDv1 engine (model/pt) beside Linux 7.3's own generic_pt
 * code (bench_kernel.c) in the same run, on the same patterns: map then
 * unmap 1 GiB as 4 KiB (in one call and in 262144 calls), as 2 MiB and as
 * mixed sizes; 10^7 random iova_to_phys lookups on a 4-level table; the
 * model's hardware walker; table memory per mapped GiB. Printed, never
 * asserted; each map/unmap figure is the best of REPEAT runs, in thread
 * CPU time.
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

enum { LOOKUPS = 10000000, RING = 1 << 20, REPEAT = 5 };

/*
 * CPU time of this thread (page faults included): the machine is shared,
 * and wall time would count the time other processes held the CPU.
 */
static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static u64 xorshift(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* ---- the model as an engine ---- */

struct model_pt {
	struct physmem *mem;
	struct pt_amdv1 pt;
};

static void *m_create(void)
{
	struct pt_amdv1_cfg cfg = pt_amdv1_cfg_noiommu();
	struct model_pt *m = calloc(1, sizeof(*m));

	m->mem = physmem_new();
	if (pt_amdv1_init(&m->pt, m->mem, &cfg)) {
		physmem_free(m->mem);
		free(m);
		return NULL;
	}
	return m;
}

static int m_map(void *t, u64 iova, u64 pa, u64 len, int prot, u64 *mapped)
{
	return pt_amdv1_map(&((struct model_pt *)t)->pt, iova, pa, len, prot,
			    mapped);
}

static u64 m_unmap(void *t, u64 iova, u64 len)
{
	return pt_amdv1_unmap(&((struct model_pt *)t)->pt, iova, len);
}

static u64 m_iova_to_phys(void *t, u64 iova)
{
	return pt_amdv1_iova_to_phys(&((struct model_pt *)t)->pt, iova);
}

static u64 m_table_pages(void *t)
{
	return ((struct model_pt *)t)->pt.nr_tables;
}

static void m_destroy(void *t)
{
	struct model_pt *m = t;

	pt_amdv1_deinit(&m->pt);
	physmem_free(m->mem);
	free(m);
}

static const struct pt_engine model_engine = {
	.name = "model",
	.create = m_create,
	.map = m_map,
	.unmap = m_unmap,
	.iova_to_phys = m_iova_to_phys,
	.table_pages = m_table_pages,
	.destroy = m_destroy,
};

/* ---- map then unmap ---- */

struct map_pattern {
	const char *what;
	u64 skew; /* iova = BASE + skew */
	u64 pa;
	bool per_page; /* 4 KiB calls (the single-page fast path) */
};

struct map_figures {
	double map_us, unmap_us;
	u64 table_kib; /* table memory the map added */
	bool failed;
};

/* One run on a fresh table whose top already reaches BASE + 4 GiB */
static void map_unmap_once(const struct pt_engine *e,
			   const struct map_pattern *p, struct map_figures *f)
{
	void *t = e->create();
	u64 iova = BASE + p->skew, mapped = 0, off, before, unmapped;
	double t0, t1, t2;
	int ret = 0;

	/* grow the top first so growth is not part of the timing */
	e->map(t, BASE + 4 * GIB, 0, SZ_4K, IOMMU_READ, &mapped);
	before = e->table_pages(t);
	mapped = 0;
	t0 = now_ns();
	if (p->per_page)
		for (off = 0; off < GIB && !ret; off += SZ_4K)
			ret = e->map(t, iova + off, p->pa + off, SZ_4K,
				     IOMMU_READ | IOMMU_WRITE, &mapped);
	else
		ret = e->map(t, iova, p->pa, GIB, IOMMU_READ | IOMMU_WRITE,
			     &mapped);
	t1 = now_ns();
	f->table_kib = (e->table_pages(t) - before) * 4;
	unmapped = e->unmap(t, iova, GIB);
	t2 = now_ns();
	f->map_us = (t1 - t0) / 1e3;
	f->unmap_us = (t2 - t1) / 1e3;
	f->failed = ret || mapped != GIB || unmapped != GIB;
	e->destroy(t);
}

static void map_unmap_best(const struct pt_engine *e,
			   const struct map_pattern *p,
			   struct map_figures *best)
{
	struct map_figures f;
	int i;

	for (i = 0; i < REPEAT; i++) {
		map_unmap_once(e, p, &f);
		if (!i || f.map_us < best->map_us)
			best->map_us = f.map_us;
		if (!i || f.unmap_us < best->unmap_us)
			best->unmap_us = f.unmap_us;
		best->table_kib = f.table_kib;
		best->failed |= f.failed;
	}
}

static void bench_map_unmap(const struct pt_engine *k)
{
	static const struct map_pattern patterns[] = {
		/* pa 4 KiB off iova modulo 8 KiB: nothing larger than 4 KiB */
		{ "as 4 KiB (one call)", 0, 0x40001000, false },
		{ "as 4 KiB (262144 calls)", 0, 0x40001000, true },
		/* 2 MiB off modulo 4 MiB: 2 MiB leaves only */
		{ "as 2 MiB (one call)", 0, 0x40200000, false },
		/* congruent modulo 1 GiB from 4 KiB in: 4K, 8K, .. 512M, .. */
		{ "mixed 4K..512M (one call)", SZ_4K, 4 * GIB + SZ_4K, false },
	};
	unsigned int i;

	printf("map then unmap 1 GiB, best of %d (us)  model:   map    unmap"
	       "%s\n",
	       REPEAT,
	       k ? "  kernel:   map    unmap  model/kernel: map unmap" : "");
	for (i = 0; i < G_N_ELEMENTS(patterns); i++) {
		struct map_figures m = { 0 }, kf = { 0 };

		map_unmap_best(&model_engine, &patterns[i], &m);
		printf("  %-26s %5" PRIu64 " KiB tables %9.1f %8.1f",
		       patterns[i].what, m.table_kib, m.map_us, m.unmap_us);
		if (k) {
			map_unmap_best(k, &patterns[i], &kf);
			printf("        %9.1f %8.1f          %7.2f %5.2f",
			       kf.map_us, kf.unmap_us, m.map_us / kf.map_us,
			       m.unmap_us / kf.unmap_us);
		}
		printf("%s\n", m.failed || kf.failed ? "  (FAILED)" : "");
	}
}

/* ---- lookups ---- */

/* ns per lookup at the addresses in @ring; @hw: the hardware walker */
static double lookups(const struct pt_engine *e, void *t, const u64 *ring,
		      bool hw, u64 *check)
{
	struct model_pt *m = t;
	struct amdv1_hw_xlate x;
	u64 sink = 0;
	double t0;
	int i;

	t0 = now_ns();
	for (i = 0; i < LOOKUPS; i++) {
		u64 iova = ring[i & (RING - 1)];

		if (hw) {
			amdv1_hw_translate(m->mem, m->pt.top_pa,
					   pt_amdv1_mode(&m->pt), iova,
					   IOMMU_READ, &x);
			sink += x.pa;
		} else {
			sink += e->iova_to_phys(t, iova);
		}
	}
	*check = sink & 0xfff;
	return (now_ns() - t0) / LOOKUPS;
}

/* 1 GiB of 4 KiB leaves at BASE: pa 4 KiB off from iova modulo 8 KiB */
static void *lookup_table(const struct pt_engine *e)
{
	void *t = e->create();
	u64 mapped = 0;

	e->map(t, BASE, 0x40001000, GIB, IOMMU_READ | IOMMU_WRITE, &mapped);
	return t;
}

static void bench_lookups(const struct pt_engine *k)
{
	static const u64 spans[] = { SZ_2M, GIB };
	u64 *ring = malloc(RING * sizeof(*ring));
	void *mt = lookup_table(&model_engine),
	     *kt = k ? lookup_table(k) : NULL;
	u64 seed, cm, ck;
	unsigned int s;

	printf("10^7 random lookups, 1 GiB of 4 KiB leaves, Mode 4 "
	       "(ns/lookup): "
	       "model%s\n",
	       k ? "  kernel  model/kernel" : "");
	for (s = 0; s < G_N_ELEMENTS(spans); s++) {
		double m, kn, hw;
		int i;

		seed = 0x9e3779b97f4a7c15ULL;
		for (i = 0; i < RING; i++)
			ring[i] = BASE + (xorshift(&seed) % spans[s]);
		m = lookups(&model_engine, mt, ring, false, &cm);
		printf("  iova_to_phys over %4" PRIu64 " MiB %36.1f",
		       spans[s] >> 20, m);
		if (k) {
			kn = lookups(k, kt, ring, false, &ck);
			printf(" %7.1f %13.2f%s", kn, m / kn,
			       cm != ck ? "  (DIFFER)" : "");
		}
		hw = lookups(&model_engine, mt, ring, true, &cm);
		printf("\n  hw walker (model only) over %4" PRIu64
		       " MiB %26.1f\n",
		       spans[s] >> 20, hw);
	}
	free(ring);
	model_engine.destroy(mt);
	if (k)
		k->destroy(kt);
}

void bench_amdv1(void)
{
	const struct pt_engine *k = bench_kernel_engine();

	printf("AMDv1 page table, noiommu configuration: the model (model/pt)"
	       "%s\n",
	       k ? " and Linux 7.3's generic_pt (production build)"
		 : "; kernel column skipped (built without a Linux 7.3 tree: "
		   "./build.sh test fetches one)");
	bench_map_unmap(k);
	bench_lookups(k);
}
