/* SPDX-License-Identifier: MIT */
/*
 * state.h - a canonical description of the model's state: text that two
 * equal states print alike, and a hash of it. The trace's "changed:" is
 * the lines the TRACE detail gains or loses over a step; fail-nth's
 * before/after comparison, an explorer's visited set and a preload shim
 * compare the FULL detail or its hash.
 */
#ifndef IOMMUSIM_MODEL_STATE_H
#define IOMMUSIM_MODEL_STATE_H

#include "iommu.h"

enum iommu_state_detail {
	/* a line per group and per device, as the trace shows them */
	IOMMU_STATE_TRACE,
	/* those, then what else the model holds: the configuration, the
	 * IOMMUs' injected failures, every live domain with a digest of its
	 * IO page table, each device's attachment and counters, each
	 * group's caller-side claims, and the table pages in use */
	IOMMU_STATE_FULL,
};

/* Newly allocated, one fact per line, in a fixed order. */
char *iommu_state_snapshot(struct iommu_model *m,
			   enum iommu_state_detail detail);
/* The lines of @after not in @before, "\n"-separated, then "group N:
 * released" for each group that vanished; NULL when nothing changed. */
char *iommu_state_diff(const char *before, const char *after);
/* The FULL snapshot's facts folded into 64 bits from the structures
 * (state_hash.c), no text: equal states hash alike, and a step changes
 * the hash exactly when it changes the FULL snapshot. */
u64 iommu_state_hash(struct iommu_model *m);
/* The same up to a permutation of interchangeable devices (same kind,
 * PCI and IOMMU facts, boot driver and bus shape above them): a state
 * and its mirror image hash alike. Devices by class, groups and their
 * members as multisets, a group's own default and blocking domains by
 * role; group ids, bus numbers, device names and the scenario's domain
 * labels (handle names) left out. Sound for the verbs
 * that do not re-probe (the topology stays as booted). */
u64 iommu_state_hash_symmetric(struct iommu_model *m);

/* The mixing step of the structural hashes (state_hash.c, VFIO's
 * vfio_state_hash()): @v folded into @h; a string by its FNV-1a, NULL
 * apart from "". */
static inline u64 iommu_hash_mix(u64 h, u64 v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

static inline u64 iommu_hash_str(u64 h, const char *s)
{
	u64 f = 0xcbf29ce484222325ull;

	if (!s)
		return iommu_hash_mix(h, 0x6e756c6cull);
	for (; *s; s++)
		f = (f ^ (u8)*s) * 0x100000001b3ull;
	return iommu_hash_mix(h, f);
}

/*
 * state_canon.c: one order of the devices for a symmetric key, so that
 * VFIO's and the iommufd side's hashes name a device by its place in it
 * (iommu_canon_dev()) and a group by its first member's place, not by
 * the names and ids a mirror image swaps. Made from the core's state
 * (iommu_canon_new()), refined by what the other sides note of each
 * device (iommu_canon_note(): a hash in which every device it names is
 * "a device"), then ordered (iommu_canon_order()). iommu_canon_hash()
 * is the part of the key that pins each place to a device's core state;
 * a key that names devices by place must include it.
 */
struct iommu_canon;
struct iommu_canon *iommu_canon_new(struct iommu_model *m);
void iommu_canon_free(struct iommu_canon *c);
void iommu_canon_note(struct iommu_canon *c, const struct device *dev, u64 v);
void iommu_canon_order(struct iommu_canon *c);
u64 iommu_canon_hash(const struct iommu_canon *c, u64 h);
/* @dev folded into @h: by its place, "a device" while @c is not ordered,
 * by its name when @c is NULL (the named key, as the snapshots show it) */
u64 iommu_canon_dev(u64 h, const struct iommu_canon *c,
		    const struct device *dev);
/* @g's number in a key: its id when @c is NULL, else its first member's
 * place */
u64 iommu_canon_group_no(const struct iommu_canon *c,
			 const struct iommu_group *g);

/* The same in two parts, appended to: the lines gained, and the groups
 * released. */
void iommu_state_diff_parts(const char *before, const char *after,
			    GString *added, GString *released);
/* One group's or device's line of the TRACE detail, without its "\n" */
void iommu_group_trace_line(struct iommu_model *m, struct iommu_group *g,
			    GString *s);
void iommu_device_trace_line(struct device *dev, GString *s);

/*
 * touched.c: a step's cost as what it touched. A runner starts recording
 * (@lines: keep each touched entity's line for "changed:"), brackets
 * each step with _begin() and _end(), and between them asks for the
 * changed lines (iommu_state_diff()'s text over the model's part) and
 * the invariants over what the step may have changed
 * (iommu_check_invariants_touched(), _contract_touched()): the same
 * answers as the whole-machine functions, at the cost of the touched
 * entities. A step after one the recorder did not see is a whole one.
 */
void iommu_touched_start(struct iommu_model *m, bool lines);
void iommu_touched_stop(struct iommu_model *m);
void iommu_touched_begin(struct iommu_model *m);
void iommu_touched_end(struct iommu_model *m);
/* this step is a whole one (boot, or the first): the answers below were
 * computed over the whole machine */
bool iommu_touched_whole(struct iommu_model *m);
void iommu_touched_changes(struct iommu_model *m, GString *added,
			   GString *released);
char *iommu_check_invariants_touched(struct iommu_model *m);
char *iommu_check_contract_touched(struct iommu_model *m);

/* for invariants.c: what to check, and what it found */
enum touched_check {
	TOUCHED_INVARIANTS,
	TOUCHED_CONTRACT,
	TOUCHED_MEMBERSHIP,
};
GPtrArray *iommu_touched_check_groups(struct iommu_model *m,
				      enum touched_check which);
GPtrArray *iommu_touched_check_devices(struct iommu_model *m);
void iommu_touched_result(struct iommu_model *m, enum touched_check which,
			  gpointer entity, bool bad);
GHashTable *iommu_touched_live(struct iommu_model *m);

/* "$d (unmanaged)", "default (DMA)", "domain#3 (DMA)", "none": @d as
 * @g's lines name it (its handle, or its role in @g, or its id). */
char *iommu_domain_str(const struct iommu_group *g,
		       const struct iommu_domain *d);

#endif
