// SPDX-License-Identifier: MIT
/*
 * Property test: 10^5 random map / unmap / lookup steps on a noiommu table
 * and on a trivial reference (a sorted map of leaves, page sizes chosen
 * greedily: the largest supported size both addresses are aligned to that
 * fits), with identical answers required at every step. The reference knows
 * nothing of tables; it encodes 7.3's rules in leaf terms:
 *  - map installs leaves in VA order and stops at the first one that would
 *    overlap a leaf (-EADDRINUSE), keeping those before it (map_range), and
 *    the caller unmaps what was mapped (iommu_map_nosync);
 *  - unmap removes whole leaves from iova on while each next address starts
 *    a leaf, and nothing if iova is inside one (__unmap_range);
 *  - the top grows on map to cover the range, and unmap or lookup beyond
 *    the current top sees nothing (pt_check_range).
 * The seed is printed on failure; IOMMUSIM_PT_SEED=N reruns one.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "pt_test.h"

enum { STEPS = 100000 };

#define WINDOW_BASE ((1ULL << 39) - (1ULL << 31))
#define WINDOW_LG2 32
/* A second window, 1G-aligned, where gigabyte leaves have room */
#define HUGE_BASE (1ULL << 42)
#define HUGE_SLOTS 16

struct leaf {
	u64 start, size, pa;
	int prot;
};

struct ref {
	GTree *leaves;	/* start -> struct leaf */
	u64 sizes_seen; /* OR of every leaf size installed */
	unsigned int top_level;
	unsigned int max_vasz_lg2;
	u64 bitmap;
};

struct run {
	struct fixture *f;
	struct ref ref;
	struct pt_rng rng;
	u64 seed;
	unsigned long step;
	const char *op;
	unsigned long maps_ok, maps_busy, maps_enxio, maps_erange, unmaps_hit;
};

static u64 rnd_below(struct run *r, u64 n)
{
	return pt_rng_below(&r->rng, n);
}

#define CHECK(r, expect, got)                                                  \
	do {                                                                   \
		u64 e_ = (u64)(expect), g_ = (u64)(got);                       \
		if (e_ != g_) {                                                \
			print_error("seed %" PRIu64 " step %lu %s: expected "  \
				    "0x%" PRIx64 " got 0x%" PRIx64 "\n",       \
				    (r)->seed, (r)->step, (r)->op, e_, g_);    \
			fail();                                                \
		}                                                              \
	} while (0)

static gint cmp_u64(gconstpointer a, gconstpointer b, gpointer unused)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* The leaf containing @va, or NULL */
static struct leaf *ref_find(struct ref *ref, u64 va)
{
	GTreeNode *n = g_tree_upper_bound(ref->leaves, &va);
	struct leaf *l;

	n = n ? g_tree_node_previous(n) : g_tree_node_last(ref->leaves);
	if (!n)
		return NULL;
	l = g_tree_node_value(n);
	return va - l->start < l->size ? l : NULL;
}

static bool ref_overlaps(struct ref *ref, u64 start, u64 size)
{
	GTreeNode *n = g_tree_upper_bound(ref->leaves, &start);

	if (ref_find(ref, start))
		return true;
	return n && *(u64 *)g_tree_node_key(n) <= start + (size - 1);
}

/* VA bits a top at @level translates (_pt_top_range with DYNAMIC_TOP) */
static unsigned int ref_top_vasz(const struct ref *ref, unsigned int level)
{
	unsigned int v = 12 + 9 * level + 9;

	return level == 5 || v > ref->max_vasz_lg2 ? ref->max_vasz_lg2 : v;
}

static bool ref_beyond_top(const struct ref *ref, u64 va)
{
	unsigned int vasz = ref_top_vasz(ref, ref->top_level);

	return vasz < 64 && (va >> vasz);
}

/* Greedy: largest bitmap size aligned for va and pa, not above len */
static u64 ref_pgsize(struct ref *ref, u64 va, u64 pa, u64 len)
{
	u64 sizes = ref->bitmap, best = 0;

	while (sizes) {
		u64 s = sizes & -sizes;

		sizes &= sizes - 1;
		if (!((va | pa) & (s - 1)) && s <= len)
			best = s;
	}
	return best;
}

/*
 * check_map_range(): grow to cover [va, last] and the first leaf's level,
 * -ERANGE (and no change) once a level's items would reach the VA width.
 */
static int ref_grow(struct ref *ref, u64 last, u64 first_size)
{
	unsigned int leaf_level = (__builtin_ctzll(first_size) - 12) / 9;
	unsigned int level = ref->top_level, vasz;

	for (;;) {
		vasz = ref_top_vasz(ref, level);
		if (!(vasz < 64 && (last >> vasz)) && leaf_level <= level)
			break;
		level++;
		if (level > 5 || 12 + 9 * level >= ref->max_vasz_lg2)
			return -ERANGE;
	}
	ref->top_level = level;
	return 0;
}

static int ref_map(struct ref *ref, u64 va, u64 pa, u64 len, int prot,
		   u64 *mapped)
{
	u64 last = va + len - 1, s = ref_pgsize(ref, va, pa, len);

	if (!s)
		return -ENXIO;
	if (ref_grow(ref, last, s))
		return -ERANGE;
	for (; va - 1 != last; va += s, pa += s, *mapped += s) {
		struct leaf *l;

		s = ref_pgsize(ref, va, pa, last - va + 1);
		if (!s)
			return -ENXIO;
		if (ref_overlaps(ref, va, s))
			return -EADDRINUSE;
		l = g_new(struct leaf, 1);
		*l = (struct leaf){ va, s, pa, prot };
		g_tree_insert(ref->leaves, &l->start, l);
		ref->sizes_seen |= s;
	}
	return 0;
}

static u64 ref_unmap(struct ref *ref, u64 va, u64 len)
{
	u64 last = va + len - 1, done = 0;

	if (!len || last < va || ref_beyond_top(ref, last))
		return 0;
	for (;;) {
		struct leaf *l = ref_find(ref, va);
		u64 size;

		if (!l || l->start != va)
			return done;
		size = l->size;
		g_tree_remove(ref->leaves, &va);
		done += size;
		if (va + size - 1 >= last || va + size == 0)
			return done;
		va += size;
	}
}

static u64 ref_phys(struct ref *ref, u64 va)
{
	struct leaf *l = ref_find(ref, va);

	return l ? l->pa + (va - l->start) : 0;
}

/* A random length: mostly a few pages, sometimes 2M-ish, rarely 1G */
static u64 rnd_len(struct run *r)
{
	u64 k = rnd_below(r, 100);

	if (k < 60)
		return (1 + rnd_below(r, 16)) * SZ_4K;
	if (k < 80)
		return (1 + rnd_below(r, 32)) * 0x10000;
	if (k < 97)
		return (1 + rnd_below(r, 4)) * SZ_2M + rnd_below(r, 3) * SZ_4K;
	return SZ_1G * (1 + rnd_below(r, 2));
}

static u64 rnd_iova(struct run *r)
{
	static const unsigned int align[] = { 12, 12, 13, 16, 20, 21, 21, 30 };
	unsigned int a = align[rnd_below(r, G_N_ELEMENTS(align))];

	/* now and then straddle 2^48: -ERANGE for a 48-bit table */
	if (!rnd_below(r, 50))
		return (1ULL << 48) - SZ_2M * rnd_below(r, 4);
	if (!rnd_below(r, 10))
		return HUGE_BASE + SZ_1G * rnd_below(r, HUGE_SLOTS) +
		       (rnd_below(r, 2) ? 0
					: rnd_below(r, SZ_1G) & ~(SZ_2M - 1));
	return WINDOW_BASE +
	       (rnd_below(r, 1ULL << WINDOW_LG2) & ~((1ULL << a) - 1));
}

static void step_map(struct run *r)
{
	struct fixture *f = r->f;
	u64 iova = rnd_iova(r), len = rnd_len(r), pa;
	u64 m_pt = 0, m_ref = 0;
	int prot = 1 + (int)rnd_below(r, 3), e_pt, e_ref;

	/* congruent to iova mod 1G (large pages possible) or any page */
	pa = rnd_below(r, 4) ? (iova & (SZ_1G - 1)) + SZ_1G * rnd_below(r, 64)
			     : rnd_below(r, 1ULL << 40) & ~(SZ_4K - 1);
	if (!rnd_below(r, 50))
		pa |= 0x800;
	r->op = "map";
	e_pt = pt_amdv1_map(&f->pt, iova, pa, len, prot, &m_pt);
	e_ref = ref_map(&r->ref, iova, pa, len, prot, &m_ref);
	CHECK(r, e_ref, e_pt);
	CHECK(r, m_ref, m_pt);
	CHECK(r, r->ref.top_level + 1, pt_amdv1_mode(&f->pt));
	r->maps_ok += !e_pt;
	r->maps_busy += e_pt == -EADDRINUSE;
	r->maps_enxio += e_pt == -ENXIO;
	r->maps_erange += e_pt == -ERANGE;
	if (e_pt) {
		r->op = "map unwind";
		CHECK(r, ref_unmap(&r->ref, iova, m_ref),
		      pt_amdv1_unmap(&f->pt, iova, m_pt));
	}
}

static void step_unmap(struct run *r)
{
	u64 iova = rnd_iova(r), len = rnd_len(r), done;
	struct leaf *l;

	if (rnd_below(r, 10) < 7 && (l = ref_find(&r->ref, iova)))
		iova = rnd_below(r, 8) ? l->start : l->start + SZ_4K;

	r->op = "unmap";
	done = ref_unmap(&r->ref, iova, len);
	CHECK(r, done, pt_amdv1_unmap(&r->f->pt, iova, len));
	r->unmaps_hit += done != 0;
}

static void step_lookup(struct run *r)
{
	u64 iova = rnd_iova(r) + rnd_below(r, 0x3000);
	struct amdv1_hw_xlate x;
	struct leaf *l = ref_find(&r->ref, iova);
	int ret;

	r->op = "iova_to_phys";
	CHECK(r, ref_phys(&r->ref, iova),
	      pt_amdv1_iova_to_phys(&r->f->pt, iova));
	r->op = "hw walk";
	ret = amdv1_hw_translate(r->f->mem, pt_amdv1_root_pa(&r->f->pt),
				 pt_amdv1_mode(&r->f->pt), iova, IOMMU_READ,
				 &x);
	if (!l && ref_beyond_top(&r->ref, iova))
		CHECK(r, AMDV1_HW_FAULT_ADDR_RANGE, ret);
	else if (!l)
		CHECK(r, AMDV1_HW_FAULT_NOT_PRESENT, ret);
	else if (l->prot & IOMMU_READ)
		CHECK(r, ref_phys(&r->ref, iova), x.pa);
	else
		CHECK(r, AMDV1_HW_FAULT_PERMISSION, ret);
}

/* Only PR, NextLevel, address, FC, IR and IW are ever written by 7.3 */
static void check_entry_bits(struct run *r, u64 pa, unsigned int level)
{
	const u64 *tbl = physmem_table_ptr(r->f->mem, pa);
	const u64 allowed = AMDV1PT_PR | AMDV1PT_NL_MASK | AMDV1PT_OA_MASK |
			    AMDV1PT_FC | AMDV1PT_IR | AMDV1PT_IW;
	unsigned int i, nl;

	r->op = "entry bits";
	for (i = 0; i < 512; i++) {
		if (!tbl[i])
			continue;
		CHECK(r, 0, tbl[i] & ~allowed);
		nl = amdv1pt_next_level(tbl[i]);
		if (level && nl != 0 && nl != 7) {
			CHECK(r, level, nl);
			check_entry_bits(r, tbl[i] & AMDV1PT_OA_MASK,
					 level - 1);
		}
	}
}

struct leaf_cmp {
	struct run *r;
	GTreeNode *next; /* the reference leaf expected next */
};

/* The model's leaves, in VA order, are exactly the reference's */
static bool compare_leaf(void *priv, const struct pt_amdv1_leaf *leaf)
{
	struct leaf_cmp *c = priv;
	struct leaf *l;

	c->r->op = "for_each_leaf";
	CHECK(c->r, 1, c->next != NULL);
	l = g_tree_node_value(c->next);
	CHECK(c->r, l->start, leaf->va);
	CHECK(c->r, l->size, leaf->size);
	CHECK(c->r, l->pa, leaf->pa);
	CHECK(c->r, l->prot, leaf->prot);
	c->next = g_tree_node_next(c->next);
	return true;
}

static gboolean unmap_leaf(gpointer key, gpointer value, gpointer data)
{
	struct run *r = data;
	struct leaf *l = value;

	r->op = "final unmap";
	CHECK(r, l->size, pt_amdv1_unmap(&r->f->pt, l->start, l->size));
	return FALSE;
}

static void run_random(void **state)
{
	struct run r = { .f = *state };
	struct leaf_cmp cmp = { .r = &r };

	r.seed = pt_test_seed(0x1dea5eedULL);
	pt_rng_seed(&r.rng, r.seed);
	r.ref.leaves = g_tree_new_full(cmp_u64, NULL, NULL, g_free);
	r.ref.top_level = r.f->pt.top_level;
	r.ref.max_vasz_lg2 = r.f->pt.max_vasz_lg2;
	r.ref.bitmap = pt_amdv1_pgsize_bitmap(&r.f->pt);
	for (r.step = 0; r.step < STEPS; r.step++) {
		u64 k = rnd_below(&r, 100);

		if (k < 35)
			step_map(&r);
		else if (k < 70)
			step_unmap(&r);
		else
			step_lookup(&r);
	}
	check_entry_bits(&r, pt_amdv1_root_pa(&r.f->pt), r.f->pt.top_level);
	cmp.next = g_tree_node_first(r.ref.leaves);
	pt_amdv1_for_each_leaf(&r.f->pt, compare_leaf, &cmp);
	r.op = "for_each_leaf count";
	CHECK(&r, 0, cmp.next != NULL);
	assert_true(g_tree_nnodes(r.ref.leaves) > 0);
	g_tree_foreach(r.ref.leaves, unmap_leaf, &r);
	print_message("seed %" PRIu64 ": %lu maps ok, %lu EADDRINUSE, %lu "
		      "ENXIO, %lu ERANGE, %lu unmaps hit, Mode %u, leaf sizes "
		      "0x%" PRIx64 "\n",
		      r.seed, r.maps_ok, r.maps_busy, r.maps_enxio,
		      r.maps_erange, r.unmaps_hit, pt_amdv1_mode(&r.f->pt),
		      r.ref.sizes_seen);
	g_tree_destroy(r.ref.leaves);
}

/* The noiommu table: 64-bit VA, grows to Mode 6 */
static void noiommu_random_steps_match_reference_map(void **state)
{
	run_random(state);
}

/* An AMD v1 domain with 48-bit VA: growth stops at Mode 4, then -ERANGE */
static void amd48_random_steps_match_reference_map(void **state)
{
	run_random(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PT_TEST(noiommu_random_steps_match_reference_map,
			setup_noiommu),
		PT_TEST(amd48_random_steps_match_reference_map, setup_amd48),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
