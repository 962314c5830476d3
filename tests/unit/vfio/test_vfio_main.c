// SPDX-License-Identifier: MIT
/*
 * test_vfio_main.c - registration of a vfio-pci device and the nodes and
 * sysfs entries each configuration gives (Linux 7.3 vfio_main.c
 * __vfio_register_dev(), vfio_device_set_noiommu_and_name(); group.c
 * vfio_group_find_or_alloc(), vfio_noiommu_group_alloc(); vfio.h
 * vfio_device_add(); device_cdev.c vfio_init_device_cdev()), unbind and
 * re-registration, removals that wait, and fail-nth over registration.
 */
#include "fx_vfio.h"

static struct fx *boot_with(const char *sym, int val, bool noiommu)
{
	struct vfio_kconfig_req req;

	vfio_kconfig_req_init(&req);
	if (sym)
		req.v[vfio_ksym_lookup(sym)] = (signed char)val;
	return fx_boot(&req, noiommu);
}

static bool node_f(struct fx *f, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static bool node_f(struct fx *f, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *p = NULL;

	va_start(ap, fmt);
	p = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return fx_node(f, p);
}

/* An IOMMU-backed device: group node named by its iommu_group id, a cdev
 * vfio0 with its `dev`, the container node; no taint */
static void iommu_device_gets_group_node_and_cdev(void **state)
{
	struct fx *f = *state;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	assert_true(node_f(f, "/dev/vfio/%d", f->c->iommu_group->id));
	assert_true(fx_node(f, "/dev/vfio/vfio"));
	assert_true(fx_node(f, "/dev/vfio/devices/vfio0"));
	assert_true(fx_node(f, "/sys/bus/pci/devices/0000:00:03.0/vfio-dev/"
			       "vfio0/dev"));
	assert_false(vfio_tainted(f->m));
}

/* REFERENCE.md (noiommu guest): /dev/vfio/noiommu-0, the group named
 * vfio-noiommu, /dev/vfio/vfio, /dev/vfio/devices/noiommu-vfio0, taint */
static void noiommu_device_gets_fake_group_and_noiommu_cdev(void **state)
{
	struct fx *f = *state;
	g_autofree char *name = NULL, *path = NULL;
	int gid;

	assert_int_equal(0, fx_bind_vfio(f, f->n));
	gid = f->n->iommu_group->id;
	assert_true(node_f(f, "/dev/vfio/noiommu-%d", gid));
	path = g_strdup_printf("/sys/kernel/iommu_groups/%d/name", gid);
	name = vfio_sysfs_read(f->m, path);
	assert_string_equal("vfio-noiommu", name);
	assert_true(fx_node(f, "/dev/vfio/vfio"));
	assert_true(fx_node(f, "/dev/vfio/devices/noiommu-vfio0"));
	assert_false(f->n->dev_iommu);
	assert_true(vfio_tainted(f->m));
}

/* group.c vfio_group_find_or_alloc(): no group and no noiommu mode */
static void noiommu_off_refuses_the_bind_and_leaves_no_trace(void **state)
{
	struct fx *f = fx_boot(NULL, false);
	g_autofree char *before = vfio_nodes_view(f->m);
	g_autofree char *after = NULL;

	assert_int_equal(-EINVAL, fx_bind_vfio(f, f->n));
	after = vfio_nodes_view(f->m);
	assert_string_equal(before, after);
	assert_null(f->n->driver);
	assert_null(f->n->iommu_group);
	/* the index went back: the next device is vfio0 */
	assert_int_equal(0, fx_bind_vfio(f, f->c));
	assert_true(fx_node(f, "/dev/vfio/devices/vfio0"));
	*state = f;
}

/* Seed 004 as 7.3 has it: VFIO_GROUP=n builds no vfio_group at all (the
 * vfio.h stubs), and no container node; the cdev is noiommu-vfio0 */
static void group_off_gives_cdev_only_and_no_fake_group(void **state)
{
	struct fx *f = boot_with("VFIO_GROUP", 0, true);

	assert_int_equal(0, fx_bind_vfio(f, f->n));
	assert_null(f->n->iommu_group);
	assert_false(fx_node(f, "/dev/vfio/vfio"));
	assert_false(fx_node(f, "/dev/vfio/noiommu-0"));
	assert_true(fx_node(f, "/dev/vfio/devices/noiommu-vfio0"));
	assert_true(vfio_tainted(f->m));
	*state = f;
}

/* The point: vfio-dev/vfioN exists without VFIO_DEVICE_CDEV, but
 * has no `dev`; the name has no noiommu- prefix (device->noiommu needs
 * IOMMUFD_NOIOMMU) */
static void cdev_off_keeps_vfio_dev_dir_without_dev(void **state)
{
	struct fx *f = boot_with("VFIO_DEVICE_CDEV", 0, true);
	const char *dir = "/sys/bus/pci/devices/0000:00:05.0/vfio-dev/vfio0";
	g_autofree char *dev = g_strdup_printf("%s/dev", dir);

	assert_int_equal(0, fx_bind_vfio(f, f->n));
	assert_true(fx_node(f, dir));
	assert_false(fx_node(f, dev));
	assert_false(fx_node(f, "/dev/vfio/devices"));
	assert_true(node_f(f, "/dev/vfio/noiommu-%d", f->n->iommu_group->id));
	*state = f;
}

/* GENERIC_ATOMIC64: VFIO_NOIOMMU without IOMMUFD_NOIOMMU;
 * vfio_init_device_cdev() gives a noiommu device no devt */
static void atomic64_noiommu_device_has_no_cdev_node(void **state)
{
	struct fx *f = boot_with("GENERIC_ATOMIC64", 1, true);

	assert_int_equal(0, fx_bind_vfio(f, f->n));
	assert_true(fx_node(f, "/sys/bus/pci/devices/0000:00:05.0/vfio-dev/"
			       "vfio0"));
	assert_false(fx_node(f, "/sys/bus/pci/devices/0000:00:05.0/vfio-dev/"
				"vfio0/dev"));
	assert_false(fx_node(f, "/dev/vfio/devices/vfio0"));
	*state = f;
}

/* The parameter is sampled at registration (name, device->noiommu, the
 * fake group); flipping it later changes neither; a new bind reads it */
static void noiommu_param_is_sampled_at_registration(void **state)
{
	struct fx *f = *state;

	assert_int_equal(0, fx_bind_vfio(f, f->n));
	assert_int_equal(0, vfio_set_noiommu_param(f->m, false));
	assert_true(fx_node(f, "/dev/vfio/devices/noiommu-vfio0"));
	assert_non_null(f->n->iommu_group);
	assert_int_equal(-EINVAL, fx_bind_vfio(f, f->n2));
}

/* /sys/module/vfio/parameters/enable_unsafe_noiommu_mode exists only
 * with CONFIG_VFIO_NOIOMMU (vfio_main.c module_param_named() under
 * #ifdef): a run-time write of it is -ENOENT without, 0 with */
static void noiommu_param_file_exists_only_with_vfio_noiommu(void **state)
{
	struct fx *off = boot_with("VFIO_NOIOMMU", 0, false);
	struct fx *on = boot_with(NULL, 0, false);

	assert_int_equal(-ENOENT, vfio_noiommu_param_store(off->m, "1"));
	assert_int_equal(0, vfio_noiommu_param_store(on->m, "1"));
	fx_free((void **)&off);
	*state = on;
}

/* param_attr_store() -> param_set_bool() -> kstrtobool(): the first
 * character ("o" the second); a refused write keeps the value */
static void noiommu_param_store_takes_what_kstrtobool_takes(void **state)
{
	struct fx *f = *state;
	const char *on[] = { "Y", "y", "1", "on", "ON", "true", "enable" };
	const char *off[] = { "N", "0", "off", "false", "disable" };

	for (size_t i = 0; i < G_N_ELEMENTS(on); i++) {
		assert_int_equal(0, vfio_noiommu_param_store(f->m, "N"));
		assert_int_equal(0, vfio_noiommu_param_store(f->m, on[i]));
		assert_string_equal("Y", vfio_noiommu_param_show(f->m));
	}
	for (size_t i = 0; i < G_N_ELEMENTS(off); i++) {
		assert_int_equal(0, vfio_noiommu_param_store(f->m, "Y"));
		assert_int_equal(0, vfio_noiommu_param_store(f->m, off[i]));
		assert_string_equal("N", vfio_noiommu_param_show(f->m));
	}
	assert_int_equal(-EINVAL, vfio_noiommu_param_store(f->m, "2"));
	assert_int_equal(-EINVAL, vfio_noiommu_param_store(f->m, "o"));
	assert_int_equal(-EINVAL, vfio_noiommu_param_store(f->m, ""));
	assert_string_equal("N", vfio_noiommu_param_show(f->m));
}

/* #ifdef CONFIG_VFIO_NOIOMMU around module_param_named(): no file */
static void noiommu_param_has_no_file_without_vfio_noiommu(void **state)
{
	struct fx *f = boot_with("VFIO_NOIOMMU", 0, false);

	*state = f;
	assert_null(vfio_noiommu_param_show(f->m));
	assert_int_equal(-ENOENT, vfio_noiommu_param_store(f->m, "Y"));
	assert_int_equal(-EINVAL, fx_bind_vfio(f, f->n));
	assert_false(vfio_tainted(f->m));
}

/* turned on after boot: the next registration reads it and taints */
static void noiommu_param_turned_on_later_lets_the_next_bind_in(void **state)
{
	struct fx *f = fx_boot(NULL, false);

	*state = f;
	assert_int_equal(-EINVAL, fx_bind_vfio(f, f->n));
	assert_false(vfio_tainted(f->m));
	assert_int_equal(0, vfio_noiommu_param_store(f->m, "1"));
	assert_false(vfio_tainted(f->m));
	assert_int_equal(0, fx_bind_vfio(f, f->n));
	assert_true(fx_node(f, "/dev/vfio/devices/noiommu-vfio0"));
	assert_true(vfio_tainted(f->m));
}

/* IOMMUFD=n: no misc device "iommu" (iommufd_init()), VFIO's group and
 * container selected, no cdev */
static void iommufd_off_has_no_dev_iommu_and_no_cdev(void **state)
{
	struct fx *f = boot_with("IOMMUFD", 0, false);
	struct iommufd_ctx *ictx = NULL;

	*state = f;
	assert_int_equal(-ENOENT, iommufd_dev_open(f->m, &ictx));
	assert_null(ictx);
	assert_false(fx_node(f, "/dev/iommu"));
	assert_true(fx_node(f, "/dev/vfio/vfio"));
	assert_int_equal(0, fx_bind_vfio(f, f->c));
	assert_true(node_f(f, "/dev/vfio/%d", f->c->iommu_group->id));
	assert_false(fx_node(f, "/dev/vfio/devices/vfio0"));
}

/* vfio_init_device(): ida_alloc_max(): the lowest free index again; the
 * group node goes with the group's last device */
static void unbind_frees_the_index_and_the_group_node(void **state)
{
	struct fx *f = *state;
	int gid = f->c->iommu_group->id;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	assert_int_equal(0, fx_bind_vfio(f, f->n));
	assert_true(fx_node(f, "/dev/vfio/devices/noiommu-vfio1"));
	assert_int_equal(0, device_driver_detach(f->m, f->c));
	assert_false(node_f(f, "/dev/vfio/%d", gid));
	assert_false(fx_node(f, "/dev/vfio/devices/vfio0"));
	assert_int_equal(0, fx_bind_vfio(f, f->c));
	assert_true(fx_node(f, "/dev/vfio/devices/vfio0"));
	/* the fake group leaves with its device */
	assert_int_equal(0, device_driver_detach(f->m, f->n));
	assert_null(f->n->iommu_group);
}

/* vfio_unregister_group_dev() waits for open files: the unbind blocks
 * with the device still bound and its cdev gone, and returns at the last
 * close, the device unbound; a bind made meanwhile waits for the device's
 * lock and binds after it */
static void unbind_with_an_open_file_blocks_until_the_close(void **state)
{
	struct fx *f = *state;
	struct vfio_file *df;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	df = fx_open(f, "/dev/vfio/devices/vfio0");
	assert_int_equal(IOMMU_BLOCKS, device_driver_detach(f->m, f->c));
	assert_ptr_equal(f->vfio_pci, f->c->driver);
	assert_false(fx_node(f, "/dev/vfio/devices/vfio0"));
	assert_int_equal(IOMMU_BLOCKS,
			 device_driver_attach(f->m, f->c, f->vfio_pci));
	assert_int_equal(2, f->c->lock_tasks);
	vfio_close(df);
	assert_int_equal(0, f->c->lock_tasks);
	/* the unbind returned, then the queued bind registered it again */
	assert_ptr_equal(f->vfio_pci, f->c->driver);
	assert_true(fx_node(f, "/dev/vfio/devices/vfio0"));
	assert_int_equal(0, device_driver_detach(f->m, f->c));
	assert_null(f->c->driver);
}

/* two binds queued behind the waiting unbind: each wrote the device's
 * driver_override before its bind blocked, so at the close only the
 * last one's driver matches (pci_match_device()); the first probes
 * nothing and the device ends bound to the second's */
static void queued_binds_meet_the_last_override(void **state)
{
	struct fx *f = *state;
	struct device_driver *stub = driver_find(f->m, "pci-stub");
	struct vfio_file *df;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	df = fx_open(f, "/dev/vfio/devices/vfio0");
	assert_int_equal(IOMMU_BLOCKS, device_driver_detach(f->m, f->c));
	assert_int_equal(IOMMU_BLOCKS,
			 device_driver_attach(f->m, f->c, f->vfio_pci));
	assert_int_equal(IOMMU_BLOCKS, device_driver_attach(f->m, f->c, stub));
	vfio_close(df);
	assert_ptr_equal(stub, f->c->driver);
	assert_false(fx_node(f, "/dev/vfio/devices/vfio0"));
}

/* a removal that waits (vfio-pci's remove, a file open) holds the PCI
 * core's pci_rescan_remove_lock: another device's removal waits behind
 * it, and a second removal of the first finds its sysfs remove gone;
 * the close lets both go on (pci-sysfs.c remove_store(), remove.c
 * pci_stop_and_remove_bus_device_locked()) */
static void removal_waits_behind_a_waiting_removal(void **state)
{
	struct fx *f = *state;
	struct vfio_file *df;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	df = fx_open(f, "/dev/vfio/devices/vfio0");
	assert_int_equal(IOMMU_BLOCKS, device_del(f->m, f->c));
	assert_int_equal(IOMMU_BLOCKS, device_del(f->m, f->a));
	assert_int_equal(1, f->a->rescan_wait);
	assert_false(f->a->removed);
	assert_int_equal(-ENOENT, device_del(f->m, f->c));
	vfio_close(df);
	assert_true(f->c->removed);
	assert_true(f->a->removed);
	assert_int_equal(0, f->a->rescan_wait);
}

/* fail-nth over registration: every failure point leaves the nodes, the
 * groups and the index as they were */
static void failed_registration_changes_nothing(void **state)
{
	struct fx *f = *state;
	g_autofree char *before = vfio_nodes_view(f->m);
	guint groups = f->m->groups->len;
	int ok = 0;

	for (uint64_t nth = 1; nth < 10 && !ok; nth++) {
		g_autofree char *after = NULL;

		fault_arm(&f->m->fault, nth);
		if (fx_bind_vfio(f, f->n) == 0) {
			ok = 1;
			break;
		}
		fault_arm(&f->m->fault, 0);
		after = vfio_nodes_view(f->m);
		assert_string_equal(before, after);
		assert_int_equal(groups, f->m->groups->len);
		assert_null(f->n->iommu_group);
		assert_null(f->n->driver);
	}
	fault_arm(&f->m->fault, 0);
	assert_true(ok);
	assert_true(fx_node(f, "/dev/vfio/devices/noiommu-vfio0"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			iommu_device_gets_group_node_and_cdev, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			noiommu_device_gets_fake_group_and_noiommu_cdev,
			fx_setup, fx_free),
		cmocka_unit_test_teardown(
			noiommu_off_refuses_the_bind_and_leaves_no_trace,
			fx_free),
		cmocka_unit_test_teardown(
			group_off_gives_cdev_only_and_no_fake_group, fx_free),
		cmocka_unit_test_teardown(
			cdev_off_keeps_vfio_dev_dir_without_dev, fx_free),
		cmocka_unit_test_teardown(
			atomic64_noiommu_device_has_no_cdev_node, fx_free),
		cmocka_unit_test_setup_teardown(
			noiommu_param_is_sampled_at_registration, fx_setup,
			fx_free),
		cmocka_unit_test_teardown(
			noiommu_param_file_exists_only_with_vfio_noiommu,
			fx_free),
		cmocka_unit_test_setup_teardown(
			noiommu_param_store_takes_what_kstrtobool_takes,
			fx_setup, fx_free),
		cmocka_unit_test_teardown(
			noiommu_param_has_no_file_without_vfio_noiommu,
			fx_free),
		cmocka_unit_test_teardown(
			noiommu_param_turned_on_later_lets_the_next_bind_in,
			fx_free),
		cmocka_unit_test_teardown(
			iommufd_off_has_no_dev_iommu_and_no_cdev, fx_free),
		cmocka_unit_test_setup_teardown(
			unbind_frees_the_index_and_the_group_node, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			unbind_with_an_open_file_blocks_until_the_close,
			fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			queued_binds_meet_the_last_override, fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			removal_waits_behind_a_waiting_removal, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			failed_registration_changes_nothing, fx_setup, fx_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
