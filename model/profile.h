/* SPDX-License-Identifier: MIT */
/*
 * profile.h - the model's side of semantic profiles (not installed): a
 * profile (profile_api.h, the author's header) is chosen once when the
 * model is built (iommu_model_new()), which resolves its chain of bases
 * into a flat table (struct iommu_profile_resolved); the public iommu_*
 * entry points of iommu.h dispatch through it, so model code calling
 * model code gets the profile's behaviour too. A call to an absent entry
 * point returns IOMMU_ABSENT.
 *
 * The registry (profile/registry.c) is the one place that knows the
 * profiles: lookup by name, their names for messages, the default, and
 * which one the guest kernel is. Profiles built in are in model/profile/;
 * iommu_profile_register() adds one at run time (a delta a reviewer
 * writes without rebuilding iommusim).
 */
#ifndef IOMMUSIM_MODEL_PROFILE_H
#define IOMMUSIM_MODEL_PROFILE_H

#include "profile_api.h"

/* The chain resolved: what a model of the profile runs. */
struct iommu_profile_resolved {
	const struct iommu_profile *profile;
	struct iommu_profile_ops ops; /* NULL exactly where absent */
	unsigned long long absent;
	bool claim_blocks;
	struct iommu_profile_group_hooks group;
	struct iommu_profile_vfio_ops vfio; /* all set */
};

/* ---- registry.c ---- */

/* The profile the guest kernel is (hw/ compares the model under it). */
const struct iommu_profile *iommu_profile_guest(void);
/* Resolve @p's chain of bases into @out: 0, or -EINVAL (a base missing,
 * or the chain loops, or a root leaves an entry neither set nor absent). */
int iommu_profile_resolve(const struct iommu_profile *p,
			  struct iommu_profile_resolved *out);
/* One of the model's own profiles, not one registered at run time (whose
 * code writes the model's state without recording it: touched.c) */
bool iommu_profile_is_builtin(const struct iommu_profile *p);
/* Whether @p's kernel has the entry point @op (an IOMMU_OP() bit). */
bool iommu_profile_has(const struct iommu_profile *p, unsigned long long op);

/* The built-in profiles, for tests; everything else asks the registry. */
extern const struct iommu_profile profile_linux_7_3;
extern const struct iommu_profile profile_rfc_2022_v1;
extern const struct iommu_profile profile_noiommu_v1;
extern const struct iommu_profile profile_noiommu_v3;
extern const struct iommu_profile profile_noiommu_v5;

/* A named per-group field of the profile's own state (check_group's
 * attach_cnt=), 0 when the profile has no such field. */
bool iommu_group_profile_value(const struct iommu_model *m,
			       const struct iommu_group *group,
			       const char *field, u64 *val);
/* Append the profile's per-group state to @group's snapshot line. */
void iommu_group_profile_describe(const struct iommu_model *m,
				  const struct iommu_group *group, GString *s);

#endif
