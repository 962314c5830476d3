// SPDX-License-Identifier: MIT
/*
 * null_on_failed_replace.c - a reviewer's counter-proposal as an
 * out-of-tree profile, built against the installed libiommusim with
 * pkg-config alone (tests/tools/profile-path.sh) and loaded with
 * `iommusim --profile-path`.
 *
 * Seed 003, [PATCH v1 1/8] iommu_group_replace_domain(), Jason Gunthorpe
 * (2022-01-06): "The sketchy error unwind here gives me some pause for
 * sure. Maybe we should define that on error this leaves the domain as
 * NULL"; Lu Baolu: "Fair enough." Applied to the replace Linux 7.3 has,
 * iommu_replace_group_handle(): where 7.3's __iommu_group_set_domain()
 * moves every device back to the old domain on a driver's refusal, this
 * delta leaves the group on no domain, its devices detached and no
 * attach handle. Everything else is linux-7.3's.
 */
#include <model/profile_api.h>

static const struct iommu_profile profile;

static int replace_group_handle(struct iommu_model *m,
				struct iommu_domain *domain, struct device *dev)
{
	const struct iommu_profile_ops *base = iommu_profile_base_ops(&profile);
	struct iommu_group *group = dev->iommu_group;
	int ret = base->replace_group_handle(m, domain, dev);

	/* only a refusal by the driver: 7.3's argument checks stay */
	if (!ret || !domain || !group || group->domain == domain)
		return ret;
	for (guint i = 0; i < group->devices->len; i++)
		iommu_domain_slot_set(
			&((struct device *)group->devices->pdata[i])->attached,
			NULL);
	iommu_domain_slot_set(&group->domain, NULL);
	iommu_domain_slot_set(&group->handle, NULL);
	return ret;
}

static const struct iommu_profile profile = {
	.name = "null-on-failed-replace",
	.summary = "seed 003's counter-proposal: a failed replace leaves the "
		   "group's domain NULL",
	.base = "linux-7.3",
	.guest_runnable = false,
	.ops = { .replace_group_handle = replace_group_handle },
};

IOMMUSIM_PROFILE_MODULE(profile);
