// SPDX-License-Identifier: MIT
/*
 * vfio_main.c - the VFIO core of Linux 7.3's drivers/vfio/vfio_main.c:
 * the machine's VFIO state (configuration, vfio.enable_unsafe_noiommu_mode,
 * the device ida), registration and unregistration of a device
 * (__vfio_register_dev(), vfio_unregister_group_dev()), the device file
 * (vfio_df_open()/close, vfio_device_fops_unl_ioctl()) and the one entry
 * point for open and ioctl of every VFIO file. The nodes and sysfs
 * entries userspace sees are in nodes.c.
 */
#include <string.h>

#include "vfio/vfio_private.h"

struct vfio *vfio_of(struct iommu_model *m)
{
	return vfio_get(m);
}

struct vfio *vfio_get(struct iommu_model *m)
{
	struct vfio_kconfig_req req;
	char *why = NULL;

	if (m->vfio)
		return m->vfio;
	m->vfio = g_new0(struct vfio, 1);
	m->vfio->m = m;
	m->vfio->device_ida = g_hash_table_new(g_direct_hash, g_direct_equal);
	m->vfio->group_ida = g_hash_table_new(g_direct_hash, g_direct_equal);
	m->vfio->fds = g_hash_table_new(g_direct_hash, g_direct_equal);
	vfio_kconfig_req_init(&req);
	/* the base fragment alone always resolves */
	vfio_kconfig_resolve_in(m->profile, &req, &m->vfio->cfg, &why);
	g_free(why);
	return m->vfio;
}

bool vfio_is_empty(const struct vfio *v)
{
	return !v || (!g_hash_table_size(v->group_ida) &&
		      !g_hash_table_size(v->device_ida) &&
		      !g_hash_table_size(v->fds));
}

/* Model teardown: what is still registered goes with the machine (its
 * iommu groups are the core's to free) */
/* What a vfio_device holds of its own: its PASIDs, its config space
 * (vfio_config_init() at a first open, kept past the last close), its
 * name; whoever frees it says what else goes first */
static void vfio_vdev_free(struct vfio_device *vdev)
{
	if (vdev->pasids)
		g_array_free(vdev->pasids, TRUE);
	vfio_config_free(vdev);
	g_free(vdev->name);
	g_free(vdev);
}

void vfio_free(struct vfio *v)
{
	GHashTableIter it;
	gpointer k, val;

	if (!v)
		return;
	g_hash_table_iter_init(&it, v->device_ida);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		/* a copy freed with its device open: the triggers' refs */
		__vfio_pci_runtime_pm_exit(val);
		vfio_pci_irqs_close(val);
		vfio_pci_ioeventfds_close(val);
		vfio_vdev_free(val);
	}
	g_hash_table_iter_init(&it, v->group_ida);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		g_ptr_array_free(((struct vfio_group *)val)->device_list, TRUE);
		g_free(val);
	}
	g_hash_table_destroy(v->device_ida);
	g_hash_table_destroy(v->group_ida);
	g_hash_table_destroy(v->fds);
	g_free(v);
}

int vfio_set_kconfig(struct iommu_model *m, const struct vfio_kconfig_req *req,
		     char **why)
{
	struct vfio *v = vfio_get(m);
	struct vfio_kconfig cfg;
	int rc;

	*why = NULL;
	if (g_hash_table_size(v->device_ida)) {
		*why = g_strdup("the configuration is the kernel's: set it "
				"before any device registers with VFIO");
		return -EINVAL;
	}
	rc = vfio_kconfig_resolve_in(m->profile, req, &cfg, why);
	if (rc)
		return rc;
	v->cfg = cfg;
	if (!cfg.y[KS_VFIO_NOIOMMU])
		v->noiommu = false;
	return 0;
}

const struct vfio_kconfig *vfio_kconfig(struct iommu_model *m)
{
	return &vfio_get(m)->cfg;
}

/* module_param_named(enable_unsafe_noiommu_mode, vfio_noiommu, ...,
 * S_IRUGO | S_IWUSR) exists only #ifdef CONFIG_VFIO_NOIOMMU */
int vfio_set_noiommu_param(struct iommu_model *m, bool on)
{
	struct vfio *v = vfio_get(m);

	if (!v->cfg.y[KS_VFIO_NOIOMMU])
		return iommu_refuse(m, -EINVAL, "vfio_main.c",
				    "no vfio.enable_unsafe_noiommu_mode "
				    "without CONFIG_VFIO_NOIOMMU");
	v->noiommu = on;
	return 0;
}

/* lib/kstrtox.c kstrtobool(): the first character decides ("on"/"off"
 * the second); anything else -EINVAL */
static int kstrtobool(const char *s, bool *res)
{
	const char *on = "eEyYtT1", *off = "dDnNfF0";

	if (s[0] == 'o' || s[0] == 'O')
		s++, on = "nN", off = "fF"; /* "on", "off" */
	if (s[0] && (strchr(on, s[0]) || strchr(off, s[0]))) {
		*res = strchr(on, s[0]) != NULL;
		return 0;
	}
	return -EINVAL;
}

/*
 * A write of /sys/module/vfio/parameters/enable_unsafe_noiommu_mode:
 * kernel/params.c param_attr_store() -> param_set_bool() -> kstrtobool().
 * The file exists only with CONFIG_VFIO_NOIOMMU (vfio_main.c's
 * module_param_named() is #ifdef'd); its mode S_IRUGO | S_IWUSR belongs
 * to root, so a uid-0 writer passes on the owner's bits with any
 * capability set (generic_permission()), and param_check_unsafe() lets
 * it through untainted (neither KERNEL_PARAM_FL_UNSAFE nor _HWPARAM).
 * Nothing already registered changes: see vfio_device_set_noiommu().
 */
int vfio_noiommu_param_store(struct iommu_model *m, const char *buf)
{
	struct vfio *v = vfio_get(m);
	bool on;

	if (!v->cfg.y[KS_VFIO_NOIOMMU])
		return iommu_refuse(m, -ENOENT, "module_param_named",
				    "no /sys/module/vfio/parameters/"
				    "enable_unsafe_noiommu_mode without "
				    "CONFIG_VFIO_NOIOMMU");
	if (kstrtobool(buf, &on))
		return iommu_refuse(m, -EINVAL, "param_set_bool",
				    "kstrtobool(\"%s\"): not a boolean", buf);
	v->noiommu = on;
	return 0;
}

/* param_get_bool(): "Y" or "N"; NULL when the file does not exist */
const char *vfio_noiommu_param_show(struct iommu_model *m)
{
	struct vfio *v = vfio_get(m);

	if (!v->cfg.y[KS_VFIO_NOIOMMU])
		return NULL;
	return v->noiommu ? "Y" : "N";
}

void vfio_set_type1_allow_unsafe_interrupts(struct iommu_model *m, bool on)
{
	vfio_get(m)->type1_allow_unsafe_interrupts = on;
}

bool vfio_type1_allow_unsafe_interrupts(const struct iommu_model *m)
{
	return m->vfio && m->vfio->type1_allow_unsafe_interrupts;
}

/* (no VFIO state yet: nothing has tainted the kernel; the snapshot asks
 * before every step and must not create it) */
bool vfio_tainted(struct iommu_model *m)
{
	return m->vfio && m->vfio->tainted;
}

void vfio_taint(struct vfio *v)
{
	v->tainted = true;
}

/* drivers/vfio/vfio.h vfio_device_is_noiommu(): the group's type (the
 * group path), or device->noiommu with IOMMUFD_NOIOMMU (the cdev path) */
bool vfio_device_is_noiommu(const struct vfio_device *vdev)
{
	if (vdev->vfio->cfg.y[KS_VFIO_GROUP] && vdev->group &&
	    vdev->group->type == VFIO_NO_IOMMU)
		return true;
	return vdev->vfio->cfg.y[KS_IOMMUFD_NOIOMMU] && vdev->noiommu;
}

/* The accessors profile_api.h gives an out-of-tree .vfio hook. */
struct vfio_device *vfio_file_device(const struct vfio_file *df)
{
	return df->device;
}

bool vfio_file_is_group_path(const struct vfio_file *df)
{
	return df->group != NULL;
}

struct device *vfio_device_dev(const struct vfio_device *vdev)
{
	return vdev->dev;
}

struct iommu_model *vfio_device_model(const struct vfio_device *vdev)
{
	return vdev->vfio->m;
}

/* vfio_init_device(): ida_alloc_max(&vfio.device_ida): the lowest free */
static int vfio_device_ida_alloc(struct vfio *v)
{
	int index = 0;

	if (fault_should_fail(&v->m->fault, "vfio_init_device"))
		return -ENOMEM;
	while (g_hash_table_contains(v->device_ida, GINT_TO_POINTER(index)))
		index++;
	return index;
}

/*
 * vfio_device_set_noiommu_and_name(), first half: device->noiommu is
 * sampled here, once (IOMMUFD_NOIOMMU, vfio_noiommu, no dev->iommu,
 * VFIO_IOMMU type): later flips of the parameter do not change it.
 */
void vfio_device_set_noiommu(struct vfio_device *vdev)
{
	struct vfio *v = vdev->vfio;

	vdev->noiommu = v->cfg.y[KS_IOMMUFD_NOIOMMU] && v->noiommu &&
			!vdev->dev->dev_iommu;
}

/* its second half: dev_set_name(&device->device, "%svfio%d", ...) (the
 * only allocation: kvasprintf of the name) */
int vfio_device_set_name(struct vfio_device *vdev)
{
	if (fault_should_fail(&vdev->vfio->m->fault, "dev_set_name"))
		return -ENOMEM;
	vdev->name = g_strdup_printf(
		"%svfio%d", vdev->noiommu ? "noiommu-" : "", vdev->index);
	return 0;
}

/* __vfio_register_dev() after the group: the taint, the coherency check,
 * vfio_device_add() (a cdev only with a devt) */
int vfio_register_finish(struct vfio_device *vdev)
{
	struct vfio *v = vdev->vfio;

	if (vfio_device_is_noiommu(vdev) && v->cfg.y[KS_IOMMUFD_NOIOMMU])
		vfio_taint(v);
	if (!vfio_device_is_noiommu(vdev) &&
	    !(vdev->dev->dev_iommu && vdev->dev->iommu &&
	      vdev->dev->iommu->cap_cache_coherency))
		return iommu_refuse(v->m, -EINVAL, "__vfio_register_dev",
				    "%s: device_iommu_capable("
				    "IOMMU_CAP_CACHE_COHERENCY) is false",
				    vdev->dev->name);
	/* vfio_init_device_cdev(): no devt for a noiommu device unless
	 * IOMMUFD_NOIOMMU; without VFIO_DEVICE_CDEV device_add() only */
	vdev->cdev = v->cfg.y[KS_VFIO_DEVICE_CDEV] &&
		     !(vfio_device_is_noiommu(vdev) &&
		       !v->cfg.y[KS_IOMMUFD_NOIOMMU]);
	if (fault_should_fail(&v->m->fault, "vfio_device_add"))
		return -ENOMEM;
	return 0;
}

/* vfio_device_group_register(): the group's device_list (a stub without
 * VFIO_GROUP; a NULL group is skipped, see noiommu_v1.c) */
void vfio_device_group_register(struct vfio_device *vdev)
{
	if (vdev->group)
		g_ptr_array_add(vdev->group->device_list, vdev);
}

/* __vfio_register_dev(): the noiommu flag and the name first
 * (vfio_device_set_noiommu_and_name()), then the group, then the rest;
 * a failure after the group removes it (err_out). */
int linux73___vfio_register_dev(struct vfio_device *vdev)
{
	int ret;

	vfio_device_set_noiommu(vdev);
	ret = vfio_device_set_name(vdev);
	if (ret)
		return ret;
	ret = vfio_device_set_group(vdev, VFIO_IOMMU);
	if (ret)
		return ret;
	ret = vfio_register_finish(vdev);
	if (ret)
		goto err_remove_group;
	vfio_device_group_register(vdev);
	return 0;

err_remove_group:
	vfio_device_remove_group(vdev);
	return ret;
}

/* vfio_pci_core_register_device() -> vfio_register_group_dev() ->
 * __vfio_register_dev(dev, VFIO_IOMMU), which the profile decides */
int vfio_register_group_dev(struct iommu_model *m, struct device *dev)
{
	struct vfio *v = vfio_get(m);
	struct vfio_device *vdev;
	bool was_tainted;
	int ret;

	ret = vfio_device_ida_alloc(v);
	if (ret < 0)
		return ret;
	vdev = g_new0(struct vfio_device, 1);
	vdev->vfio = v;
	vdev->dev = dev;
	vdev->index = ret;
	was_tainted = v->tainted;
	ret = __vfio_register_dev(vdev);
	if (ret) {
		/* add_taint() stays when err_out removes the group that
		 * tainted: 7.3's own failure path leaves that change */
		if (v->tainted && !was_tainted)
			m->left_inconsistent = true;
		vfio_vdev_free(vdev);
		return ret;
	}
	g_hash_table_insert(v->device_ida, GINT_TO_POINTER(vdev->index), vdev);
	return 0;
}

struct vfio_device *vfio_device_of(struct iommu_model *m, struct device *dev)
{
	GHashTableIter it;
	gpointer k, val;

	g_hash_table_iter_init(&it, vfio_get(m)->device_ida);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		if (((struct vfio_device *)val)->dev == dev)
			return val;
	}
	return NULL;
}

/* vfio_unregister_group_dev()'s end, once no file is open: the group
 * reference goes (vfio_device_remove_group()), then the index
 * (vfio_device_release() at the last put) */
static void unregister_done(struct vfio_device *vdev)
{
	vfio_device_remove_group(vdev);
	g_hash_table_remove(vdev->vfio->device_ida,
			    GINT_TO_POINTER(vdev->index));
	vfio_vdev_free(vdev);
}

/* vfio_unregister_group_dev(): the group forgets the device
 * (vfio_device_group_unregister()), its cdev and vfio-dev entries go
 * (vfio_device_del()), then the registration is put and the call waits
 * for device->comp: the last file's close (vfio_device_release_done()),
 * calling ops->request every 10 s and going on waiting even when
 * interrupted. IOMMU_BLOCKS while a file is open. */
int vfio_unregister_group_dev(struct iommu_model *m, struct device *dev)
{
	struct vfio_device *vdev = vfio_device_of(m, dev);

	if (!vdev)
		return 0;
	if (vdev->group)
		g_ptr_array_remove(vdev->group->device_list, vdev);
	vdev->unregistering = true;
	if (vdev->files)
		return iommu_refuse(m, IOMMU_BLOCKS,
				    "vfio_unregister_group_dev",
				    "%s has %u open file(s): the unbind waits "
				    "until they are closed",
				    vdev->name, vdev->files);
	unregister_done(vdev);
	return 0;
}

struct vfio_device *vfio_device_by_name(struct vfio *v, const char *name)
{
	GHashTableIter it;
	gpointer k, val;

	g_hash_table_iter_init(&it, v->device_ida);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		if (!strcmp(((struct vfio_device *)val)->name, name))
			return val;
	}
	return NULL;
}

/* ---- the device file ---- */

/* vfio_pci_open_device() -> vfio_pci_core_enable(): its
 * pci_try_reset_function() of a function with a reset method (FLR, or
 * the bus method pci_init_reset_methods() found) cannot take device_lock
 * while another task holds it (an unbind waiting in
 * vfio_unregister_group_dev(), bind.c): -EAGAIN, and the open fails;
 * else reset_works is whether the reset would succeed. */
static int vfio_pci_core_enable(struct vfio_device *vdev)
{
	struct device *dev = vdev->dev;

	if (pci_reset_supported(dev) && dev->lock_tasks)
		return iommu_refuse(vdev->vfio->m, -EAGAIN,
				    "vfio_pci_core_enable",
				    "pci_try_reset_function(): device_lock(%s) "
				    "is held by a task waiting in its "
				    "driver's remove",
				    dev->name);
	vfio_config_init(vdev);
	vdev->reset_works = vfio_pci_reset_works(vdev->vfio->m, dev);
	return 0;
}

/* what the first open's bind or use of the container did, undone */
static void unuse_iommu(struct vfio_file *df)
{
	if (vfio_df_iommufd_set(df))
		vfio_df_iommufd_unbind(df);
	else
		vfio_group_unuse_container(df->device->group);
}

/* vfio_df_open(): the first open binds (iommufd) or uses the container,
 * then opens the device (vfio_df_device_first_open(); its err_unuse_iommu
 * undoes the first on failure) */
int vfio_df_open(struct vfio_file *df)
{
	struct vfio_device *vdev = df->device;
	int ret = 0;

	/* only the group path opens a device more than once */
	if (!df->group && vdev->open_count)
		return iommu_refuse(df->m, -EINVAL, "vfio_df_open",
				    "%s is already open through another "
				    "iommufd file",
				    vdev->name);
	if (!vdev->open_count) {
		if (df->ictx)
			ret = vfio_df_iommufd_bind(df);
		else
			ret = vfio_group_use_container(vdev->group);
		if (ret)
			return ret;
		ret = vfio_pci_core_enable(vdev);
		if (ret)
			goto err_unuse_iommu;
	}
	vdev->open_count++;
	return 0;

err_unuse_iommu:
	unuse_iommu(df);
	return ret;
}

/* vfio_df_close() -> vfio_df_device_last_close() */
void vfio_df_close(struct vfio_file *df)
{
	struct vfio_device *vdev = df->device;

	if (--vdev->open_count)
		return;
	/* vfio_pci_core_close_device() -> vfio_pci_core_disable(): low
	 * power off (vfio_pci_runtime_pm_exit()), the interrupts, then the
	 * ioeventfds */
	__vfio_pci_runtime_pm_exit(vdev);
	vfio_pci_irqs_close(vdev);
	vfio_pci_ioeventfds_close(vdev);
	vfio_config_close(vdev);
	unuse_iommu(df);
}

/* vfio_get_region_info(): argsz .. offset in; the driver's answer
 * (vfio_pci_ioctl_get_region_info()) out, with its capability chain
 * behind the struct when argsz has room for it, else argsz grown to
 * what it needs and cap_offset 0 */
static int vfio_get_region_info(struct vfio_file *df, void *arg, size_t len)
{
	const size_t minsz = sizeof(struct vfio_region_info);
	struct vfio_info_cap_header cap = {
		.id = VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, .version = 1
	};
	struct vfio_region_info info = { 0 };
	bool msix_cap;
	int ret;

	if (len < minsz)
		return -EFAULT;
	memcpy(&info, arg, minsz);
	if (info.argsz < minsz)
		return -EINVAL;
	ret = vfio_pci_ioctl_get_region_info(df->device, &info, &msix_cap);
	if (ret)
		return ret;
	if (msix_cap) {
		info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
		if (info.argsz < minsz + sizeof(cap)) {
			info.argsz = minsz + sizeof(cap);
			info.cap_offset = 0;
		} else {
			if (len < minsz + sizeof(cap))
				return -EFAULT;
			memcpy((char *)arg + minsz, &cap, sizeof(cap));
			info.cap_offset = minsz;
		}
	}
	memcpy(arg, &info, minsz);
	return 0;
}

/* vfio_device_fops_unl_ioctl() */
int vfio_device_ioctl(struct vfio_file *df, struct process *task,
		      unsigned int cmd, void *arg, size_t len, size_t *copied)
{
	bool cdev = df->device->vfio->cfg.y[KS_VFIO_DEVICE_CDEV];

	if (cmd == VFIO_DEVICE_BIND_IOMMUFD)
		return cdev ? vfio_df_ioctl_bind_iommufd(df, task, arg, len)
			    : -ENOTTY;
	if (!df->access_granted)
		return iommu_refuse(df->m, -EINVAL,
				    "vfio_device_fops_unl_ioctl",
				    "access is not granted until "
				    "VFIO_DEVICE_BIND_IOMMUFD");
	if (cdev && !df->group) {
		if (cmd == VFIO_DEVICE_ATTACH_IOMMUFD_PT)
			return vfio_df_ioctl_attach_pt(df, arg, len);
		if (cmd == VFIO_DEVICE_DETACH_IOMMUFD_PT)
			return vfio_df_ioctl_detach_pt(df, arg, len);
	}
	if (cmd == VFIO_DEVICE_FEATURE)
		return vfio_ioctl_device_feature(df, task, arg, len);
	if (cmd == VFIO_DEVICE_GET_REGION_INFO)
		return vfio_get_region_info(df, arg, len);
	if (cmd == VFIO_DEVICE_SET_IRQS)
		return vfio_pci_ioctl_set_irqs(df, task, arg, len);
	if (cmd == VFIO_DEVICE_IOEVENTFD)
		return vfio_pci_ioctl_ioeventfd(df, task, arg, len);
	return vfio_pci_core_ioctl(df, task, cmd, arg, len, copied);
}

/* vfio_device_fops_release(); the last file of a device being
 * unregistered completes device->comp (vfio_device_put_registration()):
 * the blocked unbind goes on and returns */
static void vfio_device_release(struct vfio_file *df)
{
	struct vfio_device *vdev = df->device;
	struct device *dev = vdev->dev;

	if (df->group)
		vfio_df_group_close(df);
	else
		vfio_df_unbind_iommufd(df);
	if (--vdev->files || !vdev->unregistering)
		return;
	df->device = NULL;
	unregister_done(vdev);
	device_remove_done(df->m, dev);
}

/* ---- open, ioctl, close of any VFIO file ---- */

enum vfio_file_kind vfio_file_kind(const struct vfio_file *f)
{
	return f->kind;
}

/* vdev->iommufd_device of a cdev file VFIO_DEVICE_BIND_IOMMUFD bound
 * (df->iommufd set): vfio_df_iommufd_bind() made it */
struct iommufd_device *vfio_file_iommufd_device(const struct vfio_file *f)
{
	return f && f->kind == VFIO_FILE_DEVICE && f->ictx && f->device
		       ? f->device->idev
		       : NULL;
}

struct vfio_file *vfio_file_iommufd(struct iommu_model *m, struct process *task,
				    struct iommufd_ctx *ictx)
{
	struct vfio_file *f = vfio_file_new(m, task, VFIO_FILE_IOMMUFD);

	f->ictx = ictx;
	return f;
}

static int vfio_open_device(struct vfio *v, struct process *task,
			    const char *name, struct vfio_file **out)
{
	struct vfio_device *vdev = vfio_device_by_name(v, name);
	struct vfio_file *f;
	int ret;

	/* vfio_device_del() took the node away while an unbind waits */
	if (!vdev || !vdev->cdev || vdev->unregistering)
		return -ENOENT;
	f = vfio_file_new(v->m, task, VFIO_FILE_DEVICE);
	ret = vfio_device_fops_cdev_open(vdev, task, f);
	if (ret) {
		vfio_file_free(f);
		return ret;
	}
	*out = f;
	return 0;
}

static int vfio_open_group(struct vfio *v, struct process *task,
			   const char *name, struct vfio_file **out)
{
	struct vfio_group *group = vfio_group_by_name(v, name);
	struct vfio_file *f;
	int ret;

	if (!group)
		return -ENOENT;
	f = vfio_file_new(v->m, task, VFIO_FILE_GROUP);
	ret = vfio_group_open(group, task, f);
	if (ret) {
		vfio_file_free(f);
		return ret;
	}
	*out = f;
	return 0;
}

int vfio_open(struct iommu_model *m, struct process *task, const char *path,
	      struct vfio_file **out)
{
	struct vfio *v = vfio_get(m);
	const char *dev_prefix = "/dev/vfio/devices/";
	struct vfio_file *f;
	int ret;

	*out = NULL;
	if (!v->cfg.y[KS_VFIO])
		return -ENOENT;
	if (!strncmp(path, dev_prefix, strlen(dev_prefix)))
		return vfio_open_device(v, task, path + strlen(dev_prefix),
					out);
	if (strcmp(path, "/dev/vfio/vfio"))
		return strncmp(path, "/dev/vfio/", 10)
			       ? -ENOENT
			       : vfio_open_group(v, task, path + 10, out);
	if (!vfio_node_exists(m, path))
		return -ENOENT;
	f = vfio_file_new(m, task, VFIO_FILE_CONTAINER);
	ret = vfio_container_open(f);
	if (ret) {
		vfio_file_free(f);
		return ret;
	}
	*out = f;
	return 0;
}

int vfio_ioctl(struct vfio_file *f, struct process *task, unsigned int cmd,
	       void *arg, size_t arg_len, struct vfio_file **out)
{
	size_t copied;

	return vfio_ioctl_copied(f, task, cmd, arg, arg_len, out, &copied);
}

/* drivers/vfio copies a struct back only on success, but for
 * GET_PCI_HOT_RESET_INFO's -ENOSPC (the count needed); iommufd's compat
 * container (/dev/vfio/vfio with IOMMUFD_VFIO_CONTAINER) also after a
 * failed unmap (vfio_compat.c iommufd_vfio_unmap_dma()) */
int vfio_ioctl_copied(struct vfio_file *f, struct process *task,
		      unsigned int cmd, void *arg, size_t arg_len,
		      struct vfio_file **out, size_t *copied)
{
	*copied = 0;
	iommu_model_begin(f->m);
	switch (f->kind) {
	case VFIO_FILE_CONTAINER:
		return f->container ? vfio_container_ioctl(f, task, cmd, arg,
							   arg_len)
				    : iommufd_vfio_ioctl(f->ictx, task, cmd,
							 arg, arg_len, copied);
	case VFIO_FILE_GROUP:
		return vfio_group_ioctl(f, task, cmd, arg, arg_len, out);
	case VFIO_FILE_DEVICE:
		return vfio_device_ioctl(f, task, cmd, arg, arg_len, copied);
	default:
		/* an iommufd file: iommufd_ioctl() is its dispatcher */
		return -ENOTTY;
	}
}

int vfio_close(struct vfio_file *f)
{
	struct iommu_model *m = f ? f->m : NULL;

	if (!f)
		return 0;
	switch (f->kind) {
	case VFIO_FILE_CONTAINER:
		if (f->container)
			vfio_container_put(f->container);
		else
			iommufd_fops_close(f->ictx);
		break;
	case VFIO_FILE_GROUP:
		vfio_group_release(f);
		break;
	case VFIO_FILE_DEVICE:
		vfio_device_release(f);
		break;
	default:
		break;
	}
	vfio_file_free(f);
	/* a release cannot fail; one that reached undefined behaviour (a
	 * NULL group's unblock, noiommu-v1) is reported as such */
	return m->undefined ? IOMMU_UB : 0;
}
