// SPDX-License-Identifier: MIT
/*
 * agent.c - iommusim's guest agent: runs a guest program inside the QEMU
 * guest and prints one result line per step on stdout.
 *
 * A guest program (written by hw/ on the host, docs/crosscheck.md) is the
 * scenario's operations in the scenario syntax, after translation:
 *
 *   inventory                      print every PCI function, group and ACS
 *   scenario <file>                a new scenario begins
 *   device <name> <path> <driver> [hotplug|replug]
 *                                  path: dev.fn hops from bus 0, "1c.0/00.0";
 *                                  driver: what the model binds at boot;
 *                                  hotplug: removed at begin, back at its
 *                                  step; replug: the same, where a device
 *                                  the scenario deletes first is
 *   fresh                          the scenario needs groups no earlier
 *                                  scenario touched (exit 3 if not)
 *   begin                          bind the boot drivers, note the state
 *   step <line> <verb> key=value...  (hotplug dev=NAME: rescan its bus)
 *   end                            undo the scenario, check the state is
 *                                  the one noted at begin
 *
 * Handles arrive as domain table slots (dN), owner cookies as small
 * integers; drivers are already the guest's (vfio-pci, e1000e,
 * iommusim-dma...). Device names stay names: the agent resolves each path
 * in sysfs and prints the bus/device/function it found, so the host maps
 * guest addresses onto scenario names instead of assuming them.
 *
 * Output, one line each:
 *   map <name> <bdf>|missing
 *   step <line> <ret> [warn] [key=value...]
 *   reset ok | reset failed <why>
 * ret is 0, a value, or -ERRNO-NAME.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"

#define MAX_ARGS 16
#define MAX_DEVS 64

struct kv {
	char *key, *val;
};

struct step {
	int line;
	char *verb;
	struct kv args[MAX_ARGS];
	int nargs;
};

struct device {
	char name[64];
	char path[256];	      /* dev.fn hops from bus 0 */
	char bdf[16];	      /* empty when the path did not resolve */
	bool present;	      /* in sysfs now (hotplug, device_del) */
	bool hotplug;	      /* removed at begin, added by its step */
	char boot_driver[64]; /* bound at begin, "none" for none */
	char boot_type[32];   /* iommu_group/type when the scenario began */
	char boot_state[512]; /* driver and group state after begin */
};

static struct device devs[MAX_DEVS];
static int ndevs;
/* A device was removed or added: the boot cannot be reused. */
static bool topology_changed;
/* The scenario names a group's blocking domain before any claim may have
 * allocated it: it must see groups as boot left them ("fresh"). */
static bool need_fresh;

/* ---- devices ---- */

static struct device *find_dev(const char *name)
{
	int i;

	for (i = 0; i < ndevs; i++) {
		if (!strcmp(devs[i].name, name))
			return &devs[i];
	}
	return NULL;
}

static const char *dev_name_of_bdf(const char *bdf)
{
	int i;

	for (i = 0; i < ndevs; i++) {
		if (devs[i].present && !strcmp(devs[i].bdf, bdf))
			return devs[i].name;
	}
	return NULL;
}

/* ---- hotplug: sysfs remove and rescan ---- */

/* pci_stop_and_remove_bus_device() through sysfs, as device_del does. */
static int remove_device(struct device *d)
{
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/remove", d->bdf);
	ret = write_file(path, "1");
	if (!ret)
		d->present = false;
	topology_changed = true;
	return ret;
}

/*
 * Scan the bus @d sits on: the parent bridge's secondary bus, or every
 * root bus. A rescan also finds devices the scenario deleted or has not
 * added yet (and, from the root, below every bridge): they are removed
 * again, so only @d is new.
 */
static int rescan_for(struct device *d)
{
	char parent[256], pbdf[16], path[PATH_MAX], bus[256];
	char *slash;
	int ret, i;

	snprintf(parent, sizeof(parent), "%s", d->path);
	slash = strrchr(parent, '/');
	if (!slash) {
		ret = write_file("/sys/bus/pci/rescan", "1");
	} else {
		*slash = '\0';
		if (resolve(parent, pbdf, sizeof(pbdf)))
			return -ENODEV;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/pci_bus", pbdf);
		if (first_entry(path, bus, sizeof(bus)))
			return -ENODEV;
		snprintf(path, sizeof(path),
			 PCI_DEVICES "/%s/pci_bus/%s/rescan", pbdf, bus);
		ret = write_file(path, "1");
	}
	if (ret)
		return ret;
	topology_changed = true;
	if (resolve(d->path, d->bdf, sizeof(d->bdf)))
		return -ENODEV;
	d->present = true;
	for (i = 0; i < ndevs; i++) {
		struct device *o = &devs[i];

		if (o->present || !strcmp(o->path, d->path) ||
		    resolve(o->path, o->bdf, sizeof(o->bdf)))
			continue;
		o->present = true;
		remove_device(o);
	}
	return 0;
}

/* ---- steps ---- */

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

static int do_sysfs_write(const struct step *st)
{
	const char *bdf = dev_bdf(st, "dev"), *attr = arg(st, "attr");
	const char *val = arg(st, "value");
	char path[PATH_MAX];

	if (!bdf || !attr || !val)
		return -EINVAL;
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/%s", bdf, attr);
	return write_file(path, val);
}

/* Kernel-internal operations: verb -> (ctl op, argument keys). */
static const struct {
	const char *verb, *op, *key2;
} kops[] = {
	{ "iommu_paging_domain_alloc", "alloc", "out_domain" },
	{ "iommu_attach_device", "attach_device", "domain" },
	{ "iommu_detach_device", "detach_device", "domain" },
	{ "iommu_attach_group", "attach_group", "domain" },
	{ "iommu_detach_group", "detach_group", "domain" },
	{ "iommu_attach_group_handle", "attach_group_handle", "domain" },
	{ "iommu_detach_group_handle", "detach_group_handle", "domain" },
	{ "iommu_replace_group_handle", "replace_group_handle", "domain" },
	{ "iommu_group_claim_dma_owner", "group_claim_dma_owner", "owner" },
	{ "iommu_device_claim_dma_owner", "device_claim_dma_owner", "owner" },
	{ "iommu_group_release_dma_owner", "group_release_dma_owner", NULL },
	{ "iommu_device_release_dma_owner", "device_release_dma_owner", NULL },
	{ "iommu_device_use_default_domain", "device_use_default_domain",
	  NULL },
	{ "iommu_device_unuse_default_domain", "device_unuse_default_domain",
	  NULL },
	{ "iommu_group_dma_owner_claimed", "group_dma_owner_claimed", NULL },
};

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

/* iommu_map (prot rw unless given, as sim/ops.c), iommu_unmap,
 * iommu_iova_to_phys: on a domain of the table; the latter two return a
 * 64-bit value, printed as the driver gave it */
static bool do_domain_op(const struct step *st)
{
	const char *d = arg(st, "domain"), *iova = arg(st, "iova");
	const char *prot = arg(st, "prot") ? arg(st, "prot") : "rw";
	char cmd[256], res[128], v[64];

	if (!strcmp(st->verb, "iommu_map"))
		snprintf(cmd, sizeof(cmd), "map %s %s %s %s %s", d, iova,
			 arg(st, "paddr"), arg(st, "size"), prot);
	else if (!strcmp(st->verb, "iommu_unmap"))
		snprintf(cmd, sizeof(cmd), "unmap %s %s %s", d, iova,
			 arg(st, "size"));
	else if (!strcmp(st->verb, "iommu_iova_to_phys"))
		snprintf(cmd, sizeof(cmd), "iova_to_phys %s %s", d, iova);
	else
		return false;
	if (ctl(cmd, res, sizeof(res)) || !field(res, "ret", v, sizeof(v)))
		snprintf(v, sizeof(v), "-%d", EIO);
	if (v[0] == '-')
		printf(" -%s", errname(atoi(v + 1)));
	else
		printf(" %s", v);
	return true;
}

/* dma (the test driver's edu DMA: "ok", "other", "refused", "unknown"
 * as dma=), memory_write, check_memory (value= the byte found, or mixed) */
static bool do_memory_op(const struct step *st)
{
	const char *pat = arg(st, "pattern") ? arg(st, "pattern") : "-";
	char cmd[256], res[128], v[64];

	if (!strcmp(st->verb, "dma") && dev_bdf(st, "dev"))
		snprintf(cmd, sizeof(cmd), "dma %s %s %s %s %s",
			 dev_bdf(st, "dev"),
			 arg(st, "dir") ? arg(st, "dir") : "read",
			 arg(st, "iova"), arg(st, "len"), pat);
	else if (!strcmp(st->verb, "memory_write"))
		snprintf(cmd, sizeof(cmd), "memory_write %s %s %s",
			 arg(st, "paddr"), arg(st, "len"),
			 arg(st, "pattern") ? arg(st, "pattern") : "0");
	else if (!strcmp(st->verb, "check_memory"))
		snprintf(cmd, sizeof(cmd), "check_memory %s %s",
			 arg(st, "paddr"), arg(st, "len"));
	else
		return false;
	if (ctl(cmd, res, sizeof(res)) || !field(res, "ret", v, sizeof(v)))
		snprintf(v, sizeof(v), "-%d", EIO);
	if (v[0] == '-') {
		printf(" -%s", errname(atoi(v + 1)));
		return true;
	}
	printf(" %s", v);
	if (field(res, "dma", v, sizeof(v)))
		printf(" dma=%s", v);
	if (field(res, "value", v, sizeof(v)))
		printf(" value=%s", v);
	return true;
}

static bool do_kernel_op(const struct step *st, int *ret)
{
	char cmd[256];
	const char *bdf, *a2;
	size_t i;

	if (!strcmp(st->verb, "iommu_domain_free")) {
		a2 = arg(st, "domain");
		snprintf(cmd, sizeof(cmd), "free %s", a2 ? a2 : "-");
		*ret = ctl_ret(cmd);
		return true;
	}
	for (i = 0; i < sizeof(kops) / sizeof(kops[0]); i++) {
		if (strcmp(st->verb, kops[i].verb))
			continue;
		bdf = dev_bdf(st, "dev");
		a2 = kops[i].key2 ? arg(st, kops[i].key2) : "";
		if (!bdf || !a2) {
			*ret = -EINVAL;
			return true;
		}
		snprintf(cmd, sizeof(cmd), "%s %s %s", kops[i].op, bdf, a2);
		*ret = ctl_ret(cmd);
		return true;
	}
	return false;
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
static int group_rank(int id, int *count)
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

static int do_check(const struct step *st)
{
	const char *bdf = dev_bdf(st, "dev"), *attr = arg(st, "attr");
	char path[PATH_MAX], buf[256];
	int count;

	if (!strcmp(st->verb, "check_groups")) {
		group_rank(0, &count);
		printf(" 0 count=%d", count);
		return 0;
	}
	if (!bdf && arg(st, "dev") && find_dev(arg(st, "dev"))) {
		/* removed (device_del) or not yet added */
		printf(" 0 driver=none bdf=none group=none domain=none");
		return 0;
	}
	if (!bdf)
		return -EINVAL;
	if (!strcmp(st->verb, "check_sysfs")) {
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/%s", bdf,
			 attr ? attr : "");
		/* a link (iommu_group): its target's name, and for a group
		 * its rank among the scenario's groups */
		if (attr && !dev_link(bdf, attr, buf, sizeof(buf))) {
			printf(" 0 value=\"%s\"", buf);
			if (!strcmp(attr, "iommu_group"))
				printf(" rank=%d",
				       group_rank(atoi(buf), &count));
			return 0;
		}
		if (read_file(path, buf, sizeof(buf)))
			snprintf(buf, sizeof(buf), "<unreadable>");
		printf(" 0 value=\"%s\"", buf);
		return 0;
	}
	printf(" 0");
	dev_link(bdf, "driver", buf, sizeof(buf));
	printf(" driver=%s bdf=%s", buf, bdf);
	print_group_state(bdf);
	return 0;
}

static void run_step(const struct step *st)
{
	long w0 = warn_count(), w1;
	int ret = 0;

	printf("step %d", st->line);
	if (!strncmp(st->verb, "iommu_", 6) && arg(st, "iova") &&
	    arg(st, "domain") && do_domain_op(st)) {
		w1 = warn_count();
		printf("%s\n", w1 > w0 ? " warn" : "");
		fflush(stdout);
		return;
	}
	if ((!strcmp(st->verb, "dma") || !strcmp(st->verb, "memory_write") ||
	     !strcmp(st->verb, "check_memory")) &&
	    do_memory_op(st)) {
		w1 = warn_count();
		printf("%s\n", w1 > w0 ? " warn" : "");
		fflush(stdout);
		return;
	}
	if (!strncmp(st->verb, "check_", 6)) {
		if (do_check(st))
			printf(" -EINVAL");
		printf("\n");
		fflush(stdout);
		return;
	}
	if (!strcmp(st->verb, "driver_bind"))
		ret = dev_bdf(st, "dev") && arg(st, "driver")
			      ? bind_driver(dev_bdf(st, "dev"),
					    arg(st, "driver"))
			      : -EINVAL;
	else if (!strcmp(st->verb, "driver_unbind"))
		ret = dev_bdf(st, "dev") ? unbind(dev_bdf(st, "dev")) : -EINVAL;
	else if (!strcmp(st->verb, "sysfs_write"))
		ret = do_sysfs_write(st);
	else if (!strcmp(st->verb, "device_del"))
		ret = dev_bdf(st, "dev")
			      ? remove_device(find_dev(arg(st, "dev")))
			      : -ENODEV;
	else if (!strcmp(st->verb, "hotplug"))
		ret = find_dev(arg(st, "dev"))
			      ? rescan_for(find_dev(arg(st, "dev")))
			      : -ENODEV;
	else if (!do_kernel_op(st, &ret)) {
		printf(" unsupported\n");
		fflush(stdout);
		return;
	}
	w1 = warn_count();
	print_ret(ret);
	if (w1 > w0)
		printf(" warn");
	printf("\n");
	fflush(stdout);
}

/* ---- scenario boundaries ---- */

static void type_path(const struct device *d, char *path, size_t len)
{
	snprintf(path, len, PCI_DEVICES "/%s/iommu_group/type", d->bdf);
}

/* Bind @d's boot driver (the model's boot binds it, not always the
 * guest's: e1000e binds itself at boot, our stand-ins do not). */
static void bind_boot_driver(const struct device *d)
{
	char cur[64];

	dev_link(d->bdf, "driver", cur, sizeof(cur));
	if (!strcmp(cur, d->boot_driver))
		return;
	if (strcmp(cur, "none"))
		unbind(d->bdf);
	if (strcmp(d->boot_driver, "none"))
		bind_driver(d->bdf, d->boot_driver);
}

/* Every present device back on its boot driver. */
static void bind_boot_drivers(void)
{
	for (int i = 0; i < ndevs; i++) {
		if (devs[i].present)
			bind_boot_driver(&devs[i]);
	}
}

static void snapshot(const struct device *d, char *out, size_t len)
{
	char cmd[64], res[400], drv[64];

	dev_link(d->bdf, "driver", drv, sizeof(drv));
	snprintf(cmd, sizeof(cmd), "state %s", d->bdf);
	ctl(cmd, res, sizeof(res));
	/* group->blocking_domain, once allocated, stays: not undoable */
	if (strstr(res, " blocking="))
		*strstr(res, " blocking=") = '\0';
	snprintf(out, len, "driver=%s %s", drv, res);
}

/* True if some group of the scenario has had its blocking domain
 * allocated by an earlier scenario of this boot. */
static bool groups_used(void)
{
	char cmd[64], res[512];
	int i;

	for (i = 0; i < ndevs; i++) {
		snprintf(cmd, sizeof(cmd), "state %s", devs[i].bdf);
		if (devs[i].present && !ctl(cmd, res, sizeof(res)) &&
		    strstr(res, " blocking=allocated"))
			return true;
	}
	return false;
}

/* The guest's equivalent of the model's boot. */
static void begin_devices(void)
{
	char path[PATH_MAX];
	int i;

	if (need_fresh && groups_used()) {
		printf("reset needed: the scenario wants fresh groups\n");
		exit(3); /* the host boots again, this scenario first */
	}
	for (i = 0; i < ndevs; i++) {
		if (devs[i].hotplug && devs[i].present)
			remove_device(&devs[i]);
	}
	bind_boot_drivers();
	for (i = 0; i < ndevs; i++) {
		struct device *d = &devs[i];

		if (!d->present)
			continue;
		type_path(d, path, sizeof(path));
		read_file(path, d->boot_type, sizeof(d->boot_type));
		snapshot(d, d->boot_state, sizeof(d->boot_state));
	}
}

/*
 * Undo the scenario: unbind everything, let the test driver undo its
 * attachments and claims, restore group types and boot drivers. False
 * (with the reason printed) when the state differs from begin's.
 */
static bool end_scenario(void)
{
	char path[PATH_MAX], cur[32], res[512];
	int i;

	if (topology_changed) {
		printf("reset failed: devices were removed or added\n");
		return false;
	}
	for (i = 0; i < ndevs; i++) {
		if (devs[i].present)
			unbind(devs[i].bdf);
	}
	ctl("reset", res, sizeof(res));
	for (i = 0; i < ndevs; i++) {
		struct device *d = &devs[i];

		if (!d->present)
			continue;
		type_path(d, path, sizeof(path));
		read_file(path, cur, sizeof(cur));
		if (strcmp(cur, d->boot_type))
			write_file(path, d->boot_type);
	}
	bind_boot_drivers();
	for (i = 0; i < ndevs; i++) {
		struct device *d = &devs[i];

		if (!d->present)
			continue;
		snapshot(d, res, sizeof(res));
		if (strcmp(res, d->boot_state)) {
			printf("reset failed %s: %s, was %s\n", d->name, res,
			       d->boot_state);
			return false;
		}
	}
	printf("reset ok\n");
	ndevs = 0;
	return true;
}

/* ---- the program ---- */

/* Split "verb k=v k="v w" ..." in place. */
static int parse_step(char *s, struct step *st)
{
	char *p = s, *out;

	st->nargs = 0;
	st->verb = strsep(&p, " ");
	while (p && *p && st->nargs < MAX_ARGS) {
		struct kv *kv = &st->args[st->nargs];
		char *eq = strchr(p, '=');

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		eq = strchr(p, '=');
		if (!eq)
			return -1;
		*eq = '\0';
		kv->key = p;
		p = eq + 1;
		if (*p == '"') {
			kv->val = out = ++p;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1])
					p++;
				*out++ = *p == 'n' && p[-1] == '\\' ? '\n' : *p;
				p++;
			}
			if (*p)
				p++;
			*out = '\0';
		} else {
			kv->val = strsep(&p, " ");
		}
		st->nargs++;
	}
	return 0;
}

static void program_line(char *line)
{
	char name[64], path[256], drv[64], flag[16] = "";
	struct step st;

	if (!strncmp(line, "inventory", 9)) {
		inventory();
	} else if (!strncmp(line, "scenario ", 9)) {
		ndevs = 0;
		need_fresh = false;
		topology_changed = false;
		printf("%s\n", line);
	} else if (sscanf(line, "device %63s %255s %63s %15s", name, path, drv,
			  flag) >= 3 &&
		   ndevs < MAX_DEVS) {
		struct device *d = &devs[ndevs++];

		memset(d, 0, sizeof(*d));
		snprintf(d->name, sizeof(d->name), "%s", name);
		snprintf(d->path, sizeof(d->path), "%s", path);
		snprintf(d->boot_driver, sizeof(d->boot_driver), "%s", drv);
		resolve(path, d->bdf, sizeof(d->bdf));
		/* a replug is absent until its step; its path holds another */
		d->present = d->bdf[0] && strcmp(flag, "replug");
		d->hotplug = !strcmp(flag, "hotplug");
		printf("map %s %s\n", name, d->bdf[0] ? d->bdf : "missing");
	} else if (!strcmp(line, "fresh")) {
		need_fresh = true;
	} else if (!strcmp(line, "begin")) {
		begin_devices();
	} else if (!strncmp(line, "step ", 5)) {
		st.line = strtol(line + 5, &line, 10);
		if (*line == ' ' && !parse_step(line + 1, &st))
			run_step(&st);
		else
			printf("step %d unparsed\n", st.line);
	} else if (!strcmp(line, "end")) {
		if (!end_scenario())
			exit(3); /* the host boots again for the rest */
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *prog = argc > 1 ? argv[1] : "/program.txt";
	FILE *f = fopen(prog, "r");
	char line[1024];

	if (!f) {
		perror(prog);
		return 1;
	}
	/* devices found by a rescan stay unbound, as in the model: drivers
	 * bind only through driver_bind (bind_store) */
	write_file("/sys/bus/pci/drivers_autoprobe", "0");
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] && line[0] != '#')
			program_line(line);
	}
	fclose(f);
	return 0;
}
