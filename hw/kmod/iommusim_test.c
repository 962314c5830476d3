// SPDX-License-Identifier: GPL-2.0
/*
 * iommusim_test.c - the kernel side of iommusim's guest agent.
 *
 * Built into the guest kernel (hw/kernel/build.sh copies it into
 * drivers/iommu/ of a build copy). It exposes the kernel-internal IOMMU
 * operations that scenarios name (drivers/iommu/iommu.c) through one
 * debugfs file, /sys/kernel/debug/iommusim/ctl:
 *
 *   write: "<op> [arg...]", one command per write(2)
 *   read:  the result of the last command, "ret=<int> [key=value...]\n"
 *
 * Domains live in a small table addressed by slot number ("d3"), with
 * their IO page tables reachable through map/unmap/iova_to_phys; owner
 * cookies are small integers mapped to distinct non-NULL pointers (0 is
 * NULL, to reach the WARN_ON(!owner) paths). Whether a WARN fired is
 * measured by the agent through /sys/kernel/warn_count (kernel/panic.c).
 *
 * The DMA and physical memory commands are in iommusim_dma.c.
 *
 * It also registers two PCI drivers with no id table, bindable only through
 * driver_override: "iommusim-dma" (a DMA-API driver: really_probe ->
 * pci_dma_configure -> iommu_device_use_default_domain) and
 * "iommusim-managed" (driver_managed_dma, like vfio-pci and pci-stub).
 */
#include <linux/debugfs.h>
#include <linux/generic_pt/iommu.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "iommu-priv.h"
#include "iommusim_state.h"
#include "iommusim_test.h"

#define NR_DOMAINS 32
#define NR_COOKIES 32
#define RESULT_LEN 512

static DEFINE_MUTEX(ctl_lock);
static struct iommu_domain *domains[NR_DOMAINS];
static char cookies[NR_COOKIES]; /* &cookies[n] is owner cookie n, n > 0 */
static char result[RESULT_LEN];
static bool result_set; /* the op formatted its own result */

/*
 * Devices this driver has operated on, so that "reset" can undo what a
 * scenario left behind before the next one runs in the same boot. Each
 * entry holds a device reference and the net count of
 * iommu_device_use_default_domain() calls made through us.
 */
#define NR_TOUCHED 64
static struct {
	struct device *dev;
	int use_cnt;
} touched[NR_TOUCHED];

void iommusim_result(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(result, RESULT_LEN, fmt, ap);
	va_end(ap);
	result_set = true;
}

static void *cookie_ptr(unsigned int n)
{
	return n ? &cookies[n] : NULL;
}

/* "none" (NULL), a cookie number, or "other" for an owner not ours. */
static void format_owner(char *buf, size_t len, void *owner)
{
	char *p = owner;

	if (!owner)
		snprintf(buf, len, "none");
	else if (p > cookies && p < cookies + NR_COOKIES)
		snprintf(buf, len, "%d", (int)(p - cookies));
	else
		snprintf(buf, len, "other");
}

static const char *domain_type_name(struct iommu_domain *d)
{
	if (!d)
		return "none";
	switch (d->type) {
	case IOMMU_DOMAIN_BLOCKED:
		return "blocked";
	case IOMMU_DOMAIN_IDENTITY:
		return "identity";
	case IOMMU_DOMAIN_UNMANAGED:
		return "unmanaged";
	case IOMMU_DOMAIN_DMA:
		return "DMA";
	case IOMMU_DOMAIN_DMA_FQ:
		return "DMA-FQ";
	default:
		return "other";
	}
}

/* Name a domain as the scenarios do: default, blocking, dN, none, other. */
static void format_domain(char *buf, size_t len, struct iommu_domain *d,
			  const struct iommusim_group_state *st)
{
	int i;

	if (!d) {
		snprintf(buf, len, "none");
		return;
	}
	if (d == st->default_domain) {
		snprintf(buf, len, "default");
		return;
	}
	if (d == st->blocking_domain) {
		snprintf(buf, len, "blocking");
		return;
	}
	for (i = 0; i < NR_DOMAINS; i++) {
		if (domains[i] == d) {
			snprintf(buf, len, "d%d", i);
			return;
		}
	}
	snprintf(buf, len, "other");
}

/* The caller puts the reference: put_device(). */
static struct device *find_pci_dev(const char *name)
{
	return bus_find_device_by_name(&pci_bus_type, NULL, name);
}

static int parse_slot(const char *s, unsigned int *slot)
{
	if (s[0] != 'd' || kstrtouint(s + 1, 10, slot) || *slot >= NR_DOMAINS)
		return -EINVAL;
	return 0;
}

/*
 * A domain argument: "dN" (a table slot, which must hold a domain),
 * "default"/"blocking" (the group's core domains, possibly NULL),
 * "identity_domain"/"blocked_domain" (the driver's statics,
 * dev_iommu_ops(dev)->..., possibly NULL), "none" or "null" (NULL).
 */
static int parse_domain(const char *s, struct device *dev,
			struct iommu_group *group, struct iommu_domain **out)
{
	struct iommusim_group_state st;
	unsigned int slot;

	if (!strcmp(s, "null") || !strcmp(s, "none")) {
		*out = NULL;
		return 0;
	}
	if (!strcmp(s, "identity_domain") || !strcmp(s, "blocked_domain")) {
		if (!dev || !dev->iommu || !dev->iommu->iommu_dev)
			return -ENODEV;
		*out = s[0] == 'i' ? dev_iommu_ops(dev)->identity_domain
				   : dev_iommu_ops(dev)->blocked_domain;
		return 0;
	}
	if (!strcmp(s, "default") || !strcmp(s, "blocking")) {
		if (!group)
			return -ENODEV;
		iommusim_group_state(group, &st);
		*out = s[0] == 'd' ? st.default_domain : st.blocking_domain;
		return 0;
	}
	if (parse_slot(s, &slot) || !domains[slot])
		return -EINVAL;
	*out = domains[slot];
	return 0;
}

/* "alloc BDF dN" and "alloc_flags BDF dN FLAGS" */
static int op_alloc(struct device *dev, const char *slot_s, const char *flags_s)
{
	struct iommu_domain *d;
	unsigned int slot, flags = 0;

	if (parse_slot(slot_s, &slot) || domains[slot] ||
	    (flags_s && kstrtouint(flags_s, 0, &flags)))
		return -EINVAL;
	d = iommu_paging_domain_alloc_flags(dev, flags);
	if (IS_ERR(d))
		return PTR_ERR(d);
	domains[slot] = d;
	return 0;
}

/* "free dN" frees a slot's domain; "free NAME BDF" the domain NAME
 * names for the device (a driver's static: iommu_domain_free() finds no
 * ops->free and does nothing) */
static int op_free(int argc, char **argv)
{
	struct iommu_group *group;
	struct iommu_domain *d;
	struct device *dev;
	unsigned int slot;
	int ret;

	if (argc == 2) {
		if (parse_slot(argv[1], &slot) || !domains[slot])
			return -EINVAL;
		iommu_domain_free(domains[slot]);
		domains[slot] = NULL;
		return 0;
	}
	dev = find_pci_dev(argv[2]);
	if (!dev)
		return -ENOENT;
	group = iommu_group_get(dev);
	ret = parse_domain(argv[1], dev, group, &d);
	if (!ret && (!d || d->type != IOMMU_DOMAIN_IDENTITY) &&
	    (!d || d->type != IOMMU_DOMAIN_BLOCKED))
		ret = -EINVAL; /* only a static is safe to pass here */
	if (!ret)
		iommu_domain_free(d);
	iommu_group_put(group);
	put_device(dev);
	return ret;
}

/*
 * A new handle per attach or replace, as iommu_attach_group_handle() asks
 * ("Caller should always provide a new handle"). Handles are never freed:
 * a lockless reader may still hold a replaced one, and a test boot is
 * short-lived.
 */
static struct iommu_attach_handle *new_handle(struct iommu_domain *d)
{
	struct iommu_attach_handle *h = kzalloc(sizeof(*h), GFP_KERNEL);

	if (h)
		h->domain = d;
	return h;
}

static int *touch(struct device *dev)
{
	int i;

	for (i = 0; i < NR_TOUCHED && touched[i].dev; i++) {
		if (touched[i].dev == dev)
			return &touched[i].use_cnt;
	}
	if (i == NR_TOUCHED)
		return NULL;
	touched[i].dev = get_device(dev);
	return &touched[i].use_cnt;
}

/*
 * Undo a scenario: detach our handles and domains, release our owner
 * cookies, balance our use_default_domain calls, free the table. The agent
 * unbinds drivers and restores sysfs state itself, then compares every
 * device's state with the one it saw at boot.
 */
static void reset_group(struct device *dev, int use_cnt)
{
	struct iommu_group *group = iommu_group_get(dev);
	struct iommusim_group_state st;
	struct iommu_attach_handle *h;
	char owner[16];

	if (!group)
		return;
	/* a device a reset left parked keeps its group's recovery_cnt up:
	 * every later domain change would be -EBUSY */
	while (iommusim_dev_reset_depth(dev) > 0)
		pci_dev_reset_iommu_done(to_pci_dev(dev));
	for (; use_cnt > 0; use_cnt--)
		iommu_device_unuse_default_domain(dev);
	h = iommu_attach_handle_get(group, IOMMU_NO_PASID, 0);
	if (!IS_ERR(h))
		iommu_detach_group_handle(h->domain, group);
	iommusim_group_state(group, &st);
	format_owner(owner, sizeof(owner), st.owner);
	if (st.owner && strcmp(owner, "other"))
		iommu_group_release_dma_owner(group);
	iommusim_group_state(group, &st);
	if (!st.owner && st.domain != st.default_domain)
		iommu_detach_group(st.domain, group);
	iommu_group_put(group);
}

static int op_reset(void)
{
	int i;

	for (i = 0; i < NR_TOUCHED && touched[i].dev; i++) {
		reset_group(touched[i].dev, touched[i].use_cnt);
		put_device(touched[i].dev);
		touched[i].dev = NULL;
		touched[i].use_cnt = 0;
	}
	for (i = 0; i < NR_DOMAINS; i++) {
		if (domains[i])
			iommu_domain_free(domains[i]);
		domains[i] = NULL;
	}
	return 0;
}

static int op_state(struct device *dev, struct iommu_group *group)
{
	struct iommusim_group_state st;
	struct iommu_attach_handle *h;
	char dom[16], dev_dom[16], owner[16], handle[16];

	result_set = true;
	if (!group) {
		snprintf(result, RESULT_LEN,
			 "ret=0 group=none domain=none owner=none owner_cnt=0");
		return 0;
	}
	iommusim_group_state(group, &st);
	format_domain(dom, sizeof(dom), st.domain, &st);
	format_domain(dev_dom, sizeof(dev_dom), iommusim_dev_domain(dev), &st);
	format_owner(owner, sizeof(owner), st.owner);
	h = iommu_attach_handle_get(group, IOMMU_NO_PASID, 0);
	if (IS_ERR(h))
		snprintf(handle, sizeof(handle), "none");
	else
		format_domain(handle, sizeof(handle), h->domain, &st);
	snprintf(result, RESULT_LEN,
		 "ret=0 group=%d domain=%s dev_domain=%s domain_type=%s "
		 "default_type=%s owner=%s owner_cnt=%u handle=%s blocking=%s",
		 iommu_group_id(group), dom, dev_dom,
		 domain_type_name(st.domain),
		 domain_type_name(st.default_domain), owner, st.owner_cnt,
		 handle, st.blocking_domain ? "allocated" : "none");
	return 0;
}

/*
 * A device without a group: run the functions that check for one
 * themselves (iommu_attach_device, iommu_detach_device,
 * iommu_device_use_default_domain, iommu_device_unuse_default_domain,
 * iommu_device_claim_dma_owner); the others would dereference
 * dev->iommu_group or lock a NULL group's mutex: -ENODEV, not an oops.
 */
static int run_groupless_op(int argc, char **argv, struct device *dev)
{
	const char *op = argv[0];
	struct iommu_domain *d;
	unsigned int n;
	int ret;

	if (!strcmp(op, "device_use_default_domain"))
		return iommu_device_use_default_domain(dev);
	if (!strcmp(op, "device_unuse_default_domain")) {
		iommu_device_unuse_default_domain(dev);
		return 0;
	}
	if (!strcmp(op, "device_claim_dma_owner") && argc == 3) {
		if (kstrtouint(argv[2], 10, &n) || n >= NR_COOKIES)
			return -EINVAL;
		return iommu_device_claim_dma_owner(dev, cookie_ptr(n));
	}
	if (argc != 3 ||
	    (strcmp(op, "attach_device") && strcmp(op, "detach_device")))
		return -ENODEV;
	ret = parse_domain(argv[2], dev, NULL, &d);
	if (ret)
		return ret;
	if (op[0] == 'a')
		return iommu_attach_device(d, dev);
	iommu_detach_device(d, dev);
	return 0;
}

/* Operations on a group or device; argv[1] is the device name. */
/* DMA ownership, a -ENOTTY for an op that is not one of them. */
static int run_owner_op(int argc, char **argv, struct device *dev,
			struct iommu_group *group, int *use_cnt)
{
	const char *op = argv[0];
	unsigned int n;
	int ret;

	if (!strcmp(op, "group_claim_dma_owner") ||
	    !strcmp(op, "device_claim_dma_owner")) {
		if (argc != 3 || kstrtouint(argv[2], 10, &n) || n >= NR_COOKIES)
			return -EINVAL;
		if (op[0] == 'g')
			return iommu_group_claim_dma_owner(group,
							   cookie_ptr(n));
		return iommu_device_claim_dma_owner(dev, cookie_ptr(n));
	}
	if (!strcmp(op, "group_release_dma_owner")) {
		iommu_group_release_dma_owner(group);
		return 0;
	}
	if (!strcmp(op, "device_release_dma_owner")) {
		iommu_device_release_dma_owner(dev);
		return 0;
	}
	if (!strcmp(op, "device_use_default_domain")) {
		ret = iommu_device_use_default_domain(dev);
		if (!ret)
			(*use_cnt)++;
		return ret;
	}
	if (!strcmp(op, "device_unuse_default_domain")) {
		iommu_device_unuse_default_domain(dev);
		(*use_cnt)--;
		return 0;
	}
	if (!strcmp(op, "group_dma_owner_claimed"))
		return iommu_group_dma_owner_claimed(group);
	return -ENOTTY;
}

/* Attach and detach: "<op> <dev> <domain>". */
static int run_attach_op(int argc, char **argv, struct device *dev,
			 struct iommu_group *group)
{
	const char *op = argv[0];
	struct iommu_attach_handle *h;
	struct iommu_domain *d;
	int ret;

	if (argc != 3 && (argc != 4 || strcmp(argv[3], "none")))
		return -EINVAL;
	ret = parse_domain(argv[2], dev, group, &d);
	if (ret)
		return ret;
	if (!strcmp(op, "attach_device"))
		return iommu_attach_device(d, dev);
	if (!strcmp(op, "detach_device")) {
		iommu_detach_device(d, dev);
		return 0;
	}
	if (!strcmp(op, "attach_group"))
		return iommu_attach_group(d, group);
	if (!strcmp(op, "detach_group")) {
		iommu_detach_group(d, group);
		return 0;
	}
	if (!strcmp(op, "detach_group_handle")) {
		iommu_detach_group_handle(d, group);
		return 0;
	}
	if (strcmp(op, "attach_group_handle") &&
	    strcmp(op, "replace_group_handle"))
		return -EINVAL;
	/* "<op> <dev> <domain> none": the caller passes a NULL handle */
	h = argc == 4 ? NULL : new_handle(d);
	if (!h && argc == 3)
		return -ENOMEM;
	if (op[0] == 'a')
		return iommu_attach_group_handle(d, group, h);
	return iommu_replace_group_handle(group, d, h);
}

static int add_member(struct device *dev, void *data)
{
	size_t n = strlen(result);

	snprintf(result + n, RESULT_LEN - n, "%s%s",
		 result[n - 1] == '=' ? "" : ",", dev_name(dev));
	return 0;
}

/* group->devices in list order (iommu_group_for_each_dev). */
static int op_members(struct iommu_group *group)
{
	result_set = true;
	snprintf(result, RESULT_LEN, "ret=0 members=");
	if (group)
		iommu_group_for_each_dev(group, NULL, add_member);
	return 0;
}

/*
 * A PCI reset's two halves, as the PCI core's reset paths call them
 * around the reset (pci-acpi.c, pci.c): "reset_prepare BDF",
 * "reset_done BDF" (void: 0).
 */
static int run_reset_op(const char *op, struct device *dev)
{
	if (!strcmp(op, "reset_prepare"))
		return pci_dev_reset_iommu_prepare(to_pci_dev(dev));
	if (strcmp(op, "reset_done"))
		return -ENOTTY;
	pci_dev_reset_iommu_done(to_pci_dev(dev));
	return 0;
}

static int run_dev_op(int argc, char **argv, struct device *dev,
		      struct iommu_group *group)
{
	int ret, *use_cnt;

	if (!strcmp(argv[0], "state"))
		return op_state(dev, group);
	if (!strcmp(argv[0], "members"))
		return op_members(group);
	if (!strcmp(argv[0], "alloc") && argc == 3)
		return op_alloc(dev, argv[2], NULL);
	if (!strcmp(argv[0], "alloc_flags") && argc == 4)
		return op_alloc(dev, argv[2], argv[3]);
	if (!group)
		return run_groupless_op(argc, argv, dev);
	use_cnt = touch(dev);
	if (!use_cnt)
		return -ENOSPC;
	ret = run_owner_op(argc, argv, dev, group, use_cnt);
	if (ret == -ENOTTY && argc == 2)
		ret = run_reset_op(argv[0], dev);
	if (ret != -ENOTTY)
		return ret;
	return run_attach_op(argc, argv, dev, group);
}

/* IOMMU_READ | IOMMU_WRITE ... as a number (the host's prot= flags),
 * or r, w, rw */
static int parse_prot(const char *s)
{
	unsigned int prot;

	if (!strcmp(s, "r"))
		return IOMMU_READ;
	if (!strcmp(s, "w"))
		return IOMMU_WRITE;
	if (!strcmp(s, "rw"))
		return IOMMU_READ | IOMMU_WRITE;
	if (kstrtouint(s, 0, &prot) || prot > INT_MAX)
		return -EINVAL;
	return prot;
}

static int domain_op(int argc, char **argv, struct iommu_domain *d);
static int pt_range_op(int argc, char **argv, struct iommu_domain *d);

/*
 * The IO page table of a domain: "map D IOVA PADDR SIZE PROT",
 * "unmap D IOVA SIZE", "iova_to_phys D IOVA", each with the device whose
 * group or driver names D (default, identity_domain, ...) last, if D is
 * not a table slot. unmap and iova_to_phys return a value (bytes
 * unmapped, an address): formatted here in full. "map_range" and
 * "unmap_range" take map's and unmap's arguments and call generic_pt's
 * ops directly (pt_range_op()).
 */
static int run_domain_op(int argc, char **argv)
{
	int want = !strncmp(argv[0], "map", 3)	   ? 6
		   : !strncmp(argv[0], "unmap", 5) ? 4
						   : 3;
	struct iommu_group *group = NULL;
	struct device *dev = NULL;
	struct iommu_domain *d;
	int ret;

	if (argc == want + 1) {
		dev = find_pci_dev(argv[want]);
		if (!dev)
			return -ENOENT;
		group = iommu_group_get(dev);
	} else if (argc != want) {
		return -EINVAL;
	}
	ret = parse_domain(argv[1], dev, group, &d);
	/* a NULL domain would oops: the host never sends one (=> UB) */
	if (!ret && !d)
		ret = -EINVAL;
	if (!ret && strstr(argv[0], "_range"))
		ret = pt_range_op(want, argv, d);
	else if (!ret)
		ret = domain_op(want, argv, d);
	iommu_group_put(group);
	put_device(dev);
	return ret;
}

static int domain_op(int argc, char **argv, struct iommu_domain *d)
{
	u64 iova, paddr, size;
	int prot;

	if (kstrtou64(argv[2], 0, &iova))
		return -EINVAL;
	if (!strcmp(argv[0], "iova_to_phys") && argc == 3) {
		iommusim_result(
			"ret=0x%llx",
			(unsigned long long)iommu_iova_to_phys(d, iova));
		return 0;
	}
	if (!strcmp(argv[0], "unmap") && argc == 4) {
		if (kstrtou64(argv[3], 0, &size))
			return -EINVAL;
		iommusim_result("ret=0x%llx",
				(unsigned long long)iommu_unmap(d, iova, size));
		return 0;
	}
	if (strcmp(argv[0], "map") || argc != 6 ||
	    kstrtou64(argv[3], 0, &paddr) || kstrtou64(argv[4], 0, &size))
		return -EINVAL;
	prot = parse_prot(argv[5]);
	if (prot < 0)
		return prot;
	return iommu_map(d, iova, paddr, size, prot, GFP_KERNEL);
}

/*
 * generic_pt's table ops as iommu_map_nosync() and __iommu_unmap() call
 * them (pt->ops->map_range, pt->ops->unmap_range), without what those
 * add: no rollback of a partial map (the bytes map_range reports mapped
 * stay), no iotlb_sync_map. unmap_range's gather is synced, as its
 * callers must. A domain without a generic_pt table (a driver's static
 * domain: iommupt_from_domain() is NULL) would oops a direct caller: the
 * host never sends one (=> UB).
 */
static int pt_range_op(int argc, char **argv, struct iommu_domain *d)
{
	struct pt_iommu *pt = iommupt_from_domain(d);
	struct iommu_iotlb_gather gather;
	u64 iova, paddr, size;
	size_t mapped = 0;
	int prot;

	if (!pt || kstrtou64(argv[2], 0, &iova))
		return -EINVAL;
	if (!strcmp(argv[0], "unmap_range") && argc == 4) {
		if (kstrtou64(argv[3], 0, &size))
			return -EINVAL;
		iommu_iotlb_gather_init(&gather);
		size = pt->ops->unmap_range(pt, iova, size, &gather);
		iommu_iotlb_sync(d, &gather);
		iommusim_result("ret=0x%llx", (unsigned long long)size);
		return 0;
	}
	if (strcmp(argv[0], "map_range") || argc != 6 ||
	    kstrtou64(argv[3], 0, &paddr) || kstrtou64(argv[4], 0, &size))
		return -EINVAL;
	prot = parse_prot(argv[5]);
	if (prot < 0)
		return prot;
	return pt->ops->map_range(pt, iova, paddr, size, prot, GFP_KERNEL,
				  &mapped);
}

static int run_command(char *line)
{
	char *argv[8];
	int argc = 0, ret;
	struct device *dev;
	struct iommu_group *group;
	char *tok;

	while ((tok = strsep(&line, " \t\n")) && argc < 8) {
		if (*tok)
			argv[argc++] = tok;
	}
	if (argc == 0)
		return -EINVAL;
	if (!strcmp(argv[0], "reset") && argc == 1)
		return op_reset();
	if (!strcmp(argv[0], "free") && (argc == 2 || argc == 3))
		return op_free(argc, argv);
	if ((!strcmp(argv[0], "memory_write") && argc == 4) ||
	    (!strcmp(argv[0], "check_memory") && argc == 3))
		return iommusim_phys_op(argc, argv);
	if (argc >= 3 &&
	    (!strcmp(argv[0], "map") || !strcmp(argv[0], "unmap") ||
	     !strcmp(argv[0], "map_range") || !strcmp(argv[0], "unmap_range") ||
	     !strcmp(argv[0], "iova_to_phys")))
		return run_domain_op(argc, argv);
	if (argc < 2)
		return -EINVAL;

	dev = find_pci_dev(argv[1]);
	if (!dev)
		return -ENOENT;
	if (!strcmp(argv[0], "dma") && argc == 6) {
		ret = iommusim_dma(dev, argv);
		put_device(dev);
		return ret;
	}
	group = iommu_group_get(dev);
	ret = run_dev_op(argc, argv, dev, group);
	iommu_group_put(group);
	put_device(dev);
	return ret;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	char buf[128];
	int ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';

	mutex_lock(&ctl_lock);
	result_set = false;
	ret = run_command(buf);
	if (!result_set)
		snprintf(result, RESULT_LEN, "ret=%d", ret);
	mutex_unlock(&ctl_lock);
	return count;
}

static ssize_t ctl_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	char buf[RESULT_LEN + 1];
	int len;

	mutex_lock(&ctl_lock);
	len = scnprintf(buf, sizeof(buf), "%s\n", result);
	mutex_unlock(&ctl_lock);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.write = ctl_write,
	.read = ctl_read,
	.llseek = default_llseek,
};

static int iommusim_pci_probe(struct pci_dev *pdev,
			      const struct pci_device_id *id)
{
	return 0;
}

static void iommusim_pci_remove(struct pci_dev *pdev)
{
}

/* Bound only through driver_override: no id_table. */
static struct pci_driver iommusim_dma_driver = {
	.name = "iommusim-dma",
	.probe = iommusim_pci_probe,
	.remove = iommusim_pci_remove,
};

static struct pci_driver iommusim_managed_driver = {
	.name = "iommusim-managed",
	.probe = iommusim_pci_probe,
	.remove = iommusim_pci_remove,
	.driver_managed_dma = true,
};

static int __init iommusim_test_init(void)
{
	struct dentry *dir;
	int ret;

	dir = debugfs_create_dir("iommusim", NULL);
	debugfs_create_file("ctl", 0600, dir, NULL, &ctl_fops);
	snprintf(result, RESULT_LEN, "ret=0");

	ret = pci_register_driver(&iommusim_dma_driver);
	if (ret)
		return ret;
	ret = pci_register_driver(&iommusim_managed_driver);
	if (ret)
		pci_unregister_driver(&iommusim_dma_driver);
	return ret;
}
late_initcall(iommusim_test_init);
