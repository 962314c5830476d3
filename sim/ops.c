// SPDX-License-Identifier: MIT
/*
 * ops.c - operation verbs: each calls the model entry point of the same
 * kernel name (which dispatches through the model's profile) and returns
 * what it returned. No semantics here.
 */
#include <string.h>

#include "runner.h"
#include "errnames.h"
#include "model/memory.h"
#include "model/core/kerrno.h"
#include "model/pt/pt_types.h"

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
	return device_del(r->m, arg_dev(r, st, "dev"));
}

int op_sysfs_write(struct runner *r, const struct statement *st)
{
	/* the writer: the scenario's process once it has one (capset) */
	int ret = iommu_sysfs_store(
		r->m, arg_dev(r, st, "dev"), arg_str(st, "attr", ""),
		arg_str(st, "value", ""), r->ifd ? ifd_task(r) : NULL);

	if (ret == IOMMU_UB) /* not a byte count: the store's refusal */
		return ret;
	r->value = ret > 0 ? (uint64_t)ret : 0; /* write(2)'s byte count */
	return ret < 0 ? ret : 0;
}

int op_paging_domain_alloc(struct runner *r, const struct statement *st)
{
	struct iommu_domain *dom = NULL;
	int ret;

	ret = iommu_paging_domain_alloc(r->m, arg_dev(r, st, "dev"), &dom);
	if (!ret)
		op_out(r, "out_domain", dom, 0);
	return ret;
}

int op_paging_domain_alloc_flags(struct runner *r, const struct statement *st)
{
	struct iommu_domain *dom = NULL;
	int ret;

	ret = iommu_paging_domain_alloc_flags(
		r->m, arg_dev(r, st, "dev"), (u32)arg_flags(st, "flags"), &dom);
	if (!ret)
		op_out(r, "out_domain", dom, 0);
	return ret;
}

int op_domain_free(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct iommu_domain *dom = handle_arg(r, st, "domain", &err);

	return err ? err : iommu_domain_free_checked(r->m, dom);
}

typedef int (*dom_dev_fn)(struct iommu_model *m, struct iommu_domain *d,
			  struct device *dev);

static int domain_dev_op(struct runner *r, const struct statement *st,
			 dom_dev_fn fn)
{
	int err = 0;
	struct iommu_domain *dom = handle_arg(r, st, "domain", &err);

	return err ? err : fn(r->m, dom, arg_dev(r, st, "dev"));
}

int op_attach_device(struct runner *r, const struct statement *st)
{
	return domain_dev_op(r, st, iommu_attach_device);
}

int op_detach_device(struct runner *r, const struct statement *st)
{
	return domain_dev_op(r, st, iommu_detach_device);
}

int op_attach_group(struct runner *r, const struct statement *st)
{
	return domain_dev_op(r, st, iommu_attach_group);
}

int op_detach_group(struct runner *r, const struct statement *st)
{
	return domain_dev_op(r, st, iommu_detach_group);
}

/* handle=none: the caller passes a NULL attach handle */
static bool null_handle(const struct statement *st)
{
	return !strcmp(arg_str(st, "handle", "new"), "none");
}

int op_attach_group_handle(struct runner *r, const struct statement *st)
{
	if (null_handle(st))
		return iommu_group_handle_null(r->m,
					       "iommu_attach_group_handle");
	return domain_dev_op(r, st, iommu_attach_group_handle);
}

int op_detach_group_handle(struct runner *r, const struct statement *st)
{
	return domain_dev_op(r, st, iommu_detach_group_handle);
}

int op_replace_group_handle(struct runner *r, const struct statement *st)
{
	if (null_handle(st))
		return iommu_group_handle_null(r->m,
					       "iommu_replace_group_handle");
	return domain_dev_op(r, st, iommu_replace_group_handle);
}

/* the PASID API: pasid= of dev='s group; handle= as above */
int op_attach_device_pasid(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct iommu_domain *dom = handle_arg(r, st, "domain", &err);

	return err ? err
		   : iommu_attach_device_pasid(r->m, dom, arg_dev(r, st, "dev"),
					       (u32)arg_num(st, "pasid", 0),
					       !null_handle(st));
}

int op_replace_device_pasid(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct iommu_domain *dom = handle_arg(r, st, "domain", &err);

	return err ? err
		   : iommu_replace_device_pasid(
			     r->m, dom, arg_dev(r, st, "dev"),
			     (u32)arg_num(st, "pasid", 0), !null_handle(st));
}

int op_detach_device_pasid(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct iommu_domain *dom = handle_arg(r, st, "domain", &err);

	return err ? err
		   : iommu_detach_device_pasid(r->m, dom, arg_dev(r, st, "dev"),
					       (u32)arg_num(st, "pasid", 0));
}

int op_group_replace_domain(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct iommu_domain *old = handle_arg(r, st, "old", &err);
	struct iommu_domain *new_domain =
		err ? NULL : handle_arg(r, st, "new", &err);

	if (err)
		return err;
	return iommu_group_replace_domain(r->m, arg_dev(r, st, "dev"), old,
					  new_domain);
}

/* owner=none is the NULL pointer, never a cookie named "none": what a
 * claim does with it is the kernel's WARN_ON(!owner) */
static const char *arg_owner(struct runner *r, const struct statement *st)
{
	const char *name = arg_str(st, "owner", "");

	return strcmp(name, "none") ? iommu_cookie(r->m, name) : NULL;
}

int op_group_claim(struct runner *r, const struct statement *st)
{
	return iommu_group_claim_dma_owner(r->m, arg_dev(r, st, "dev"),
					   arg_owner(r, st));
}

int op_group_release(struct runner *r, const struct statement *st)
{
	return iommu_group_release_dma_owner(r->m, arg_dev(r, st, "dev"));
}

int op_device_claim(struct runner *r, const struct statement *st)
{
	return iommu_device_claim_dma_owner(r->m, arg_dev(r, st, "dev"),
					    arg_owner(r, st));
}

int op_device_release(struct runner *r, const struct statement *st)
{
	return iommu_device_release_dma_owner(r->m, arg_dev(r, st, "dev"));
}

int op_reset_prepare(struct runner *r, const struct statement *st)
{
	return pci_dev_reset_iommu_prepare(r->m, arg_dev(r, st, "dev"));
}

int op_reset_done(struct runner *r, const struct statement *st)
{
	return pci_dev_reset_iommu_done(r->m, arg_dev(r, st, "dev"));
}

/* Called directly (not through a driver bind). */
int op_use_default_domain(struct runner *r, const struct statement *st)
{
	return iommu_direct_use_default_domain(r->m, arg_dev(r, st, "dev"));
}

int op_unuse_default_domain(struct runner *r, const struct statement *st)
{
	return iommu_direct_unuse_default_domain(r->m, arg_dev(r, st, "dev"));
}

int op_owner_claimed(struct runner *r, const struct statement *st)
{
	int ret = iommu_group_dma_owner_claimed(r->m, arg_dev(r, st, "dev"));

	r->value = ret > 0;
	return ret < 0 ? ret : 0;
}

int op_inject(struct runner *r, const struct statement *st)
{
	struct iommu_device *iommu =
		iommu_device_find(r->m, arg_str(st, "iommu", ""));

	iommu->fail_attach = arg_num(st, "count", 1);
	iommu->fail_attach_skip = arg_num(st, "skip", 0);
	iommu->fail_attach_errno =
		errno_from_name(arg_str(st, "errno", "EINVAL"));
	iommu->fail_attach_dev =
		arg_has(st, "dev") ? arg_dev(r, st, "dev") : NULL;
	return 0;
}

/* failslab with its stack filter narrowed to one function (the kernel's
 * require-start/require-end, Documentation/fault-injection/): that
 * function's next allocation fails, once */
int op_failslab(struct runner *r, const struct statement *st)
{
	fault_arm_site(&r->m->fault,
		       g_intern_string(arg_str(st, "function", "")));
	return 0;
}

int op_iommu_map(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct iommu_domain *dom = handle_arg(r, st, "domain", &err);

	if (err)
		return err;
	return iommu_map(r->m, dom, arg_num(st, "iova", 0),
			 arg_num(st, "paddr", 0), arg_num(st, "size", 0),
			 arg_has(st, "prot") ? (int)arg_flags(st, "prot")
					     : IOMMU_READ | IOMMU_WRITE);
}

int op_map_range(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct iommu_domain *dom = handle_arg(r, st, "domain", &err);
	u64 mapped;

	if (err)
		return err;
	return iommu_pt_map_range(
		r->m, dom, arg_num(st, "iova", 0), arg_num(st, "paddr", 0),
		arg_num(st, "size", 0),
		arg_has(st, "prot") ? (int)arg_flags(st, "prot")
				    : IOMMU_READ | IOMMU_WRITE,
		&mapped);
}

int op_unmap_range(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct iommu_domain *dom = handle_arg(r, st, "domain", &err);

	if (err)
		return err;
	return iommu_pt_unmap_range(r->m, dom, arg_num(st, "iova", 0),
				    arg_num(st, "size", 0), &r->value);
}

int op_iommu_unmap(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct iommu_domain *dom = handle_arg(r, st, "domain", &err);

	if (err)
		return err;
	return iommu_unmap_checked(r->m, dom, arg_num(st, "iova", 0),
				   arg_num(st, "size", 0), &r->value);
}

int op_iova_to_phys(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct iommu_domain *dom = handle_arg(r, st, "domain", &err);

	if (err)
		return err;
	return iommu_iova_to_phys_checked(r->m, dom, arg_num(st, "iova", 0),
					  &r->value);
}

int op_dump(struct runner *r, const struct statement *st)
{
	int err = 0;
	struct iommu_domain *dom = handle_arg(r, st, "domain", &err);

	if (err)
		return err;
	r->step->detail = iommu_domain_dump(r->m, dom, &r->step->dump);
	return 0;
}

static void fill(GByteArray *b, u64 len, u8 pattern)
{
	g_byte_array_set_size(b, len);
	if (len) /* an empty GByteArray's data is NULL: memset(NULL) is UB */
		memset(b->data, pattern, len);
}

static char *hex_preview(const u8 *p, u64 len)
{
	GString *s = g_string_new(NULL);

	for (u64 i = 0; i < len && i < 32; i++)
		g_string_append_printf(s, "%s%02x", i ? " " : "", p[i]);
	if (len > 32)
		g_string_append(s, " ...");
	return g_string_free(s, FALSE);
}

/* A device reads or writes memory at an IOVA through its IOMMU. A read
 * with pattern= also checks that every byte read is the pattern. */
int op_dma(struct runner *r, const struct statement *st)
{
	struct device *dev = arg_dev(r, st, "dev");
	bool write = !strcmp(arg_str(st, "dir", "read"), "write");
	u64 iova = arg_num(st, "iova", 0), len = arg_num(st, "len", 0);
	GByteArray *b = g_byte_array_new();
	u64 fault_iova = iova;
	int ret;

	fill(b, len, (u8)arg_num(st, "pattern", 0));
	ret = iommu_dma(r->m, dev, iova, b->data, len, write, &fault_iova);
	if (iommu_is_dma_fault(ret))
		iommu_refuse(r->m, ret, "iommu",
			     "%s's DMA %s at iova 0x%llx faulted", dev->name,
			     write ? "write" : "read",
			     (unsigned long long)fault_iova);
	if (!ret && !write) {
		g_autofree char *hex = hex_preview(b->data, len);
		u8 want = (u8)arg_num(st, "pattern", 0);

		r->step->detail = g_strdup_printf("read: %s", hex);
		for (u64 i = 0; arg_has(st, "pattern") && i < len; i++) {
			if (b->data[i] != want) {
				r->step->failure = g_strdup_printf(
					"byte %llu read 0x%02x, expected "
					"0x%02x",
					(unsigned long long)i, b->data[i],
					want);
				break;
			}
		}
	}
	g_byte_array_free(b, TRUE);
	return ret;
}

/* The CPU writes memory directly (a buffer the scenario sets up). */
int op_memory_write(struct runner *r, const struct statement *st)
{
	u64 len = arg_num(st, "len", 0);
	GByteArray *b = g_byte_array_new();
	int ret;

	fill(b, len, (u8)arg_num(st, "pattern", 0));
	ret = iommu_memory_write(r->m, arg_num(st, "paddr", 0), b->data, len);
	g_byte_array_free(b, TRUE);
	return ret;
}

/* The sysfs view (iommu_groups/N/type and devices, each device's links)
 * into the trace. */
int op_sysfs_show(struct runner *r, const struct statement *st)
{
	r->step->detail = iommu_sysfs_view(r->m);
	return 0;
}
