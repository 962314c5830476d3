// SPDX-License-Identifier: MIT
/*
 * test_pci_hot_reset.c - vfio-pci's dev_set and hot reset
 * (model/vfio/pci_hot_reset.c), against Linux 7.3
 * drivers/vfio/pci/vfio_pci_core.c. The machine:
 *
 *   rp0 - br (PCIe-to-PCI) - a, b   conventional, one group with br
 *   rp1 - usp - dsp - f0, f1        a multifunction PCIe device whose
 *                                   functions have ACS: a group each,
 *                                   one bus (model only: QEMU has no
 *                                   endpoint with ACS)
 *   rp2 - e                         PCIe, alone behind a root port
 *   r                               PCIe, on the root bus
 */
#include "fx_vfio.h"
#include "state.h"

struct hx {
	struct fx fx;
	struct device *a, *b, *f0, *f1, *e, *r;
};

static int hx_setup(void **state)
{
	struct hx *h = calloc(1, sizeof(*h));
	struct iommu_model *m = iommu_model_new(&profile_linux_7_3);
	struct device *rp0, *rp1, *rp2, *br, *usp, *dsp;

	h->fx.m = m;
	iommu_device_add(m, "iommu0", IOMMU_DRV_AMD_VI);
	iommu_register_builtin_drivers(m);
	h->fx.vfio_pci = driver_find(m, "vfio-pci");
	rp0 = device_add(m, "rp0", DEV_PCIE_ROOT_PORT, NULL, 0x1c << 3);
	rp1 = device_add(m, "rp1", DEV_PCIE_ROOT_PORT, NULL, 0x1d << 3);
	rp2 = device_add(m, "rp2", DEV_PCIE_ROOT_PORT, NULL, 0x1e << 3);
	rp0->acs = rp1->acs = rp2->acs = true;
	br = device_add(m, "br", DEV_PCIE_PCI_BRIDGE, rp0, 0);
	usp = device_add(m, "usp", DEV_PCIE_UPSTREAM, rp1, 0);
	dsp = device_add(m, "dsp", DEV_PCIE_DOWNSTREAM, usp, 0);
	dsp->acs = true;
	h->a = device_add(m, "a", DEV_PCI, br, 1 << 3);
	h->b = device_add(m, "b", DEV_PCI, br, 2 << 3);
	h->a->pcie = h->b->pcie = false;
	h->f0 = device_add(m, "f0", DEV_PCI, dsp, 0);
	h->f1 = device_add(m, "f1", DEV_PCI, dsp, 1);
	h->e = device_add(m, "e", DEV_PCI, rp2, 0);
	h->f0->multifunction = h->f1->multifunction = true;
	h->f0->acs = h->f1->acs = true;
	h->r = device_add(m, "r", DEV_PCI, NULL, 3 << 3);
	iommu_set_cmdline(m, "iommufd.allow_unsafe_interrupts", true);
	assert_int_equal(0, iommu_model_boot(m));
	vfio_set_type1_allow_unsafe_interrupts(m, true);
	h->fx.root = process_new();
	h->fx.user = process_new();
	*state = h;
	return 0;
}

static int hx_free(void **state)
{
	struct hx *h = *state;
	struct fx *f = malloc(sizeof(*f));

	*f = h->fx;
	free(h);
	*state = f;
	return fx_free(state);
}

/* the device's cdev, bound to @ifd */
static struct vfio_file *cdev_bound(struct hx *h, struct device *dev,
				    struct vfio_file *ifd)
{
	g_autofree char *path = vfio_cdev_node_of(h->fx.m, dev);
	struct vfio_file *df = fx_open(&h->fx, path);

	assert_int_equal(0, fx_bind_iommufd(&h->fx, df, ifd, NULL));
	return df;
}

/* @dev's group file, set into a new native type1 container (*cf) */
static struct vfio_file *group_in_container(struct hx *h, struct device *dev,
					    struct vfio_file **cf)
{
	g_autofree char *path = vfio_group_node_of(h->fx.m, dev);
	struct vfio_file *gf = fx_open(&h->fx, path);
	unsigned long type1v2 = VFIO_TYPE1v2_IOMMU;
	int fd;

	*cf = fx_open(&h->fx, "/dev/vfio/vfio");
	fd = vfio_file_fd(*cf);
	assert_int_equal(0, fx_ioctl(&h->fx, gf, VFIO_GROUP_SET_CONTAINER, &fd,
				     sizeof(fd)));
	assert_int_equal(0, fx_ioctl(&h->fx, *cf, VFIO_SET_IOMMU, &type1v2,
				     sizeof(type1v2)));
	return gf;
}

static struct vfio_file *group_device(struct hx *h, struct vfio_file *gf,
				      const char *name)
{
	struct vfio_file *df = NULL;

	assert_true(vfio_ioctl(gf, h->fx.root, VFIO_GROUP_GET_DEVICE_FD,
			       (void *)name, strlen(name) + 1, &df) > 0);
	return df;
}

struct info_buf {
	struct vfio_pci_hot_reset_info hdr;
	struct vfio_pci_dependent_device dev[4];
};

static int info(struct hx *h, struct vfio_file *df, u32 argsz,
		struct info_buf *b)
{
	memset(b, 0, sizeof(*b));
	b->hdr.argsz = argsz;
	return fx_ioctl(&h->fx, df, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, b,
			sizeof(*b));
}

struct reset_buf {
	struct vfio_pci_hot_reset hdr;
	int32_t fds[4];
};

/* PCI_HOT_RESET with @n fds, the state hash unchanged when refused */
static int hot_reset(struct hx *h, struct vfio_file *df, u32 n,
		     const int32_t *fds)
{
	struct reset_buf b = { .hdr = { .argsz = sizeof(b), .count = n } };
	u64 before = iommu_state_hash(h->fx.m);
	int ret;

	if (n) /* fds may be NULL with none: memcpy() wants a pointer */
		memcpy(b.fds, fds, n * sizeof(*fds));
	ret = fx_ioctl(&h->fx, df, VFIO_DEVICE_PCI_HOT_RESET, &b, sizeof(b));
	assert_true(before == iommu_state_hash(h->fx.m));
	return ret;
}

/* pci_probe_reset_slot() and pci_probe_reset_bus() both fail on the root
 * bus: INFO and HOT_RESET -ENODEV */
static void root_bus_function_has_no_hot_reset(void **state)
{
	struct hx *h = *state;
	struct vfio_file *ifd = fx_iommufd(&h->fx), *df;
	struct info_buf b;

	assert_int_equal(0, fx_bind_vfio(&h->fx, h->r));
	df = cdev_bound(h, h->r, ifd);
	assert_int_equal(-ENODEV, info(h, df, sizeof(b), &b));
	assert_int_equal(-ENODEV, hot_reset(h, df, 0, NULL));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* argsz short of the devices: -ENOSPC, count copied back, flags 0; a
 * short struct (argsz < minsz) -EINVAL */
static void short_argsz_gives_enospc_and_the_count(void **state)
{
	struct hx *h = *state;
	struct vfio_file *ifd = fx_iommufd(&h->fx), *df;
	struct info_buf b;
	size_t copied = 0;

	assert_int_equal(0, fx_bind_vfio(&h->fx, h->a));
	assert_int_equal(0, fx_bind_vfio(&h->fx, h->b));
	df = cdev_bound(h, h->a, ifd);
	memset(&b, 0, sizeof(b));
	b.hdr.argsz = sizeof(b.hdr) + sizeof(b.dev[0]);
	assert_int_equal(-ENOSPC,
			 vfio_ioctl_copied(df, h->fx.root,
					   VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
					   &b, sizeof(b), NULL, &copied));
	assert_int_equal(12, copied);
	assert_int_equal(2, b.hdr.count);
	assert_int_equal(0, b.hdr.flags);
	assert_int_equal(-EINVAL, info(h, df, 8, &b));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* a group-opened caller sees group ids (vfio_pci_fill_devs()): the
 * bus's two functions, both in br's group */
static void group_caller_gets_group_ids(void **state)
{
	struct hx *h = *state;
	struct vfio_file *cf, *gf, *df;
	struct info_buf b;

	assert_int_equal(0, fx_bind_vfio(&h->fx, h->a));
	assert_int_equal(0, fx_bind_vfio(&h->fx, h->b));
	gf = group_in_container(h, h->a, &cf);
	df = group_device(h, gf, "a");
	assert_int_equal(0, info(h, df, sizeof(b), &b));
	assert_int_equal(0, b.hdr.flags);
	assert_int_equal(2, b.hdr.count);
	assert_int_equal(h->a->iommu_group->id, b.dev[0].group_id);
	assert_int_equal(h->b->iommu_group->id, b.dev[1].group_id);
	assert_int_equal(h->a->bus, b.dev[0].bus);
	assert_int_equal(1 << 3, b.dev[0].devfn);
	assert_int_equal(2 << 3, b.dev[1].devfn);
	vfio_close(df);
	vfio_close(gf);
	vfio_close(cf);
}

/* a cdev caller sees devids: its own, OWNED (0) for a dev_set member
 * of a group its ctx has a device in, NOT_OWNED for a device outside
 * the dev_set, which also clears DEV_ID_OWNED */
static void cdev_caller_gets_devids_owned_and_not_owned(void **state)
{
	struct hx *h = *state;
	struct vfio_file *ifd = fx_iommufd(&h->fx), *df;
	struct info_buf b;

	assert_int_equal(0, fx_bind_vfio(&h->fx, h->a));
	df = cdev_bound(h, h->a, ifd);
	assert_int_equal(0, info(h, df, sizeof(b), &b));
	assert_int_equal(VFIO_PCI_HOT_RESET_FLAG_DEV_ID, b.hdr.flags);
	assert_true(b.dev[0].devid > 0);
	assert_int_equal((u32)VFIO_PCI_DEVID_NOT_OWNED, b.dev[1].devid);
	assert_int_equal(-EINVAL, hot_reset(h, df, 0, NULL));
	assert_int_equal(0, fx_bind_vfio(&h->fx, h->b));
	assert_int_equal(0, info(h, df, sizeof(b), &b));
	assert_int_equal(VFIO_PCI_HOT_RESET_FLAG_DEV_ID |
				 VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED,
			 b.hdr.flags);
	assert_int_equal(VFIO_PCI_DEVID_OWNED, b.dev[1].devid);
	assert_int_equal(0, hot_reset(h, df, 0, NULL));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* the group path: fds required (count 0 -EINVAL), at most one per
 * affected device, each an open file (-EBADF) of a group (-EINVAL) */
static void group_caller_must_pass_group_fds(void **state)
{
	struct hx *h = *state;
	struct vfio_file *cf, *gf, *df;
	int32_t g, c, bad = 1000;

	assert_int_equal(0, fx_bind_vfio(&h->fx, h->a));
	assert_int_equal(0, fx_bind_vfio(&h->fx, h->b));
	gf = group_in_container(h, h->a, &cf);
	df = group_device(h, gf, "a");
	g = vfio_file_fd(gf);
	c = vfio_file_fd(cf);
	assert_int_equal(-EINVAL, hot_reset(h, df, 0, NULL));
	assert_int_equal(-EINVAL, hot_reset(h, df, 3, (int32_t[]){ g, g, g }));
	assert_int_equal(-EBADF, hot_reset(h, df, 1, &bad));
	assert_int_equal(-EINVAL, hot_reset(h, df, 1, &c));
	assert_int_equal(0, hot_reset(h, df, 1, &g));
	vfio_close(df);
	vfio_close(gf);
	vfio_close(cf);
}

/* a cdev caller passes no fds; flags must be 0 */
static void cdev_caller_passes_no_fds_and_no_flags(void **state)
{
	struct hx *h = *state;
	struct vfio_file *ifd = fx_iommufd(&h->fx), *df;
	int32_t i = vfio_file_fd(ifd);
	struct reset_buf b = { .hdr = { .argsz = sizeof(b), .flags = 1 } };

	assert_int_equal(0, fx_bind_vfio(&h->fx, h->f0));
	assert_int_equal(0, fx_bind_vfio(&h->fx, h->f1));
	df = cdev_bound(h, h->f0, ifd);
	assert_int_equal(-EINVAL, hot_reset(h, df, 1, &i));
	assert_int_equal(
		-EINVAL,
		fx_ioctl(&h->fx, df, VFIO_DEVICE_PCI_HOT_RESET, &b, sizeof(b)));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* f0 and f1 share a bus but not a group: a ctx owns f1 only once f1 is
 * bound to it (no implicit ownership across groups); another ctx's
 * binding does not count */
static void cdev_reset_needs_every_group_owned_by_the_ctx(void **state)
{
	struct hx *h = *state;
	struct vfio_file *i1 = fx_iommufd(&h->fx), *i2 = fx_iommufd(&h->fx);
	struct vfio_file *d0, *d1;
	struct info_buf b;

	assert_int_equal(0, fx_bind_vfio(&h->fx, h->f0));
	assert_int_equal(0, fx_bind_vfio(&h->fx, h->f1));
	assert_true(h->f0->iommu_group != h->f1->iommu_group);
	d0 = cdev_bound(h, h->f0, i1);
	assert_int_equal(0, info(h, d0, sizeof(b), &b));
	assert_int_equal((u32)VFIO_PCI_DEVID_NOT_OWNED, b.dev[1].devid);
	assert_int_equal(-EINVAL, hot_reset(h, d0, 0, NULL));
	d1 = cdev_bound(h, h->f1, i2);
	assert_int_equal(-EINVAL, hot_reset(h, d0, 0, NULL));
	vfio_close(d1);
	d1 = cdev_bound(h, h->f1, i1);
	assert_int_equal(0, info(h, d0, sizeof(b), &b));
	assert_true(b.dev[1].devid > 0 && b.dev[1].devid != b.dev[0].devid);
	assert_int_equal(0, hot_reset(h, d0, 0, NULL));
	vfio_close(d1);
	vfio_close(d0);
	fx_close_iommufd(i2);
	fx_close_iommufd(i1);
}

/* the group path with two groups on the bus: both fds needed */
static void group_reset_needs_every_group_fd(void **state)
{
	struct hx *h = *state;
	g_autofree char *path1 = NULL;
	struct vfio_file *cf, *gf, *gf1, *df;
	int32_t fds[2];

	assert_int_equal(0, fx_bind_vfio(&h->fx, h->f0));
	assert_int_equal(0, fx_bind_vfio(&h->fx, h->f1));
	gf = group_in_container(h, h->f0, &cf);
	df = group_device(h, gf, "f0");
	path1 = vfio_group_node_of(h->fx.m, h->f1);
	gf1 = fx_open(&h->fx, path1);
	fds[0] = vfio_file_fd(gf);
	fds[1] = vfio_file_fd(gf1);
	assert_int_equal(-EINVAL, hot_reset(h, df, 1, fds));
	assert_int_equal(0, hot_reset(h, df, 2, fds));
	vfio_close(df);
	vfio_close(gf1);
	vfio_close(gf);
	vfio_close(cf);
}

/* a root port's secondary bus reset fails when a function on its bus
 * has a PM capability (QEMU's pcie-root-port link never reports active
 * again: pci_bridge_wait_for_secondary_bus() -ENOTTY), after every check
 * passed; without one (a conventional function) nothing is waited for */
static void root_port_bus_reset_is_enotty(void **state)
{
	struct hx *h = *state;
	struct vfio_file *ifd = fx_iommufd(&h->fx), *df;

	assert_int_equal(0, fx_bind_vfio(&h->fx, h->e));
	df = cdev_bound(h, h->e, ifd);
	assert_int_equal(-ENOTTY, hot_reset(h, df, 0, NULL));
	assert_true(vfio_pci_reset_works(h->fx.m, h->e));
	h->e->pcie = false;
	assert_true(vfio_pci_reset_works(h->fx.m, h->e));
	assert_int_equal(0, hot_reset(h, df, 0, NULL));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* reset_works: FLR on PCIe; a conventional function only alone behind
 * a bridge (pci_parent_bus_reset()) */
static void conventional_function_resets_only_alone_on_its_bus(void **state)
{
	struct hx *h = *state;

	assert_true(vfio_pci_reset_works(h->fx.m, h->r));
	assert_false(vfio_pci_reset_works(h->fx.m, h->a));
	assert_int_equal(0, device_del(h->fx.m, h->b));
	assert_true(vfio_pci_reset_works(h->fx.m, h->a));
	h->r->pcie = false;
	assert_false(vfio_pci_reset_works(h->fx.m, h->r));
}

/* pci_init_reset_methods() at enumeration: of a bus's functions only the
 * first scanned (lowest devfn) has the bus method, and keeps or lacks it
 * whatever leaves the bus later */
static void bus_method_is_taken_at_enumeration(void **state)
{
	struct hx *h = *state;

	assert_true(h->a->reset_bus_method);
	assert_false(h->b->reset_bus_method);
	assert_int_equal(0, device_del(h->fx.m, h->a));
	assert_false(vfio_pci_reset_works(h->fx.m, h->b));
}

static int get_info_flags(struct hx *h, struct vfio_file *df)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };

	assert_int_equal(0, fx_ioctl(&h->fx, df, VFIO_DEVICE_GET_INFO, &info,
				     sizeof(info)));
	return info.flags;
}

/* vfio_pci_core_enable() takes reset_works at the first open: a function
 * alone then keeps RESET after a sibling is hot-added, but its bus method
 * fails (-ENOTTY); a new first open finds no reset (-EINVAL) */
static void reset_works_is_taken_at_first_open(void **state)
{
	struct hx *h = *state;
	struct vfio_file *ifd = fx_iommufd(&h->fx), *df;
	struct device *b2;

	assert_int_equal(0, device_del(h->fx.m, h->b));
	assert_int_equal(0, fx_bind_vfio(&h->fx, h->a));
	df = cdev_bound(h, h->a, ifd);
	b2 = device_add(h->fx.m, "b2", DEV_PCI, h->a->parent, 2 << 3);
	b2->pcie = false;
	assert_int_equal(0, iommu_probe_device(h->fx.m, b2));
	assert_false(b2->reset_bus_method);
	assert_int_equal(VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET,
			 get_info_flags(h, df));
	assert_int_equal(-ENOTTY,
			 fx_ioctl(&h->fx, df, VFIO_DEVICE_RESET, NULL, 0));
	vfio_close(df);
	df = cdev_bound(h, h->a, ifd);
	assert_int_equal(VFIO_DEVICE_FLAGS_PCI, get_info_flags(h, df));
	assert_int_equal(-EINVAL,
			 fx_ioctl(&h->fx, df, VFIO_DEVICE_RESET, NULL, 0));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

int main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, hx_setup, hx_free)
	const struct CMUnitTest tests[] = {
		T(root_bus_function_has_no_hot_reset),
		T(short_argsz_gives_enospc_and_the_count),
		T(group_caller_gets_group_ids),
		T(cdev_caller_gets_devids_owned_and_not_owned),
		T(group_caller_must_pass_group_fds),
		T(cdev_caller_passes_no_fds_and_no_flags),
		T(cdev_reset_needs_every_group_owned_by_the_ctx),
		T(group_reset_needs_every_group_fd),
		T(root_port_bus_reset_is_enotty),
		T(conventional_function_resets_only_alone_on_its_bus),
		T(bus_method_is_taken_at_enumeration),
		T(reset_works_is_taken_at_first_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
