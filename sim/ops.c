// SPDX-License-Identifier: MIT
/*
 * ops.c - operation verbs: each calls the model entry point of the same
 * kernel name (through the profile where the profiles differ) and returns
 * what it returned. No semantics here.
 */
#include <string.h>

#include "runner.h"
#include "errnames.h"
#include "model/core/kerrno.h"

#define PROFILE_OP(r, op) ((r)->m->profile->op)

int op_driver_bind(struct runner *r, const struct statement *st)
{
	struct device *dev = arg_dev(r, st, "dev");

	return device_driver_attach(
		r->m, dev, driver_find(r->m, arg_str(st, "driver", "")));
}

int op_driver_unbind(struct runner *r, const struct statement *st)
{
	return device_driver_detach(r->m, arg_dev(r, st, "dev"));
}

int op_device_del(struct runner *r, const struct statement *st)
{
	struct device *dev = arg_dev(r, st, "dev");

	/* device_del(): the driver is released before the bus notifier */
	if (dev->driver)
		device_driver_detach(r->m, dev);
	iommu_release_device(r->m, dev);
	dev->iommu = NULL; /* gone: a later probe would not find it */
	return 0;
}

int op_sysfs_write(struct runner *r, const struct statement *st)
{
	struct device *dev = arg_dev(r, st, "dev");
	const char *attr = arg_str(st, "attr", "");

	if (strcmp(attr, "iommu_group/type"))
		return iommu_refuse(r->m, -EACCES, "sysfs",
				    "%s is not writable here", attr);
	if (!dev->iommu_group)
		return iommu_refuse(r->m, -ENOENT, "sysfs",
				    "%s has no iommu_group link", dev->name);
	return iommu_group_store_type(r->m, dev, arg_str(st, "value", ""));
}

int op_paging_domain_alloc(struct runner *r, const struct statement *st)
{
	struct iommu_domain *dom = NULL;
	int ret;

	ret = iommu_paging_domain_alloc(r->m, arg_dev(r, st, "dev"), &dom);
	if (!ret)
		bind_handle(r, st, "out_domain", dom);
	return ret;
}

int op_domain_free(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct iommu_domain *dom = arg_domain(r, st, "domain", &err);

	if (err)
		return err;
	if (iommu_domain_in_use(r->m, dom))
		return iommu_refuse(r->m, IOMMU_UB, "iommu_domain_free",
				    "domain#%d is still attached: the kernel "
				    "does not check, this is a use after free",
				    dom->id);
	iommu_domain_free(r->m, dom);
	return 0;
}

typedef int (*dom_dev_fn)(struct iommu_model *m, struct iommu_domain *d,
			  struct device *dev);

static int domain_dev_op(struct runner *r, const struct statement *st,
			 dom_dev_fn fn)
{
	int err = 0;
	struct iommu_domain *dom = arg_domain(r, st, "domain", &err);

	return err ? err : fn(r->m, dom, arg_dev(r, st, "dev"));
}

int op_attach_device(struct runner *r, const struct statement *st)
{
	return domain_dev_op(r, st, PROFILE_OP(r, attach_device));
}

int op_detach_device(struct runner *r, const struct statement *st)
{
	return domain_dev_op(r, st, PROFILE_OP(r, detach_device));
}

int op_attach_group(struct runner *r, const struct statement *st)
{
	return domain_dev_op(r, st, PROFILE_OP(r, attach_group));
}

int op_detach_group(struct runner *r, const struct statement *st)
{
	return domain_dev_op(r, st, PROFILE_OP(r, detach_group));
}

int op_attach_group_handle(struct runner *r, const struct statement *st)
{
	return domain_dev_op(r, st, PROFILE_OP(r, attach_group_handle));
}

int op_detach_group_handle(struct runner *r, const struct statement *st)
{
	return domain_dev_op(r, st, PROFILE_OP(r, detach_group_handle));
}

int op_replace_group_handle(struct runner *r, const struct statement *st)
{
	return domain_dev_op(r, st, PROFILE_OP(r, replace_group_handle));
}

int op_group_replace_domain(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct iommu_domain *old = arg_domain(r, st, "old", &err);
	struct iommu_domain *new_domain =
		err ? NULL : arg_domain(r, st, "new", &err);

	if (err)
		return err;
	return PROFILE_OP(r, group_replace_domain)(r->m, arg_dev(r, st, "dev"),
						   old, new_domain);
}

int op_group_claim(struct runner *r, const struct statement *st)
{
	return PROFILE_OP(r, group_claim_dma_owner)(
		r->m, arg_dev(r, st, "dev"),
		iommu_cookie(r->m, arg_str(st, "owner", "")));
}

int op_group_release(struct runner *r, const struct statement *st)
{
	return PROFILE_OP(r, group_release_dma_owner)(r->m,
						      arg_dev(r, st, "dev"));
}

int op_device_claim(struct runner *r, const struct statement *st)
{
	return PROFILE_OP(r, device_claim_dma_owner)(
		r->m, arg_dev(r, st, "dev"),
		iommu_cookie(r->m, arg_str(st, "owner", "")));
}

int op_device_release(struct runner *r, const struct statement *st)
{
	return PROFILE_OP(r, device_release_dma_owner)(r->m,
						       arg_dev(r, st, "dev"));
}

/* Called directly (not through a driver bind): counted apart so the
 * owner_cnt invariant still balances. */
int op_use_default_domain(struct runner *r, const struct statement *st)
{
	struct device *dev = arg_dev(r, st, "dev");
	int ret = iommu_device_use_default_domain(r->m, dev);

	if (!ret && dev->iommu_group)
		dev->direct_uses++;
	return ret;
}

int op_unuse_default_domain(struct runner *r, const struct statement *st)
{
	struct device *dev = arg_dev(r, st, "dev");
	int ret = iommu_device_unuse_default_domain(r->m, dev);

	if (!r->m->warned && dev->direct_uses)
		dev->direct_uses--;
	return ret;
}

int op_owner_claimed(struct runner *r, const struct statement *st)
{
	return iommu_group_dma_owner_claimed(r->m, arg_dev(r, st, "dev"));
}

int op_inject(struct runner *r, const struct statement *st)
{
	struct iommu_device *iommu =
		iommu_device_find(r->m, arg_str(st, "iommu", ""));

	iommu->fail_attach = arg_num(st, "count", 1);
	iommu->fail_attach_errno =
		errno_from_name(arg_str(st, "errno", "EINVAL"));
	iommu->fail_attach_dev =
		arg_has(st, "dev") ? arg_dev(r, st, "dev") : NULL;
	return 0;
}
