/* SPDX-License-Identifier: MIT */
/*
 * The device's side of an AMDv1 table: translate a DMA address the way the
 * IOMMU hardware does, reading nothing but raw entries from physmem.
 *
 * The walk follows the AMD IOMMU specification, section 2.2.3 (and QEMU's
 * hw/i386/amd_iommu.c fetch_pte()/amdvi_page_walk() pattern): start at the
 * DTE's root with Mode levels, descend one table per step, AND the IR/IW
 * permissions of every entry on the way (the DTE's included: 7.3's
 * set_dte_v1() and set_dte_passthrough() always set DTE IR and IW, so the
 * walk starts with both), and stop at the first entry whose NextLevel is 0
 * or 7: a leaf. It knows nothing of struct pt_amdv1.
 */
#ifndef IOMMUSIM_PT_AMDV1_HW_H
#define IOMMUSIM_PT_AMDV1_HW_H

#include "pt/physmem.h"
#include "pt/pt_types.h"

/*
 * Walk outcomes. Negative, and far from errno values so a caller can tell a
 * translation fault from a memory error (-EFAULT, -EINVAL) of amdv1_dma().
 * The spec event each one would log is named.
 */
enum amdv1_hw_fault {
	/* PR = 0 in an entry on the path: IO_PAGE_FAULT, PR=0 */
	AMDV1_HW_FAULT_NOT_PRESENT = -1001,
	/* IR/IW ANDed down the path deny the access: IO_PAGE_FAULT, PR=1 PE=1 */
	AMDV1_HW_FAULT_PERMISSION = -1002,
	/*
	 * A PDE's NextLevel is not below its own level, or a level-1 entry is
	 * not a leaf: IO_PAGE_FAULT (invalid level encoding)
	 */
	AMDV1_HW_FAULT_BAD_LEVEL = -1003,
	/* DTE Mode 7 is reserved: ILLEGAL_DEV_TABLE_ENTRY */
	AMDV1_HW_FAULT_BAD_MODE = -1004,
	/*
	 * IOVA bits the walk cannot translate are set: above what Mode covers,
	 * or inside a level a PDE skips: IO_PAGE_FAULT
	 */
	AMDV1_HW_FAULT_ADDR_RANGE = -1005,
	/* NextLevel=7 size code not valid at this level (Table 14) */
	AMDV1_HW_FAULT_BAD_PAGE_SIZE = -1006,
	/* An entry could not be read: PAGE_TAB_HARDWARE_ERROR */
	AMDV1_HW_FAULT_PT_READ = -1007,
};

/* Access kinds: IOMMU_READ and IOMMU_WRITE from pt/pt_types.h */

struct amdv1_hw_xlate {
	u64 pa;		    /* translated address (valid on success) */
	u64 page_size;	    /* bytes the leaf maps */
	u64 entry;	    /* the leaf, or the entry that faulted */
	unsigned int level; /* AMD level (1..6) of that entry */
	int perms;	    /* IOMMU_READ | IOMMU_WRITE granted by the path */
};

/*
 * amdv1_hw_translate() - translate @iova for an @access (IOMMU_READ or
 * IOMMU_WRITE) through the table at @root_pa with DTE Mode @mode.
 * Mode 0 is "translation disabled" (an identity domain's DTE): pa = iova.
 * Returns 0 with @out filled, or an enum amdv1_hw_fault (with out->entry and
 * out->level saying where).
 */
int amdv1_hw_translate(struct physmem *mem, u64 root_pa, unsigned int mode,
		       u64 iova, int access, struct amdv1_hw_xlate *out);

/*
 * amdv1_hw_for_each_leaf() - every translation the hardware gives through
 * the table at @root_pa with DTE Mode @mode (1..6), in IOVA order, one
 * call per table item: @iova the item's first address, @pa where it
 * lands, @size the item's bytes (a larger page's item is its own share of
 * it), @perms the IR/IW ANDed down the path (never 0). Exactly the
 * addresses amdv1_hw_translate() translates, read from raw entries the
 * same way; an entry it would fault on is skipped. @fn returns false to
 * stop.
 */
typedef bool (*amdv1_hw_leaf_fn)(void *priv, u64 iova, u64 pa, u64 size,
				 int perms);
void amdv1_hw_for_each_leaf(struct physmem *mem, u64 root_pa, unsigned int mode,
			    amdv1_hw_leaf_fn fn, void *priv);

/*
 * amdv1_dma() - a device moving @len bytes at @iova: @write copies @buf
 * into memory, otherwise memory is copied into @buf. Page by page: each
 * leaf is translated before its bytes move, so on a fault the bytes before
 * it have moved, as on a bus. Returns 0, an enum amdv1_hw_fault with
 * *fault_iova (if not NULL) set to the first address that faulted, -EINVAL
 * (len 0 or the range wraps) or -EFAULT (the translated PA is not memory a
 * device may touch: the table region for a write, beyond 52 bits), or
 * -ENOMEM (a write the memory budget refuses, see physmem.h: the pages
 * before it were written).
 */
int amdv1_dma(struct physmem *mem, u64 root_pa, unsigned int mode, u64 iova,
	      void *buf, u64 len, bool write, u64 *fault_iova);

/* "not-present", "permission", ... for traces */
const char *amdv1_hw_fault_name(int fault);

#endif
