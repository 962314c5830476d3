// SPDX-License-Identifier: MIT
/*
 * steps.c - one step of a guest program: the verb table says which
 * handler runs a verb (and, for kernel-internal operations, which command
 * of the test driver, hw/kmod/iommusim_test.c, it is). Every verb the
 * scenario language runs in the guest (a row of sim/optable.c whose
 * .guest.kind is GUEST_RUNS) has a row here; tests/unit/sim/test_optable.c
 * holds the two tables together through `agent --verbs`.
 *
 * A handler either returns 0 / -errno (.ret: printed as " 0" or " -EPERM")
 * or prints its own result (.print: values, and the key=value fields of
 * checks and memory operations).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"

struct agent_verb {
	const char *verb;
	int (*ret)(const struct step *st, const struct agent_verb *v);
	void (*print)(const struct step *st, const struct agent_verb *v);
	/* kernel-internal: the test driver's command and the argument it
	 * takes after the device (domain, owner cookie, slot), if any */
	const char *op, *key2;
	bool check; /* a state check: no WARN is measured */
	/* prints its whole step line itself (fork: in the child) */
	void (*line)(const struct step *st);
};

static const char *arg(const struct step *st, const char *key)
{
	int i;

	for (i = 0; i < st->nargs; i++) {
		if (!strcmp(st->args[i].key, key))
			return st->args[i].val;
	}
	return NULL;
}

static void print_ret(int ret)
{
	if (ret < 0)
		printf(" -%s", errname(-ret));
	else
		printf(" %d", ret);
}

/* A required device argument; prints the step's error when missing. */
static const char *dev_bdf(const struct step *st, const char *key)
{
	const char *name = arg(st, key);
	struct device *d = name ? find_dev(name) : NULL;

	if (!d || !d->present)
		return NULL;
	return d->bdf;
}

/* write(2)'s result as it is: the bytes written, or -errno */
static int do_sysfs_write(const struct step *st, const struct agent_verb *v)
{
	const char *bdf = dev_bdf(st, "dev"), *attr = arg(st, "attr");
	const char *val = arg(st, "value");
	char path[PATH_MAX];

	if (!bdf || !attr || !val)
		return -EINVAL;
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/%s", bdf, attr);
	return write_file_count(path, val);
}

#define NOIOMMU_PARAM "/sys/module/vfio/parameters/enable_unsafe_noiommu_mode"

/* module_param_write param=vfio.enable_unsafe_noiommu_mode value=: the
 * parameter's sysfs file (param_attr_store()), written as given */
static int do_module_param_write(const struct step *st,
				 const struct agent_verb *v)
{
	const char *param = arg(st, "param"), *val = arg(st, "value");

	if (!param || strcmp(param, "vfio.enable_unsafe_noiommu_mode") || !val)
		return -EINVAL;
	return write_file(NOIOMMU_PARAM, val);
}

/* TAINT_USER is bit 6 of /proc/sys/kernel/tainted (include/linux/
 * panic.h); -1 if unreadable */
static int taint_user(void)
{
	char buf[64];

	if (read_file("/proc/sys/kernel/tainted", buf, sizeof(buf)))
		return -1;
	return (int)((strtoul(buf, NULL, 10) >> 6) & 1);
}

/* What a scenario found at its start: the parameter's value, to put back
 * at its end (one boot runs several), and the taint, which nothing takes
 * back: an earlier file's taint makes this one's not comparable. */
static char param_at_begin[8];
static int taint_at_begin;

void kernel_state_begin(void)
{
	if (read_file(NOIOMMU_PARAM, param_at_begin, sizeof(param_at_begin)))
		param_at_begin[0] = '\0';
	taint_at_begin = taint_user();
}

void kernel_state_end(void)
{
	char cur[8];

	if (param_at_begin[0] && !read_file(NOIOMMU_PARAM, cur, sizeof(cur)) &&
	    strcmp(cur, param_at_begin))
		write_file(NOIOMMU_PARAM, param_at_begin);
}

/* check_taint: user=0|1, or "-" (not compared) when the boot was tainted
 * before this scenario began */
static void do_check_taint(const struct step *st, const struct agent_verb *v)
{
	int t = taint_user();

	if (t < 0)
		printf(" -EIO");
	else if (taint_at_begin == 1)
		printf(" 0 user=-");
	else
		printf(" 0 user=%d", t);
}

/* check_module_param: what the parameter's file reads, none without it
 * (CONFIG_VFIO_NOIOMMU=n) */
static void do_check_module_param(const struct step *st,
				  const struct agent_verb *v)
{
	char buf[64];

	if (read_file(NOIOMMU_PARAM, buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "none");
	printf(" 0 value=%s", buf);
}

static int do_driver_bind(const struct step *st, const struct agent_verb *v)
{
	if (!dev_bdf(st, "dev") || !arg(st, "driver"))
		return -EINVAL;
	return bind_driver(dev_bdf(st, "dev"), arg(st, "driver"));
}

static int do_driver_unbind(const struct step *st, const struct agent_verb *v)
{
	return dev_bdf(st, "dev") ? unbind(dev_bdf(st, "dev")) : -EINVAL;
}

static int do_device_del(const struct step *st, const struct agent_verb *v)
{
	return dev_bdf(st, "dev") ? remove_device(find_dev(arg(st, "dev")))
				  : -ENODEV;
}

static int do_hotplug(const struct step *st, const struct agent_verb *v)
{
	struct device *d = find_dev(arg(st, "dev"));

	return d ? rescan_for(d) : -ENODEV;
}

static int ctl_ret(const char *cmd)
{
	char res[512], v[32];
	int ret = ctl(cmd, res, sizeof(res));

	if (ret)
		return ret;
	if (!field(res, "ret", v, sizeof(v)))
		return -EIO;
	return atoi(v);
}

/* "OP BDF [KEY2] [none]" to the test driver; none: handle=none, a NULL
 * attach handle */
static int do_dev_op(const struct step *st, const struct agent_verb *v)
{
	const char *bdf = dev_bdf(st, "dev");
	const char *a2 = v->key2 ? arg(st, v->key2) : "";
	const char *h = arg(st, "handle");
	char cmd[256];

	if (!bdf || !a2)
		return -EINVAL;
	snprintf(cmd, sizeof(cmd), "%s %s %s%s", v->op, bdf, a2,
		 h && !strcmp(h, "none") ? " none" : "");
	return ctl_ret(cmd);
}

/* "alloc_flags BDF dN FLAGS": iommu_paging_domain_alloc_flags() */
static int do_alloc_flags(const struct step *st, const struct agent_verb *v)
{
	const char *bdf = dev_bdf(st, "dev"), *slot = arg(st, "out_domain");
	const char *flags = arg(st, "flags");
	char cmd[256];

	if (!bdf || !slot || !flags)
		return -EINVAL;
	snprintf(cmd, sizeof(cmd), "alloc_flags %s %s %s", bdf, slot, flags);
	return ctl_ret(cmd);
}

/* " BDF" of the dev= that names a domain (default, identity_domain),
 * or "" */
static const char *names_dev(const struct step *st)
{
	static char buf[64];
	const char *bdf = arg(st, "dev") ? dev_bdf(st, "dev") : NULL;

	snprintf(buf, sizeof(buf), "%s%s", bdf ? " " : "", bdf ? bdf : "");
	return buf;
}

static int do_free(const struct step *st, const struct agent_verb *v)
{
	const char *d = arg(st, "domain");
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "free %s%s", d ? d : "-", names_dev(st));
	return ctl_ret(cmd);
}

/* @cmd to the test driver; its ret= as given (a 64-bit value in hex, or
 * -errno), and the fields a memory operation reports */
static void print_ctl(const char *cmd)
{
	char res[128], v[64];

	if (ctl(cmd, res, sizeof(res)) || !field(res, "ret", v, sizeof(v)))
		snprintf(v, sizeof(v), "-%d", EIO);
	if (v[0] == '-') {
		printf(" -%s", errname(atoi(v + 1)));
		return;
	}
	printf(" %s", v);
	if (field(res, "dma", v, sizeof(v)))
		printf(" dma=%s", v);
	if (field(res, "value", v, sizeof(v)))
		printf(" value=%s", v);
}

/* iommu_map (prot rw unless given, as sim/ops.c; else its number),
 * iommu_unmap, and generic_pt's map_range and unmap_range (the row's
 * .op: the same arguments),
 * iommu_iova_to_phys: on a domain of the table; the latter two return a
 * 64-bit value, printed as the driver gave it */
static void do_map(const struct step *st, const struct agent_verb *v)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "%s %s %s %s %s %s%s", v->op ? v->op : "map",
		 arg(st, "domain"), arg(st, "iova"), arg(st, "paddr"),
		 arg(st, "size"), arg(st, "prot") ? arg(st, "prot") : "rw",
		 names_dev(st));
	print_ctl(cmd);
}

static void do_unmap(const struct step *st, const struct agent_verb *v)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "%s %s %s %s%s", v->op ? v->op : "unmap",
		 arg(st, "domain"), arg(st, "iova"), arg(st, "size"),
		 names_dev(st));
	print_ctl(cmd);
}

static void do_iova_to_phys(const struct step *st, const struct agent_verb *v)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "iova_to_phys %s %s%s", arg(st, "domain"),
		 arg(st, "iova"), names_dev(st));
	print_ctl(cmd);
}

/* dma (the test driver's edu DMA: "ok", "other", "refused", "unknown"
 * as dma=), memory_write, check_memory (value= the byte found, or mixed) */
static void do_dma(const struct step *st, const struct agent_verb *v)
{
	const char *pat = arg(st, "pattern") ? arg(st, "pattern") : "-";
	char cmd[256];

	if (!dev_bdf(st, "dev")) {
		printf(" unsupported");
		return;
	}
	snprintf(cmd, sizeof(cmd), "dma %s %s %s %s %s", dev_bdf(st, "dev"),
		 arg(st, "dir") ? arg(st, "dir") : "read", arg(st, "iova"),
		 arg(st, "len"), pat);
	print_ctl(cmd);
}

static void do_memory_write(const struct step *st, const struct agent_verb *v)
{
	char cmd[256];

	if (arg(st, "buf")) { /* a user buffer's pages: through its VA */
		ifd_write_buffer(st);
		return;
	}
	snprintf(cmd, sizeof(cmd), "memory_write %s %s %s", arg(st, "paddr"),
		 arg(st, "len"), arg(st, "pattern") ? arg(st, "pattern") : "0");
	print_ctl(cmd);
}

static void do_check_memory(const struct step *st, const struct agent_verb *v)
{
	char cmd[256];

	if (arg(st, "buf")) { /* a user buffer's pages: through its VA */
		ifd_check_buffer(st);
		return;
	}
	snprintf(cmd, sizeof(cmd), "check_memory %s %s", arg(st, "paddr"),
		 arg(st, "len"));
	print_ctl(cmd);
}

/* Scenario names of the devices in @bdf's group, comma-separated, in the
 * group's list order (the test driver walks group->devices). */
static void group_members(const char *bdf, char *out, size_t len)
{
	char cmd[64], res[512], list[512], *save = NULL, *m;
	size_t used = 0;

	out[0] = '\0';
	snprintf(cmd, sizeof(cmd), "members %s", bdf);
	if (ctl(cmd, res, sizeof(res)) ||
	    !field(res, "members", list, sizeof(list)))
		return;
	for (m = strtok_r(list, ",", &save); m && used < len;
	     m = strtok_r(NULL, ",", &save)) {
		const char *name = dev_name_of_bdf(m);

		used += snprintf(out + used, len - used, "%s%s",
				 used ? "," : "", name ? name : m);
	}
}

/*
 * The rank of a group among the groups that hold a scenario device, in
 * kernel group-id order: the model numbers only the scenario's groups.
 */
int group_rank(int id, int *count)
{
	int ids[MAX_DEVS], n = 0, rank = -1, i, j;
	char g[16];

	for (i = 0; i < ndevs; i++) {
		if (!devs[i].present ||
		    dev_link(devs[i].bdf, "iommu_group", g, sizeof(g)))
			continue;
		for (j = 0; j < n && ids[j] != atoi(g); j++)
			;
		if (j == n)
			ids[n++] = atoi(g);
	}
	for (i = 0; i < n; i++) {
		if (ids[i] < id)
			rank++;
	}
	*count = n;
	return id >= 0 ? rank + 1 : -1;
}

/* Print the group state fields a check may name. */
static void print_group_state(const char *bdf)
{
	char cmd[64], res[512], g[16], members[512];
	int count;

	snprintf(cmd, sizeof(cmd), "state %s", bdf);
	if (ctl(cmd, res, sizeof(res))) {
		printf(" state=unavailable");
		return;
	}
	printf(" %s", strncmp(res, "ret=0 ", 6) ? res : res + 6);
	if (field(res, "group", g, sizeof(g)) && strcmp(g, "none")) {
		group_members(bdf, members, sizeof(members));
		printf(" rank=%d devices=%s", group_rank(atoi(g), &count),
		       members);
	}
}

static void do_check_groups(const struct step *st, const struct agent_verb *v)
{
	int count;

	group_rank(0, &count);
	printf(" 0 count=%d", count);
}

/* A check of a device that is not there (device_del, or not yet added)
 * sees nothing; false when the step names no device of the scenario. */
static bool dev_absent(const struct step *st, const char *bdf)
{
	if (bdf)
		return false;
	if (arg(st, "dev") && find_dev(arg(st, "dev")))
		printf(" 0 driver=none bdf=none group=none domain=none");
	else
		printf(" -EINVAL");
	return true;
}

/* check_sysfs: the file's contents; a link (iommu_group) its target's
 * name, and for a group its rank among the scenario's groups */
static void do_check_sysfs(const struct step *st, const struct agent_verb *v)
{
	const char *bdf = dev_bdf(st, "dev"), *attr = arg(st, "attr");
	char path[PATH_MAX], buf[256];
	int count;

	if (dev_absent(st, bdf))
		return;
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/%s", bdf,
		 attr ? attr : "");
	if (attr && !dev_link(bdf, attr, buf, sizeof(buf))) {
		printf(" 0 value=\"%s\"", buf);
		if (!strcmp(attr, "iommu_group"))
			printf(" rank=%d", group_rank(atoi(buf), &count));
		return;
	}
	if (read_file(path, buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "<unreadable>");
	printf(" 0 value=\"%s\"", buf);
}

/* check_group, check_device: the driver and the group's state */
static void do_check_dev(const struct step *st, const struct agent_verb *v)
{
	const char *bdf = dev_bdf(st, "dev");
	char buf[256];

	if (dev_absent(st, bdf))
		return;
	printf(" 0");
	dev_link(bdf, "driver", buf, sizeof(buf));
	printf(" driver=%s bdf=%s", buf, bdf);
	print_group_state(bdf);
}

/* ---- iommufd and VFIO's cdev (iommufd.c, ifd_uapi.c) ---- */

#define IFD_PRINT(name, fn)                                                    \
	static void name(const struct step *st, const struct agent_verb *v)    \
	{                                                                      \
		fn(st);                                                        \
	}
#define IFD_RET(name, fn)                                                      \
	static int name(const struct step *st, const struct agent_verb *v)     \
	{                                                                      \
		return fn(st);                                                 \
	}
IFD_PRINT(do_ifd_open, ifd_open)
IFD_RET(do_ifd_close, ifd_close)
IFD_RET(do_ifd_close_fd, ifd_close_fd)
IFD_PRINT(do_ifd_fault_read, ifd_fault_read)
IFD_PRINT(do_ifd_fault_write, ifd_fault_write)
IFD_PRINT(do_ifd_veventq_read, ifd_veventq_read)
IFD_PRINT(do_ifd_mmap, ifd_mmap)
IFD_PRINT(do_ifd_memfd, ifd_memfd_create)
IFD_RET(do_ifd_capset, ifd_capset)
IFD_RET(do_ifd_setrlimit, ifd_setrlimit)
IFD_PRINT(do_ifd_check_process, ifd_check_process)
IFD_PRINT(do_ifd_bind, ifd_bind)
IFD_PRINT(do_ifd_attach, ifd_attach)
IFD_PRINT(do_ifd_replace, ifd_replace)
IFD_RET(do_ifd_detach, ifd_detach)
IFD_PRINT(do_ifd_unbind, ifd_unbind)
IFD_PRINT(do_ifd_uapi, ifd_uapi)
IFD_PRINT(do_vfio, vfio_step)
IFD_PRINT(do_vfio_irqs, vfio_irqs_step)
IFD_PRINT(do_ifd_test_cmd, ifd_test_cmd)
IFD_PRINT(do_vfio_nodes, vfio_nodes_list)
IFD_PRINT(do_check_vfio_node, vfio_check_node)

/* ---- the table ---- */

static const struct agent_verb verbs[] = {
	/* userspace: sysfs */
	{ .verb = "driver_bind", .ret = do_driver_bind },
	{ .verb = "driver_unbind", .ret = do_driver_unbind },
	{ .verb = "sysfs_write", .ret = do_sysfs_write },
	{ .verb = "module_param_write", .ret = do_module_param_write },
	{ .verb = "check_taint", .print = do_check_taint, .check = true },
	{ .verb = "check_module_param",
	  .print = do_check_module_param,
	  .check = true },
	{ .verb = "device_del", .ret = do_device_del },
	{ .verb = "hotplug", .ret = do_hotplug },
	/* kernel-internal: the test driver */
	{ .verb = "iommu_paging_domain_alloc",
	  .ret = do_dev_op,
	  .op = "alloc",
	  .key2 = "out_domain" },
	{ .verb = "iommu_paging_domain_alloc_flags", .ret = do_alloc_flags },
	{ .verb = "iommu_domain_free", .ret = do_free },
	{ .verb = "iommu_attach_device",
	  .ret = do_dev_op,
	  .op = "attach_device",
	  .key2 = "domain" },
	{ .verb = "iommu_detach_device",
	  .ret = do_dev_op,
	  .op = "detach_device",
	  .key2 = "domain" },
	{ .verb = "iommu_attach_group",
	  .ret = do_dev_op,
	  .op = "attach_group",
	  .key2 = "domain" },
	{ .verb = "iommu_detach_group",
	  .ret = do_dev_op,
	  .op = "detach_group",
	  .key2 = "domain" },
	{ .verb = "iommu_attach_group_handle",
	  .ret = do_dev_op,
	  .op = "attach_group_handle",
	  .key2 = "domain" },
	{ .verb = "iommu_detach_group_handle",
	  .ret = do_dev_op,
	  .op = "detach_group_handle",
	  .key2 = "domain" },
	{ .verb = "iommu_replace_group_handle",
	  .ret = do_dev_op,
	  .op = "replace_group_handle",
	  .key2 = "domain" },
	{ .verb = "iommu_group_claim_dma_owner",
	  .ret = do_dev_op,
	  .op = "group_claim_dma_owner",
	  .key2 = "owner" },
	{ .verb = "iommu_device_claim_dma_owner",
	  .ret = do_dev_op,
	  .op = "device_claim_dma_owner",
	  .key2 = "owner" },
	{ .verb = "iommu_group_release_dma_owner",
	  .ret = do_dev_op,
	  .op = "group_release_dma_owner" },
	{ .verb = "iommu_device_release_dma_owner",
	  .ret = do_dev_op,
	  .op = "device_release_dma_owner" },
	{ .verb = "iommu_device_use_default_domain",
	  .ret = do_dev_op,
	  .op = "device_use_default_domain" },
	{ .verb = "iommu_device_unuse_default_domain",
	  .ret = do_dev_op,
	  .op = "device_unuse_default_domain" },
	{ .verb = "iommu_group_dma_owner_claimed",
	  .ret = do_dev_op,
	  .op = "group_dma_owner_claimed" },
	{ .verb = "pci_dev_reset_iommu_prepare",
	  .ret = do_dev_op,
	  .op = "reset_prepare" },
	{ .verb = "pci_dev_reset_iommu_done",
	  .ret = do_dev_op,
	  .op = "reset_done" },
	{ .verb = "iommu_map", .print = do_map },
	{ .verb = "iommu_unmap", .print = do_unmap },
	{ .verb = "map_range", .print = do_map, .op = "map_range" },
	{ .verb = "unmap_range", .print = do_unmap, .op = "unmap_range" },
	{ .verb = "iommu_iova_to_phys", .print = do_iova_to_phys },
	{ .verb = "dma", .print = do_dma },
	{ .verb = "memory_write", .print = do_memory_write },
	{ .verb = "check_memory", .print = do_check_memory },
	/* iommufd: /dev/iommu, its ioctls, VFIO's cdev, the process */
	{ .verb = "open_iommufd", .print = do_ifd_open },
	{ .verb = "close", .ret = do_ifd_close },
	{ .verb = "close_fd", .ret = do_ifd_close_fd },
	{ .verb = "fault_read", .print = do_ifd_fault_read },
	{ .verb = "fault_write", .print = do_ifd_fault_write },
	{ .verb = "veventq_read", .print = do_ifd_veventq_read },
	{ .verb = "mmap", .print = do_ifd_mmap },
	{ .verb = "memfd_create", .print = do_ifd_memfd },
	{ .verb = "capset", .ret = do_ifd_capset },
	{ .verb = "setrlimit", .ret = do_ifd_setrlimit },
	{ .verb = "fork", .line = agent_fork },
	{ .verb = "exit", .line = agent_exit },
	{ .verb = "cdev_bind", .print = do_ifd_bind },
	{ .verb = "cdev_attach", .print = do_ifd_attach },
	{ .verb = "cdev_replace", .print = do_ifd_replace },
	{ .verb = "cdev_detach", .ret = do_ifd_detach },
	{ .verb = "close_device", .print = do_ifd_unbind },
	{ .verb = "IOMMU_DESTROY", .print = do_ifd_uapi },
	{ .verb = "IOMMU_FAULT_QUEUE_ALLOC", .print = do_ifd_uapi },
	{ .verb = "IOMMU_IOAS_ALLOC", .print = do_ifd_uapi },
	{ .verb = "IOMMU_IOAS_MAP", .print = do_ifd_uapi },
	{ .verb = "IOMMU_IOAS_MAP_FILE", .print = do_ifd_uapi },
	{ .verb = "IOMMU_IOAS_UNMAP", .print = do_ifd_uapi },
	{ .verb = "IOMMU_IOAS_COPY", .print = do_ifd_uapi },
	{ .verb = "IOMMU_IOAS_IOVA_RANGES", .print = do_ifd_uapi },
	{ .verb = "IOMMU_IOAS_ALLOW_IOVAS", .print = do_ifd_uapi },
	{ .verb = "IOMMU_OPTION", .print = do_ifd_uapi },
	{ .verb = "IOMMU_VFIO_IOAS", .print = do_ifd_uapi },
	{ .verb = "IOMMU_HWPT_ALLOC", .print = do_ifd_uapi },
	{ .verb = "IOMMU_GET_HW_INFO", .print = do_ifd_uapi },
	{ .verb = "IOMMU_HWPT_SET_DIRTY_TRACKING", .print = do_ifd_uapi },
	{ .verb = "IOMMU_HWPT_GET_DIRTY_BITMAP", .print = do_ifd_uapi },
	{ .verb = "IOMMU_HWPT_INVALIDATE", .print = do_ifd_uapi },
	{ .verb = "IOMMU_VIOMMU_ALLOC", .print = do_ifd_uapi },
	{ .verb = "IOMMU_VDEVICE_ALLOC", .print = do_ifd_uapi },
	{ .verb = "IOMMU_IOAS_NOIOMMU_GET_PA", .print = do_ifd_uapi },
	{ .verb = "IOMMU_IOAS_CHANGE_PROCESS", .print = do_ifd_uapi },
	{ .verb = "IOMMU_VEVENTQ_ALLOC", .print = do_ifd_uapi },
	{ .verb = "IOMMU_HW_QUEUE_ALLOC", .print = do_ifd_uapi },
	{ .verb = "IOMMU_TEST_CMD", .print = do_ifd_test_cmd },
	{ .verb = "check_process",
	  .print = do_ifd_check_process,
	  .check = true },
	/* VFIO: its nodes and ioctls (vfio.c) */
	{ .verb = "vfio_open", .print = do_vfio },
	{ .verb = "vfio_close", .print = do_vfio },
	{ .verb = "VFIO_GET_API_VERSION", .print = do_vfio },
	{ .verb = "VFIO_CHECK_EXTENSION", .print = do_vfio },
	{ .verb = "VFIO_SET_IOMMU", .print = do_vfio },
	{ .verb = "VFIO_GROUP_GET_STATUS", .print = do_vfio },
	{ .verb = "VFIO_GROUP_SET_CONTAINER", .print = do_vfio },
	{ .verb = "VFIO_GROUP_UNSET_CONTAINER", .print = do_vfio },
	{ .verb = "VFIO_GROUP_GET_DEVICE_FD", .print = do_vfio },
	{ .verb = "VFIO_DEVICE_GET_INFO", .print = do_vfio },
	{ .verb = "VFIO_DEVICE_GET_REGION_INFO", .print = do_vfio },
	{ .verb = "VFIO_DEVICE_FEATURE", .print = do_vfio },
	{ .verb = "VFIO_DEVICE_RESET", .print = do_vfio },
	{ .verb = "pread", .print = do_vfio },
	{ .verb = "pwrite", .print = do_vfio },
	{ .verb = "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO", .print = do_vfio },
	{ .verb = "VFIO_DEVICE_PCI_HOT_RESET", .print = do_vfio },
	{ .verb = "VFIO_DEVICE_BIND_IOMMUFD", .print = do_vfio },
	{ .verb = "VFIO_DEVICE_ATTACH_IOMMUFD_PT", .print = do_vfio },
	{ .verb = "VFIO_DEVICE_DETACH_IOMMUFD_PT", .print = do_vfio },
	{ .verb = "VFIO_IOMMU_GET_INFO", .print = do_vfio },
	{ .verb = "VFIO_IOMMU_MAP_DMA", .print = do_vfio },
	{ .verb = "VFIO_IOMMU_DIRTY_PAGES", .print = do_vfio },
	{ .verb = "VFIO_IOMMU_UNMAP_DMA", .print = do_vfio },
	/* VFIO's interrupts and the eventfds they signal (vfio_irqs.c) */
	{ .verb = "eventfd", .print = do_vfio_irqs },
	{ .verb = "eventfd_read", .print = do_vfio_irqs },
	{ .verb = "eventfd_write", .print = do_vfio_irqs },
	{ .verb = "VFIO_DEVICE_GET_IRQ_INFO", .print = do_vfio_irqs },
	{ .verb = "VFIO_DEVICE_SET_IRQS", .print = do_vfio_irqs },
	{ .verb = "VFIO_DEVICE_IOEVENTFD", .print = do_vfio_irqs },
	/* checks: what the guest shows */
	{ .verb = "check_group", .print = do_check_dev, .check = true },
	{ .verb = "check_device", .print = do_check_dev, .check = true },
	{ .verb = "check_sysfs", .print = do_check_sysfs, .check = true },
	{ .verb = "check_groups", .print = do_check_groups, .check = true },
	/* VFIO's nodes and sysfs (vfio_nodes.c) */
	{ .verb = "vfio_nodes", .print = do_vfio_nodes, .check = true },
	{ .verb = "check_vfio_node",
	  .print = do_check_vfio_node,
	  .check = true },
};

#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

static const struct agent_verb *verb_row(const char *name)
{
	size_t i;

	for (i = 0; i < NVERBS; i++) {
		if (!strcmp(verbs[i].verb, name))
			return &verbs[i];
	}
	return NULL;
}

void run_step(const struct step *st)
{
	const struct agent_verb *v = verb_row(st->verb);
	long w0 = warn_count();

	if (v && v->line) {
		v->line(st);
		fflush(stdout);
		return;
	}
	printf("step %d", st->line);
	if (!v)
		printf(" unsupported");
	else if (v->ret)
		print_ret(v->ret(st, v));
	else
		v->print(st, v);
	if (v && !v->check && warn_count() > w0)
		printf(" warn");
	printf("\n");
	fflush(stdout);
}

void list_verbs(void)
{
	size_t i;

	for (i = 0; i < NVERBS; i++)
		printf("%s%s%s\n", verbs[i].verb, verbs[i].op ? " " : "",
		       verbs[i].op ? verbs[i].op : "");
}
