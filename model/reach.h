/* SPDX-License-Identifier: MIT */
/*
 * reach.h - what a device's DMA can reach, as the IOMMU hardware would
 * translate it (core/reach.c), and the isolation invariant built on it
 * (core/isolation.c, with each subsystem's own rules in
 * iommufd/isolation.c and vfio/isolation.c): no device reaches memory
 * that whoever owns its domain does not map, and a device no IOMMU
 * translates, handed to userspace, is flagged unsafe and must have
 * tainted the kernel. The model does no I/O here either.
 */
#ifndef IOMMUSIM_MODEL_REACH_H
#define IOMMUSIM_MODEL_REACH_H

#include "iommu.h"

enum iommu_reach_kind {
	/* no DMA gets through: a blocked domain, a paging domain without
	 * a table, no domain at all (iommu_dma()'s IOMMU_DMA_BLOCKED) */
	REACH_NONE,
	/* no IOMMU translates the device (no group, or a group no IOMMU
	 * driver made: VFIO's noiommu group): every PA, directly */
	REACH_ALL_DIRECT,
	/* an identity domain: the DTE passes every address through */
	REACH_ALL_IDENTITY,
	/* what the domain's AMDv1 table maps, read from its raw entries */
	REACH_TABLE,
	/* a table no hardware walks (the selftest's amdv1_mock, a nested
	 * domain's stage 1): the model cannot say */
	REACH_NOT_WALKED,
};

/* One run of a reach: [iova, iova + len) lands on [pa, pa + len) */
struct iommu_reach_run {
	u64 iova, pa, len;
	int perms; /* IOMMU_READ | IOMMU_WRITE */
};

/* The kind of @dev's reach and the domain behind it (*domain NULL for
 * REACH_ALL_DIRECT and a device with no domain) */
enum iommu_reach_kind iommu_device_reach(const struct device *dev,
					 struct iommu_domain **domain);
const char *iommu_reach_kind_name(enum iommu_reach_kind kind);
/* The same as one word: none, direct, identity, table, not-walked (a
 * scenario's check_device reach=) */
const char *iommu_reach_kind_word(enum iommu_reach_kind kind);

/* @d's translations, coalesced (runs adjacent in IOVA and PA with the
 * same perms are one), in IOVA order; free with g_array_unref().
 * hw: the hardware's walk of the raw entries (pt/amdv1_hw.c), NULL for a
 * table no hardware walks; sw: generic_pt's own reader of the table
 * (pt_amdv1_for_each_leaf(), either format). NULL without a table. */
GArray *iommu_domain_hw_runs(struct iommu_model *m, struct iommu_domain *d);
GArray *iommu_domain_sw_runs(struct iommu_domain *d);
/* An empty run list, and a run appended to one in IOVA order (merged
 * into the last when it continues it) */
GArray *iommu_reach_runs_new(void);
void iommu_reach_runs_add(GArray *runs, u64 iova, u64 pa, u64 len, int perms);

/* @dev's reach as one line of text ("none", "all (direct)", "table: 0x1000+0x1000->0x100000 rw, ..."),
 * newly allocated */
char *iommu_device_reach_describe(struct iommu_model *m,
				  const struct device *dev);

/*
 * Where @got (the hardware's runs of @d) and @want (what @owner maps in
 * it) first differ, as the isolation failure text; NULL when they are
 * the same. @owner names who fills the domain ("IOAS 2 of iommufd#1",
 * "VFIO container 3"), @fill the 7.3 function that guarantees its
 * contents.
 */
char *iommu_reach_compare(struct iommu_model *m, struct iommu_domain *d,
			  GArray *got, GArray *want, const char *owner,
			  const char *fill);

/*
 * The check's memo of @d: whether its table, as it is now, was already
 * found to translate exactly the runs whose iommu_reach_runs_hash() is
 * @want (its tables' hash, pt_amdv1_hash(), folded with @want: the
 * explorer's key reads the same hash, computed once per change of the
 * table region); _agreed() records it after a check found no break.
 */
u64 iommu_reach_runs_hash(const GArray *runs);
bool iommu_reach_checked(struct iommu_domain *d, u64 want);
void iommu_reach_agreed(struct iommu_domain *d, u64 want);

/* What the isolation check learned besides the first break */
struct iommu_isolation {
	/* devices with unsafe reach: no IOMMU translates them and userspace
	 * has them (a noiommu VFIO device open), the kernel tainted */
	unsigned int unsafe;
	/* the check's own: the domains a subsystem filled and checked
	 * (struct iommu_domain *, a few), made on the first (most machines
	 * have none) */
	GPtrArray *owned;
};

/* @d is a subsystem's, checked by it: not its caller's */
void iommu_isolation_owned(struct iommu_isolation *iso, struct iommu_domain *d);

/*
 * The isolation invariant over the whole machine: NULL if it holds,
 * else the first break, newly allocated. @out (may be NULL) gets the
 * flagged facts. Subsystems fill the domains they own
 * (iommufd_check_isolation(), vfio_check_isolation()) and mark them
 * (iommu_isolation_owned()); every other paging domain is its caller's, checked as the
 * hardware's walk against generic_pt's own view.
 */
char *iommu_check_isolation(struct iommu_model *m, struct iommu_isolation *out);

/* A group a kernel owner (iommufd, VFIO) claimed for user DMA: NULL, or
 * the device reaching all memory through an identity domain */
char *iommu_check_owned_group(struct iommu_model *m, struct iommu_group *g);

/* The subsystem that owns @g for user DMA: its owner cookie (VFIO's
 * "vfio-group", an iommufd ctx's), or NULL (unowned, or an in-kernel
 * caller's claim) */
const char *iommu_group_user_dma_owner(struct iommu_model *m,
				       struct iommu_group *g);
bool vfio_owns_group(struct iommu_model *m, struct iommu_group *g);
bool iommufd_owns_group(struct iommu_model *m, struct iommu_group *g);

/* iommufd/isolation.c: every IOAS's domains against its areas */
char *iommufd_check_isolation(struct iommu_model *m,
			      struct iommu_isolation *iso);
/* vfio/isolation.c: type1 containers' domains against their vfio_dma,
 * and noiommu devices in userspace's hands against the taint */
char *vfio_check_isolation(struct iommu_model *m, struct iommu_isolation *iso);

#endif
