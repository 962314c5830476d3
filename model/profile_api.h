/* SPDX-License-Identifier: MIT */
/*
 * profile_api.h - the profile author's header: everything a semantic
 * profile is made of, and nothing of how the model runs it. Installed
 * (<model/profile_api.h>, pkg-config iommusim); the model's own side of
 * profiles (resolution, the built-in profiles, per-group state queries)
 * is model/profile.h, which is not.
 *
 * A profile is a *delta* over a base profile (normally "linux-7.3"): a
 * name, a summary, its base, whether a real kernel of it boots in the
 * QEMU guest, and its overrides:
 *  - .ops: the iommu core's entry points (attach/detach/replace, DMA
 *    ownership) it implements differently; NULL inherits the base's;
 *  - .absent: IOMMU_OP() bits for entry points its kernel does not have
 *    (a call returns IOMMU_ABSENT);
 *  - .claim, .group: where ownership leaves a claimed group, and state it
 *    keeps per group;
 *  - .vfio: the VFIO functions and Kconfig rule a posted version of the
 *    noiommu series changes; their arguments are the model's VFIO
 *    objects, opaque here: an out-of-tree hook reads them through the
 *    accessors below and calls through iommu_profile_base_vfio_ops().
 * An override works in the model's terms: negative kernel errnos,
 * iommu_refuse() naming the kernel function (model/iommu.h), the state
 * left exactly as before on a refusal; iommu_profile_base_ops() gives
 * the base's implementation of every entry point to call through.
 *
 * Out of tree (docs/profiles.md "Writing one outside the tree"): build a
 * shared object with `pkg-config --cflags --libs iommusim`, define the
 * profile and export it with IOMMUSIM_PROFILE_MODULE(profile); `iommusim
 * --profile-path FILE.so COMMAND ...` checks its ABI and registers it.
 */
#ifndef IOMMUSIM_MODEL_PROFILE_API_H
#define IOMMUSIM_MODEL_PROFILE_API_H

#include <stddef.h>

#include "iommu.h"

/* Bumped whenever struct iommu_profile or its parts change layout, or
 * what an override must do does (3: domain pointers written through
 * iommu_domain_slot_set()). */
#define IOMMUSIM_PROFILE_ABI 3

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

/* Not an errno: the entry point does not exist in this profile's kernel
 * (a caller could not have compiled against it). */
#define IOMMU_ABSENT 4094

/* ---- the registry (profile/registry.c) ---- */

/* NULL if @name is not a profile. */
const struct iommu_profile *iommu_profile_find(const char *name);
/* The profile a run uses unless told otherwise. */
const struct iommu_profile *iommu_profile_default(void);
/* The profile names, NULL-terminated, default first. */
const char *const *iommu_profile_names(void);
/* The names joined by @sep ("a, b"), newly allocated. */
char *iommu_profile_names_joined(const char *sep);
/* Add a profile: 0, -EEXIST (the name is taken) or -EINVAL (its base is
 * not a profile, or it has no name). @p must outlive every model. */
int iommu_profile_register(const struct iommu_profile *p);
/* The base's resolved implementation of every entry point of @p, for an
 * override that calls through (an absent one is NULL); NULL if @p's base
 * is not a profile. */
const struct iommu_profile_ops *
iommu_profile_base_ops(const struct iommu_profile *p);

/* The base's resolved VFIO hooks of @p (every one set), for a .vfio
 * override that calls through; NULL if @p's base is not a profile. */
const struct iommu_profile_vfio_ops *
iommu_profile_base_vfio_ops(const struct iommu_profile *p);

/* ---- the VFIO objects a .vfio hook is handed (model/vfio) ---- */

/* The vfio_device a device file is for (df->device). */
struct vfio_device *vfio_file_device(const struct vfio_file *df);
/* Whether the device file came from VFIO_GROUP_GET_DEVICE_FD (df->group)
 * rather than the device's cdev. */
bool vfio_file_is_group_path(const struct vfio_file *df);
/* The physical device (vdev->dev) and the model it lives in, for
 * iommu_refuse(). */
struct device *vfio_device_dev(const struct vfio_device *vdev);
struct iommu_model *vfio_device_model(const struct vfio_device *vdev);
/* drivers/vfio/vfio.h vfio_device_is_noiommu(): a noiommu group (the
 * group path) or device->noiommu with IOMMUFD_NOIOMMU (the cdev path). */
bool vfio_device_is_noiommu(const struct vfio_device *vdev);

/* What an out-of-tree profile exports (IOMMUSIM_PROFILE_MODULE): the ABI
 * it was built for and its profile. */
struct iommusim_profile_module {
	unsigned int abi;    /* IOMMUSIM_PROFILE_ABI */
	size_t profile_size; /* sizeof(struct iommu_profile) */
	const struct iommu_profile *profile;
};

#define IOMMUSIM_PROFILE_MODULE_SYMBOL "iommusim_profile_module"
#define IOMMUSIM_PROFILE_MODULE(p)                                             \
	const struct iommusim_profile_module iommusim_profile_module = {       \
		.abi = IOMMUSIM_PROFILE_ABI,                                   \
		.profile_size = sizeof(struct iommu_profile),                  \
		.profile = &(p),                                               \
	}

/* Check and register a module's profile: 0, or -EINVAL with *why
 * (newly allocated) naming what does not match, or the registry's
 * -EEXIST / -EINVAL. */
int iommusim_profile_module_register(const struct iommusim_profile_module *mod,
				     char **why);

#endif
