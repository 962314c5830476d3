// SPDX-License-Identifier: MIT
/*
 * Hardware-view AMDv1 walker: AMD IOMMU specification 2.2.3 "I/O Page
 * Tables for Host Translations", in the shape of QEMU's
 * hw/i386/amd_iommu.c fetch_pte(): one level per step, permissions ANDed,
 * NextLevel 0 or 7 ends the walk. Written against the spec, not against
 * generic_pt, so tests can hold the two against each other.
 */
#include <errno.h>
#include <string.h>

#include "pt/amdv1.h"
#include "pt/amdv1_hw.h"

enum {
	AMD_MAX_MODE = 6, /* Mode 7 is reserved */
	INDEX_MASK = (1 << PT_AMDV1_ITEMS_LG2) - 1,
};

/* Byte size (log2) of one item in a table at AMD level @level (1-based) */
static unsigned int amd_item_lg2(unsigned int level)
{
	return amdv1pt_item_lg2sz(level - 1);
}

static int entry_perms(u64 entry)
{
	return (entry & AMDV1PT_IR ? IOMMU_READ : 0) |
	       (entry & AMDV1PT_IW ? IOMMU_WRITE : 0);
}

/*
 * A leaf at AMD @level: NextLevel 0 maps the level's item size; NextLevel 7
 * a larger power of two below the next level's item size (Table 14: the
 * encoding exists for sizes between the default ones). A level's own size
 * encoded with NextLevel 7 is refused: Linux commit d4b036648402
 * ("iommu/amd: Correctly encode huge pages in iommu page tables") reports
 * IOMMUv2 hardware faulting on it.
 */
static int leaf(u64 iova, u64 entry, unsigned int level,
		struct amdv1_hw_xlate *out)
{
	unsigned int isz_lg2 = amd_item_lg2(level);
	unsigned int lg2 = isz_lg2;
	u64 size;

	if (amdv1pt_next_level(entry) == AMDV1PT_NL_SIZE) {
		lg2 = amdv1pt_size_code_lg2(entry);
		if (lg2 <= isz_lg2 || lg2 >= isz_lg2 + PT_AMDV1_ITEMS_LG2 ||
		    lg2 > PT_AMDV1_MAX_OA_LG2)
			return AMDV1_HW_FAULT_BAD_PAGE_SIZE;
	}
	size = 1ULL << lg2;
	out->page_size = size;
	out->pa = (entry & AMDV1PT_OA_MASK & ~(size - 1)) | (iova & (size - 1));
	return 0;
}

/*
 * A PDE may skip levels (NextLevel below level - 1); the IOVA bits those
 * levels would have indexed must then be zero.
 */
static bool skipped_bits_zero(u64 iova, unsigned int level, unsigned int nl)
{
	unsigned int l;

	for (l = level - 1; l > nl; l--)
		if ((iova >> amd_item_lg2(l)) & INDEX_MASK)
			return false;
	return true;
}

/* Mode 0: translation disabled, the address passes as is */
static int passthrough(u64 iova, struct amdv1_hw_xlate *out)
{
	out->pa = iova;
	out->page_size = PHYSMEM_PAGE_SIZE;
	out->perms = IOMMU_READ | IOMMU_WRITE;
	return 0;
}

int amdv1_hw_translate(struct physmem *mem, u64 root_pa, unsigned int mode,
		       u64 iova, int access, struct amdv1_hw_xlate *out)
{
	int perms = IOMMU_READ | IOMMU_WRITE; /* DTE IR | IW */
	u64 table = root_pa & AMDV1PT_OA_MASK;
	unsigned int level = mode;

	memset(out, 0, sizeof(*out));
	if (mode == 0)
		return passthrough(iova, out);
	if (mode > AMD_MAX_MODE)
		return AMDV1_HW_FAULT_BAD_MODE;
	if (mode < AMD_MAX_MODE && (iova >> amd_item_lg2(mode + 1)))
		return AMDV1_HW_FAULT_ADDR_RANGE;
	for (;;) {
		u64 idx = (iova >> amd_item_lg2(level)) & INDEX_MASK;
		unsigned int nl;
		u64 entry;

		out->level = level;
		if (physmem_read_u64(mem, table + idx * sizeof(u64), &entry))
			return AMDV1_HW_FAULT_PT_READ;
		out->entry = entry;
		if (!(entry & AMDV1PT_PR))
			return AMDV1_HW_FAULT_NOT_PRESENT;
		perms &= entry_perms(entry);
		out->perms = perms;
		if (access & ~perms)
			return AMDV1_HW_FAULT_PERMISSION;
		nl = amdv1pt_next_level(entry);
		if (nl == AMDV1PT_NL_DEFAULT || nl == AMDV1PT_NL_SIZE)
			return leaf(iova, entry, level, out);
		if (level == 1 || nl >= level)
			return AMDV1_HW_FAULT_BAD_LEVEL;
		if (!skipped_bits_zero(iova, level, nl))
			return AMDV1_HW_FAULT_ADDR_RANGE;
		table = entry & AMDV1PT_OA_MASK;
		level = nl;
	}
}

/* One table of amdv1_hw_for_each_leaf(): every item the hardware would
 * translate, in IOVA order. An entry amdv1_hw_translate() would fault on
 * (not present, a bad level or page size, no permission left on the
 * path, a table it cannot read) translates nothing: no reach. */
struct hw_walk {
	struct physmem *mem;
	amdv1_hw_leaf_fn fn;
	void *priv;
	bool stop;
};

static void walk_table(struct hw_walk *w, u64 table, unsigned int level,
		       u64 base, int perms);

static void walk_entry(struct hw_walk *w, u64 entry, unsigned int level,
		       u64 iova, int perms)
{
	struct amdv1_hw_xlate x;
	unsigned int nl;

	if (!(entry & AMDV1PT_PR) || !(perms &= entry_perms(entry)))
		return;
	nl = amdv1pt_next_level(entry);
	if (nl == AMDV1PT_NL_DEFAULT || nl == AMDV1PT_NL_SIZE) {
		/* the item's own share of the page: translate() for any
		 * address of the item gives the page's bytes at the same
		 * offset, so the item is one contiguous run */
		if (!leaf(iova, entry, level, &x))
			w->stop = !w->fn(w->priv, iova, x.pa,
					 1ULL << amd_item_lg2(level), perms);
		return;
	}
	if (level == 1 || nl >= level)
		return;
	/* the levels a PDE skips index with zero bits: the child's items
	 * lie at this item's start */
	walk_table(w, entry & AMDV1PT_OA_MASK, nl, iova, perms);
}

static void walk_table(struct hw_walk *w, u64 table, unsigned int level,
		       u64 base, int perms)
{
	const u64 *t = physmem_table_ptr(w->mem, table);
	u64 buf[1 << PT_AMDV1_ITEMS_LG2];

	if (!t) { /* a table outside the table region: read as memory */
		if (physmem_read(w->mem, table, buf, sizeof(buf)))
			return;
		t = buf;
	}
	for (u64 i = 0; i <= INDEX_MASK && !w->stop; i++)
		if (t[i] & AMDV1PT_PR)
			walk_entry(w, t[i], level,
				   base + (i << amd_item_lg2(level)), perms);
}

void amdv1_hw_for_each_leaf(struct physmem *mem, u64 root_pa, unsigned int mode,
			    amdv1_hw_leaf_fn fn, void *priv)
{
	struct hw_walk w = { mem, fn, priv, false };

	/* Mode 0 passes every address through: the caller's, not a walk */
	if (mode == 0 || mode > AMD_MAX_MODE)
		return;
	walk_table(&w, root_pa & AMDV1PT_OA_MASK, mode, 0,
		   IOMMU_READ | IOMMU_WRITE);
}

static int move_bytes(struct physmem *mem, u64 pa, u8 *buf, u64 n, bool write)
{
	int ret = write ? physmem_write(mem, pa, buf, n)
			: physmem_read(mem, pa, buf, n);

	/* the budget refusing a write is the model's limit, not a bus error */
	if (ret == -ENOMEM)
		return ret;
	return ret ? -EFAULT : 0;
}

int amdv1_dma(struct physmem *mem, u64 root_pa, unsigned int mode, u64 iova,
	      void *buf, u64 len, bool write, u64 *fault_iova)
{
	int access = write ? IOMMU_WRITE : IOMMU_READ;
	struct amdv1_hw_xlate x;
	u8 *p = buf;
	int ret;

	if (!len || iova + (len - 1) < iova)
		return -EINVAL;
	while (len) {
		u64 n;

		ret = amdv1_hw_translate(mem, root_pa, mode, iova, access, &x);
		if (!ret) {
			n = x.page_size - (iova & (x.page_size - 1));
			n = n < len ? n : len;
			ret = move_bytes(mem, x.pa, p, n, write);
		}
		if (ret) {
			if (fault_iova)
				*fault_iova = iova;
			return ret;
		}
		p += n;
		iova += n;
		len -= n;
	}
	return 0;
}

const char *amdv1_hw_fault_name(int fault)
{
	switch (fault) {
	case 0:
		return "ok";
	case AMDV1_HW_FAULT_NOT_PRESENT:
		return "not-present";
	case AMDV1_HW_FAULT_PERMISSION:
		return "permission";
	case AMDV1_HW_FAULT_BAD_LEVEL:
		return "bad-level";
	case AMDV1_HW_FAULT_BAD_MODE:
		return "bad-mode";
	case AMDV1_HW_FAULT_ADDR_RANGE:
		return "address-range";
	case AMDV1_HW_FAULT_BAD_PAGE_SIZE:
		return "bad-page-size";
	case AMDV1_HW_FAULT_PT_READ:
		return "page-table-read";
	case -EFAULT:
		return "target-abort";
	default:
		return "unknown";
	}
}
