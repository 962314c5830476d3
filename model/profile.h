/* SPDX-License-Identifier: MIT */
/*
 * profile.h - semantic profiles: which kernel's behaviour the model
 * follows, chosen once when the model is built (iommu_model_new()).
 *
 * A profile is a name, a summary, the profile it is a delta over (its
 * base), whether a real kernel of it runs in the QEMU guest, and its
 * overrides: the entry points it implements differently (struct
 * iommu_profile_ops; an entry left NULL inherits the base's), the ones
 * this kernel does not have at all (an explicit IOMMU_OP() bit in
 * .absent, never a NULL), and hooks for state only this profile keeps
 * per group. iommu_model_new() resolves the chain once into a flat table
 * (struct iommu_profile_resolved); the public iommu_* entry points of
 * iommu.h dispatch through it, so model code calling model code gets the
 * profile's behaviour too. A call to an absent entry point returns
 * IOMMU_ABSENT.
 *
 * The registry (profile/registry.c) is the one place that knows the
 * profiles: lookup by name, their names for messages, the default, and
 * which one the guest kernel is. Profiles built in are in model/profile/;
 * iommu_profile_register() adds one at run time (a delta a reviewer
 * writes without rebuilding iommusim).
 */
#ifndef IOMMUSIM_MODEL_PROFILE_H
#define IOMMUSIM_MODEL_PROFILE_H

#include <stddef.h>

#include "iommu.h"

/* The entry points whose behaviour a profile decides. */
struct iommu_profile_ops {
	int (*attach_device)(struct iommu_model *m, struct iommu_domain *domain,
			     struct device *dev);
	int (*detach_device)(struct iommu_model *m, struct iommu_domain *domain,
			     struct device *dev);
	int (*attach_group)(struct iommu_model *m, struct iommu_domain *domain,
			    struct device *dev);
	int (*detach_group)(struct iommu_model *m, struct iommu_domain *domain,
			    struct device *dev);
	int (*attach_group_handle)(struct iommu_model *m,
				   struct iommu_domain *domain,
				   struct device *dev);
	int (*detach_group_handle)(struct iommu_model *m,
				   struct iommu_domain *domain,
				   struct device *dev);
	int (*replace_group_handle)(struct iommu_model *m,
				    struct iommu_domain *domain,
				    struct device *dev);
	int (*group_replace_domain)(struct iommu_model *m, struct device *dev,
				    struct iommu_domain *old,
				    struct iommu_domain *new_domain);
	int (*group_claim_dma_owner)(struct iommu_model *m, struct device *dev,
				     const char *owner);
	int (*group_release_dma_owner)(struct iommu_model *m,
				       struct device *dev);
	int (*device_claim_dma_owner)(struct iommu_model *m, struct device *dev,
				      const char *owner);
	int (*device_release_dma_owner)(struct iommu_model *m,
					struct device *dev);
};

/* The bit naming one entry of struct iommu_profile_ops, for .absent and
 * iommu_profile_has(). */
#define IOMMU_OP(op)                                                           \
	(1ull << (offsetof(struct iommu_profile_ops, op) /                     \
		  sizeof(void (*)(void))))

/* Where the profile's ownership leaves a claimed group's domain. */
enum iommu_claim_mode {
	CLAIM_INHERIT = 0,
	CLAIM_BLOCKS,	 /* on its blocking domain (7.3) */
	CLAIM_NO_DOMAIN, /* no domain at all (the 2022 ownership base) */
};

/*
 * State only one profile keeps per group: @data_size zeroed bytes in
 * group->profile_data for each group, @describe appends it to the
 * group's line of the state snapshot (", attach_cnt 2"), @value reads a
 * named field for check_group (false: no such field). A delta that sets
 * none of them inherits the base's.
 */
struct iommu_profile_group_hooks {
	size_t data_size;
	void (*describe)(GString *s, const struct iommu_group *group);
	bool (*value)(const struct iommu_group *group, const char *field,
		      u64 *val);
};

/*
 * The VFIO side of the seam (model/vfio): exactly the functions and the
 * Kconfig rule that a posted version of the noiommu series changes, each
 * named after the 7.3 function it replaces. A delta leaves the ones it
 * does not change NULL (inherited); the root sets all of them.
 */
struct vfio;
struct vfio_device;
struct vfio_group;
struct vfio_file;
struct iommu_profile_vfio_ops {
	/* drivers/vfio/Kconfig `config VFIO_NOIOMMU`: whether the symbols
	 * settled so far (@y, by enum vfio_ksym) meet its `depends on`;
	 * *dep is the rule as Kconfig spells it, for the refusal */
	bool (*noiommu_depends)(const bool *y, const char **dep);
	/* group.c vfio_noiommu_group_alloc(): 0 with *out (NULL: no
	 * vfio_group at all), or -errno */
	int (*noiommu_group_alloc)(struct vfio *v, struct device *dev,
				   struct vfio_group **out);
	/* group.c vfio_device_block_group() / vfio_device_unblock_group() */
	int (*device_block_group)(struct vfio_device *vdev);
	void (*device_unblock_group)(struct vfio_device *vdev);
	/* vfio_main.c __vfio_register_dev() */
	int (*register_dev)(struct vfio_device *vdev);
	/* iommufd.c vfio_df_iommufd_bind() / vfio_df_iommufd_unbind() */
	int (*df_iommufd_bind)(struct vfio_file *df);
	void (*df_iommufd_unbind)(struct vfio_file *df);
};

struct iommu_profile {
	const char *name;
	const char *summary;
	const char *base;    /* the profile this is a delta over; NULL: none */
	bool guest_runnable; /* a real kernel of it boots in the QEMU guest */
	struct iommu_profile_ops ops; /* overrides; NULL: inherit the base */
	unsigned long long absent;    /* IOMMU_OP() bits this kernel lacks */
	enum iommu_claim_mode claim;
	struct iommu_profile_group_hooks group;
	struct iommu_profile_vfio_ops vfio; /* overrides; NULL: inherit */
};

/* The chain resolved: what a model of the profile runs. */
struct iommu_profile_resolved {
	const struct iommu_profile *profile;
	struct iommu_profile_ops ops; /* NULL exactly where absent */
	unsigned long long absent;
	bool claim_blocks;
	struct iommu_profile_group_hooks group;
	struct iommu_profile_vfio_ops vfio; /* all set */
};

/* Not an errno: the entry point does not exist in this profile's kernel
 * (a caller could not have compiled against it). */
#define IOMMU_ABSENT 4094

/* ---- registry.c ---- */

/* NULL if @name is not a profile. */
const struct iommu_profile *iommu_profile_find(const char *name);
/* The profile a run uses unless told otherwise. */
const struct iommu_profile *iommu_profile_default(void);
/* The profile the guest kernel is (hw/ compares the model under it). */
const struct iommu_profile *iommu_profile_guest(void);
/* The profile names, NULL-terminated, default first. */
const char *const *iommu_profile_names(void);
/* The names joined by @sep ("a, b"), newly allocated. */
char *iommu_profile_names_joined(const char *sep);
/* Add a profile: 0, -EEXIST (the name is taken) or -EINVAL (its base is
 * not a profile, or it has no name). @p must outlive every model. */
int iommu_profile_register(const struct iommu_profile *p);
/* Resolve @p's chain of bases into @out: 0, or -EINVAL (a base missing,
 * or the chain loops, or a root leaves an entry neither set nor absent). */
int iommu_profile_resolve(const struct iommu_profile *p,
			  struct iommu_profile_resolved *out);
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
