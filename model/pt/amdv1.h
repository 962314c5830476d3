/* SPDX-License-Identifier: MIT */
/*
 * The AMDv1 IO page table as Linux 7.3 builds it.
 *
 * Format: AMD I/O Virtualization Technology (IOMMU) Specification, section
 * 2.2.3 "I/O Page Tables for Host Translations" (Figures "I/O Page Table
 * Entry", Table 14 "Example Page Size Encodings", Table 15 "Page Table Level
 * Parameters"), as encoded by drivers/iommu/generic_pt/fmt/amdv1.h.
 * Algorithm: drivers/iommu/generic_pt/iommu_pt.h (map_range, unmap_range,
 * iova_to_phys, increase_top, get_info, pt_iommu_init, deinit).
 *
 * Vocabulary (generic_pt/pt_defs.h): "level" is generic_pt's, 0-based: level
 * 0 holds only leaves (4 KiB items), level 1 items are 2 MiB, level 2 1 GiB,
 * level 3 512 GiB, level 4 256 TiB, level 5 (top only, 128 items) 2^57. The
 * AMD spec and the device table entry count from 1: DTE Mode = top level + 1,
 * and a PDE's NextLevel field holds the AMD number of the table it points to,
 * which equals the generic_pt level of the table the PDE sits in. An "item"
 * is one 64-bit slot; an "entry" is the run of items one translation
 * occupies (several for a NextLevel=7 contiguous page). VA is the IOVA, OA
 * the physical address. The item sizes are AMDv1's; the IOMMUFD selftest's
 * amdv1_mock variant of the format (2 KiB granule) is struct pt_amdv1_fmt.
 *
 * Tables live in modelled physical memory (pt/physmem.h) at real physical
 * addresses, so the entries are the bytes the hardware would walk.
 */
#ifndef IOMMUSIM_PT_AMDV1_H
#define IOMMUSIM_PT_AMDV1_H

#include <glib.h>

#include "pt/physmem.h"
#include "pt/pt_types.h"

/* Entry bits, fmt/amdv1.h AMDV1PT_FMT_* and the spec's PDE/PTE figures */
#define AMDV1PT_PR (1ULL << 0) /* present */
#define AMDV1PT_A (1ULL << 5)  /* accessed (set by hardware) */
#define AMDV1PT_D (1ULL << 6)  /* dirty, PTE only (hardware) */
#define AMDV1PT_NL_SHIFT 9
#define AMDV1PT_NL_MASK (7ULL << 9)	      /* NextLevel, bits 11:9 */
#define AMDV1PT_OA_MASK 0x000ffffffffff000ULL /* address, bits 51:12 */
#define AMDV1PT_U (1ULL << 59)		      /* PTE: ATS "untranslated only" */
#define AMDV1PT_FC (1ULL << 60)		      /* PTE: force coherent */
#define AMDV1PT_IR (1ULL << 61)		      /* read permitted */
#define AMDV1PT_IW (1ULL << 62)		      /* write permitted */

/* NextLevel values that make an entry a leaf */
#define AMDV1PT_NL_DEFAULT 0 /* a page of this level's item size */
#define AMDV1PT_NL_SIZE 7    /* a power-of-two page, size in the address */

/* fmt/amdv1.h's parameters for AMDv1 proper, the format the hardware
 * walks (amdv1_hw.c); the mock's are in struct pt_amdv1_fmt below */
enum {
	PT_AMDV1_MAX_TOP_LEVEL = 5, /* PT_MAX_TOP_LEVEL: DTE Mode 6 */
	PT_AMDV1_GRANULE_LG2 = 12,  /* PT_GRANULE_LG2SZ */
	/* PT_TABLEMEM_LG2SZ 12 - ilog2(sizeof(u64)): 512 items per 4 KiB
	 * table, in both formats */
	PT_AMDV1_ITEMS_LG2 = 9,
	PT_AMDV1_MAX_VA_LG2 = 64, /* PT_MAX_VA_ADDRESS_LG2 */
	PT_AMDV1_MAX_OA_LG2 = 52, /* PT_MAX_OUTPUT_ADDRESS_LG2 */
};

/*
 * The format's compile-time parameters: the one seam between the two
 * formats fmt/amdv1.h builds. AMDv1 proper (fmt/iommu_amdv1.c) and the
 * IOMMUFD selftest's amdv1_mock (fmt/iommu_mock.c, which defines
 * AMDV1_IOMMUFD_SELFTEST: "a 2k page size to test cases where the CPU
 * page size is not the same") share the entry bits, the NextLevel
 * encoding, the 4 KiB table of 512 items and the whole algorithm; they
 * differ in the enum's four values and in the features the instantiating
 * file compiles in. What the granule changes (amdv1_priv.h):
 *   - item sizes: level n items are 2^(granule + 9n) bytes: the mock's
 *     2 KiB, 1 MiB, 512 MiB, 256 GiB (and a level-4 top of 128 TiB items
 *     that cannot hold leaves);
 *   - the address field: bits 51:12 hold OA >> granule (FIELD_PREP of
 *     log2_div(oa, PT_GRANULE_LG2SZ)), so a mock entry's bits 51:12 are
 *     OA bits 50:11, a PDE's table PA shifted left by one;
 *   - the size code of a NextLevel=7 entry: n ones from bit 12 mean
 *     2^(granule + 1 + n) bytes;
 *   - the single-page fast path of map_range() needs
 *     pt_has_system_page_size() (granule == PAGE_SHIFT): not the mock's.
 */
struct pt_amdv1_fmt {
	const char *name;	    /* PTPFX: "amdv1", "amdv1_mock" */
	unsigned int granule_lg2;   /* PT_GRANULE_LG2SZ: 12, 11 */
	unsigned int max_top_level; /* PT_MAX_TOP_LEVEL: 5, 4 */
	unsigned int max_va_lg2;    /* PT_MAX_VA_ADDRESS_LG2: 64, 56 */
	unsigned int max_oa_lg2;    /* PT_MAX_OUTPUT_ADDRESS_LG2: 52, 51 */
	/* PT_SUPPORTED_FEATURES has DYNAMIC_TOP and FORCE_COHERENCE
	 * (iommu_amdv1.c), or is 0 (iommu_mock.c) */
	bool has_features;
	/* PT_FORCE_ENABLED_FEATURES: DYNAMIC_TOP | ENCRYPT_TABLES |
	 * FORCE_COHERENCE (iommu_amdv1.c), none (iommu_mock.c) */
	bool force_enabled;
};
extern const struct pt_amdv1_fmt pt_amdv1_fmt;	    /* fmt/iommu_amdv1.c */
extern const struct pt_amdv1_fmt pt_amdv1_mock_fmt; /* fmt/iommu_mock.c */

/* amd_iommu_types.h: every power of two from 4 KiB to 2^51 but 512 GiB */
#define AMD_IOMMU_PGSIZES (0x000ffffffffff000ULL ^ (1ULL << 39))
/* amd_iommu=nohugepages */
#define AMD_IOMMU_PGSIZES_4K (1ULL << 12)
/* amd_iommu=v2_pgsizes_only */
#define AMD_IOMMU_PGSIZES_V2 ((1ULL << 12) | (1ULL << 21) | (1ULL << 30))

/*
 * How a table is set up: the fields of struct pt_iommu_amdv1_cfg plus the
 * features it asks for (include/linux/generic_pt/iommu.h, common.h).
 */
struct pt_amdv1_cfg {
	/* the instantiation: &pt_amdv1_fmt (NULL means it) or
	 * &pt_amdv1_mock_fmt */
	const struct pt_amdv1_fmt *fmt;
	/* generic_pt level of the first top table; Mode = level + 1; 1..5 */
	unsigned int starting_level;
	/* PT_FEAT_DYNAMIC_TOP: map grows the top instead of failing */
	bool dynamic_top;
	/* PT_FEAT_AMDV1_FORCE_COHERENCE: FC set in every leaf */
	bool force_coherence;
	/*
	 * CONFIG_DEBUG_GENERIC_PT (pt_defs.h). iommu_amdv1.c force-enables
	 * DYNAMIC_TOP, ENCRYPT_TABLES and FORCE_COHERENCE, and
	 * pt_init_common() refuses a cfg without them (-EOPNOTSUPP) unless
	 * this option is on; and PT_WARN_ON is WARN_ON with it, a constant
	 * false without it (see struct pt_amdv1_report).
	 */
	bool debug;
	unsigned int hw_max_vasz_lg2; /* cfg.common.hw_max_vasz_lg2 */
	unsigned int hw_max_oasz_lg2; /* cfg.common.hw_max_oasz_lg2 */
	/* ANDed into the page-size bitmap after init; 0 leaves it alone */
	u64 pgsize_mask;
};

/*
 * iommufd/hwpt_noiommu.c noiommu_alloc_paging_flags(): starting level 2,
 * DYNAMIC_TOP | ENCRYPT_TABLES | FORCE_COHERENCE, 64-bit VA, 52-bit OA.
 */
struct pt_amdv1_cfg pt_amdv1_cfg_noiommu(void);

/*
 * amd/iommu.c amd_iommu_domain_alloc_paging_v1(): the same features and
 * starting level, hw_max_vasz_lg2 = amd_iommu_hpt_vasize, 52-bit OA, page
 * sizes narrowed by amd_iommu_pgsize_bitmap (AMD_IOMMU_PGSIZES unless the
 * command line says otherwise). amd/init.c sets amd_iommu_hpt_vasize to
 * min(IVINFO.VASize or 64, (EFR.HATS + 3) * 9 + 21): 48 for HATS = 0.
 */
struct pt_amdv1_cfg pt_amdv1_cfg_amd_v1(unsigned int hpt_vasize,
					u64 pgsize_bitmap);
#define AMD_IOMMU_HPT_VASIZE_HATS0 48
/* QEMU 10.0's AMD-Vi: EFR.HATS = 2 and IVinfo.VASize = 0, so
 * min(64, (2 + 3) * 9 + 21) = 64 */
#define AMD_IOMMU_HPT_VASIZE_HATS2 64

/*
 * iommufd/selftest.c mock_domain_alloc_pgtable(): pt_iommu_amdv1_mock_init()
 * with starting level 2, hw_max_vasz_lg2 56, hw_max_oasz_lg2 51 and no
 * feature (the format supports none): a fixed top at level 2, 38 VA bits
 * (11 + 9 * 3, amdv1pt_iommu_fmt_init()), page sizes 2 KiB to 2^36.
 */
struct pt_amdv1_cfg pt_amdv1_cfg_mock(void);

/* Called after the top grows (pt_iommu_driver_ops.change_top). */
typedef void (*pt_amdv1_change_top_fn)(void *priv, u64 top_pa,
				       unsigned int top_level);

/* One table. Read fields through the accessors below. */
/*
 * What the last map met that 7.3 guards only with PT_WARN_ON: with
 * cfg.debug the WARNs that fired, in order, as iommu_pt.h's function and
 * condition; without it, the walk the kernel would go on with instead
 * (undefined behaviour, @ub says what). Reset by every pt_amdv1_map().
 */
struct pt_amdv1_report {
	unsigned int nr_warn;
	struct {
		const char *func, *cond;
	} warn[3];
	const char *ub;
};

struct pt_amdv1 {
	struct physmem *mem;
	const struct pt_amdv1_fmt *fmt; /* cfg.fmt, never NULL */
	struct pt_amdv1_cfg cfg;
	u64 top_pa;		   /* root table physical address */
	unsigned int top_level;	   /* generic_pt level of the root */
	unsigned int top_vasz_lg2; /* VA bits the current top translates */
	unsigned int max_vasz_lg2; /* common->max_vasz_lg2 */
	unsigned int max_oasz_lg2; /* common->max_oasz_lg2 */
	u64 pgsize_bitmap;	   /* domain->pgsize_bitmap */
	u64 aperture_start, aperture_end; /* domain->geometry */
	u64 nr_tables;			  /* table pages this table holds */
	pt_amdv1_change_top_fn change_top;
	void *change_top_priv;
	struct pt_amdv1_report report; /* of the last map */
	/* pt_amdv1_hash()'s fold of the tables, computed at mem->gen
	 * (hash_gen 0: never); copied with the table, as the generation is */
	u64 hash_gen, hash_tables;
	/* a checker's memo (the isolation invariant, reach.h): the key it
	 * folded from this table's hash and what it held the table against
	 * when the two last agreed (0 never), and the table region's
	 * generation and that "what" then (while the generation stands,
	 * the tables are the same bytes: no hash needed). Copied with the
	 * table. */
	u64 checked_key, checked_gen, checked_want;
};

/*
 * pt_amdv1_init() - pt_iommu_amdv1_init(): check the cfg, compute the
 * page-size bitmap and aperture, allocate the (zeroed) top table.
 * Returns 0, -EINVAL (bad level or widths), -EOPNOTSUPP (a force-enabled
 * feature missing without cfg.debug) or -ENOMEM. On error nothing is
 * allocated and deinit must not be called.
 */
int pt_amdv1_init(struct pt_amdv1 *pt, struct physmem *mem,
		  const struct pt_amdv1_cfg *cfg);

/* NS(deinit): free every table page, top included. */
void pt_amdv1_deinit(struct pt_amdv1 *pt);

/*
 * pt_amdv1_map() - NS(map_range): map [iova, iova + len) to [pa, pa + len).
 * @prot: IOMMU_READ and/or IOMMU_WRITE.
 * @mapped: incremented by the bytes mapped, even on failure, as map_range
 *	does; iommu_map_nosync() then unmaps exactly that much.
 * Page sizes: the largest size in the page-size bitmap that VA and PA are
 * both aligned to and that fits the remaining length
 * (pt_compute_best_pgsize), repeated until the next larger size becomes
 * possible (pt_pgsz_count).
 * Errors: -EINVAL (no R/W in prot, len 0), -ERANGE (pa above the OA width,
 * or the VA range out of reach even after growing the top), -EOVERFLOW
 * (iova + len wraps), -ENXIO (no page size fits: iova, pa or len not
 * aligned to the granule), -EADDRINUSE (a leaf already covers part of the range), -ENOMEM.
 * On failure the leaves installed before the failing one stay, and so do
 * tables allocated on the way, as in the kernel; tables a larger leaf
 * replaced stay freed. A len with a sub-page tail maps the whole pages and
 * then fails as a CONFIG_DEBUG_GENERIC_PT kernel does, its WARNs in
 * pt->report; without cfg.debug the same return, pt->report.ub set (see
 * amdv1_map.c).
 */
int pt_amdv1_map(struct pt_amdv1 *pt, u64 iova, u64 pa, u64 len, int prot,
		 u64 *mapped);

/*
 * pt_amdv1_unmap() - NS(unmap_range): remove whole entries from iova on.
 * Returns the bytes removed: a leaf starting inside the range is removed
 * entirely even if it ends past it; an iova inside a leaf removes nothing;
 * the first unmapped address (a hole, or an emptied table) stops the walk.
 * A table is freed only when the range covered all of its VA and every
 * entry below was removed; the top is never shrunk.
 * Returns 0 for len 0, a wrapping range or one beyond the current top.
 */
u64 pt_amdv1_unmap(struct pt_amdv1 *pt, u64 iova, u64 len);

/* DOMAIN_NS(iova_to_phys): the PA for @iova, 0 when not mapped. */
u64 pt_amdv1_iova_to_phys(struct pt_amdv1 *pt, u64 iova);

static inline u64 pt_amdv1_root_pa(const struct pt_amdv1 *pt)
{
	return pt->top_pa;
}

/* amdv1pt_iommu_fmt_hw_info(): the DTE Mode field, 1..6 */
static inline unsigned int pt_amdv1_mode(const struct pt_amdv1 *pt)
{
	return pt->top_level + 1;
}

static inline u64 pt_amdv1_pgsize_bitmap(const struct pt_amdv1 *pt)
{
	return pt->pgsize_bitmap;
}

/* @src over @mem, an exact copy of src->mem (physmem_copy(): the same
 * table PAs and bytes): 0, or -EOPNOTSUPP when a change_top hook is set
 * (its priv is the owner's, which the copy cannot know). */
int pt_amdv1_copy(struct pt_amdv1 *dst, const struct pt_amdv1 *src,
		  struct physmem *mem);

/* Register the driver hook the top growth calls, or NULL. */
void pt_amdv1_set_change_top(struct pt_amdv1 *pt, pt_amdv1_change_top_fn fn,
			     void *priv);

/*
 * pt_amdv1_dump() - append the whole table to @out: a header, then every
 * table depth-first with its level and PA, then each present item's index,
 * raw 64-bit value and decoded fields. Replicated items of one contiguous
 * entry print once with their index range. Bounded (amdv1_dump.c): a run
 * of more than 8 leaves of one shape prints as first, summary, last, and
 * after 4096 lines a count of the lines left out ends the dump.
 */
void pt_amdv1_dump(const struct pt_amdv1 *pt, GString *out);

/*
 * pt_amdv1_hash() - @h folded with the table's geometry and every present
 * entry (index and raw value, lower tables below their PDE): what
 * pt_amdv1_dump() shows, hashed without formatting (amdv1_hash.c). The
 * tables' part is kept until the physmem's table region changes
 * (physmem.gen): an explorer hashes every state, most with the same
 * tables as their parent's.
 */
u64 pt_amdv1_hash(struct pt_amdv1 *pt, u64 h);

/* Append the decoded fields of one raw entry of format @fmt found at
 * generic level @level. */
void pt_amdv1_describe_entry(const struct pt_amdv1_fmt *fmt, u64 entry,
			     unsigned int level, GString *out);

/* One raw entry's fields, as pt_amdv1_describe_entry() prints them. */
struct pt_amdv1_decoded {
	bool present;		 /* PR */
	bool pde;		 /* points to a lower table */
	unsigned int next_level; /* the NextLevel field */
	u64 oa;	  /* the lower table's PA, or the page's (size-aligned) */
	u64 size; /* a page: its bytes (a NextLevel=7 run's whole size) */
	bool ir, iw, fc, u, a, d;
};
void pt_amdv1_decode_entry(const struct pt_amdv1_fmt *fmt, u64 entry,
			   unsigned int level, struct pt_amdv1_decoded *out);

/* The dump's lines as data (pt_amdv1_dump_data()), for structured output:
 * a table, a present entry, a run of same-shape leaves left out, the
 * lines left out past the dump's limit. */
enum pt_amdv1_rec_kind {
	PT_REC_TABLE,
	PT_REC_ENTRY,
	PT_REC_RUN,
	PT_REC_OMITTED,
};
struct pt_amdv1_rec {
	enum pt_amdv1_rec_kind kind;
	unsigned int level; /* generic level of the table */
	u64 table;	    /* the table's PA */
	/* ENTRY: its first item and how many items it spans (a NextLevel=7
	 * run); RUN: the first item left out and how many items */
	unsigned int index, items;
	u64 entry, va; /* ENTRY: raw value, first IOVA */
	u64 count;     /* RUN: entries left out; OMITTED: lines */
	u64 step;      /* RUN: the bytes each entry's VA and PA move on */
};
struct pt_amdv1_dump_data {
	const struct pt_amdv1_fmt *fmt; /* to decode the entries with */
	u64 root;
	unsigned int mode; /* the DTE's Mode: top level + 1 */
	unsigned int va_bits, max_va_bits, oa_bits;
	u64 table_pages, pgsize_bitmap;
	GArray *recs; /* struct pt_amdv1_rec, in the dump's order */
};
/* The same walk as pt_amdv1_dump(), as data; free it with
 * pt_amdv1_dump_data_free(). */
struct pt_amdv1_dump_data *pt_amdv1_dump_data(const struct pt_amdv1 *pt);
void pt_amdv1_dump_data_free(struct pt_amdv1_dump_data *d);

/* One translation as pt_amdv1_for_each_leaf() reports it */
struct pt_amdv1_leaf {
	u64 va;		    /* first IOVA */
	u64 size;	    /* bytes: the whole entry, all its items */
	u64 pa;		    /* first PA */
	int prot;	    /* IOMMU_READ | IOMMU_WRITE from IR/IW */
	unsigned int level; /* generic level of the table holding it */
	u64 entry;	    /* raw value (every item of it is the same) */
};

/* Return false to stop the walk. */
typedef bool (*pt_amdv1_leaf_fn)(void *priv, const struct pt_amdv1_leaf *leaf);

/*
 * pt_amdv1_for_each_leaf() - call @fn for every translation in VA order,
 * once per entry (not per replicated item): what a "mappings" view or a
 * consistency check needs without decoding tables itself.
 */
void pt_amdv1_for_each_leaf(const struct pt_amdv1 *pt, pt_amdv1_leaf_fn fn,
			    void *priv);

/*
 * Write-dirty tracking (amdv1_dirty.c), generic_pt's dirty ops:
 * pt_amdv1_read_and_clear_dirty() - NS(read_and_clear_dirty): @record gets
 * (entry's first IOVA, entry's size) for every leaf entry in
 * [iova, iova + len) with D set in any of its items, which are then
 * cleared unless @no_clear (IOMMU_DIRTY_NO_CLEAR).
 * pt_amdv1_set_dirty() - NS(set_dirty), the selftest's hook: D on the item
 * @iova lands in; 0, -ENOENT (not mapped) or -ERANGE (beyond the top).
 */
typedef void (*pt_amdv1_dirty_fn)(void *priv, u64 iova, u64 len);
void pt_amdv1_read_and_clear_dirty(struct pt_amdv1 *pt, u64 iova, u64 len,
				   bool no_clear, pt_amdv1_dirty_fn record,
				   void *priv);
int pt_amdv1_set_dirty(struct pt_amdv1 *pt, u64 iova);

/* --- the format's arithmetic, for either format (fmt/amdv1.h) --- */

/* pt_table_item_lg2sz(): bytes of VA one item at @level translates */
static inline unsigned int pt_amdv1_item_lg2sz(const struct pt_amdv1_fmt *fmt,
					       unsigned int level)
{
	return fmt->granule_lg2 + PT_AMDV1_ITEMS_LG2 * level;
}

/* FIELD_GET(AMDV1PT_FMT_OA) scaled by the granule: the address a PDE or a
 * NextLevel 0 leaf holds (amdv1pt_table_pa(), amdv1pt_entry_oa()) */
static inline u64 pt_amdv1_field_oa(const struct pt_amdv1_fmt *fmt, u64 entry)
{
	return ((entry & AMDV1PT_OA_MASK) >> PT_AMDV1_GRANULE_LG2)
	       << fmt->granule_lg2;
}

/* FIELD_PREP(AMDV1PT_FMT_OA, log2_div(oa, PT_GRANULE_LG2SZ)): the address
 * bits an entry holds for @oa, truncated to the field */
static inline u64 pt_amdv1_oa_field(const struct pt_amdv1_fmt *fmt, u64 oa)
{
	return ((oa >> fmt->granule_lg2) << PT_AMDV1_GRANULE_LG2) &
	       AMDV1PT_OA_MASK;
}

/* The size (log2) a NextLevel=7 entry encodes: n ones at the bottom of
 * the address field mean 2^(granule + 1 + n) (amdv1pt_entry_oa()'s ffz) */
static inline unsigned int
pt_amdv1_size_code_lg2(const struct pt_amdv1_fmt *fmt, u64 entry)
{
	u64 ones = ~(entry >> PT_AMDV1_GRANULE_LG2);

	return fmt->granule_lg2 + 1 + (ones ? __builtin_ctzll(ones) : 64);
}

/* --- AMDv1 proper, the hardware's format: the walker and the tests --- */

/* Bytes of VA one item at @level translates, as log2 (pt_table_item_lg2sz) */
static inline unsigned int amdv1pt_item_lg2sz(unsigned int level)
{
	return PT_AMDV1_GRANULE_LG2 + PT_AMDV1_ITEMS_LG2 * level;
}

static inline unsigned int amdv1pt_next_level(u64 entry)
{
	return (entry & AMDV1PT_NL_MASK) >> AMDV1PT_NL_SHIFT;
}

/*
 * Size (log2) of the page a NextLevel=7 entry encodes: the address field's
 * run of one-bits from bit 12 upwards, n ones meaning 2^(13 + n) bytes
 * (spec Table 14; amdv1pt_entry_num_contig_lg2()).
 */
static inline unsigned int amdv1pt_size_code_lg2(u64 entry)
{
	u64 ones = ~(entry >> PT_AMDV1_GRANULE_LG2);

	return PT_AMDV1_GRANULE_LG2 + 1 + (ones ? __builtin_ctzll(ones) : 64);
}

#endif
