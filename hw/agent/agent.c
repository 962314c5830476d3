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
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"

struct device devs[MAX_DEVS];
int ndevs;
/* A device was removed or added: the boot cannot be reused. */
static bool topology_changed;
/* The scenario names a group's blocking domain before any claim may have
 * allocated it: it must see groups as boot left them ("fresh"). */
static bool need_fresh;
/* The program, and the parent's state once its forked child is done:
 * the child ran the steps up to its exit, the parent goes on after it */
static FILE *program;
static bool skip_to_exit;

/* ---- devices ---- */

struct device *find_dev(const char *name)
{
	int i;

	for (i = 0; i < ndevs; i++) {
		if (!strcmp(devs[i].name, name))
			return &devs[i];
	}
	return NULL;
}

const char *dev_name_of_bdf(const char *bdf)
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
int remove_device(struct device *d)
{
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/remove", d->bdf);
	ret = write_file(path, "1");
	device_removed(d, ret);
	return ret;
}

void device_removed(struct device *d, int ret)
{
	if (!ret)
		d->present = false;
	topology_changed = true;
}

/*
 * Scan the bus @d sits on: the parent bridge's secondary bus, or every
 * root bus. A rescan also finds devices the scenario deleted or has not
 * added yet (and, from the root, below every bridge): they are removed
 * again, so only @d is new.
 */
int rescan_for(struct device *d)
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
	/* a WARN_ON_ONCE WARNs once per scenario, as once per model run
	 * (kernel/panic.c clear_warn_once_set(), CONFIG_DEBUG_FS) */
	write_file("/sys/kernel/debug/clear_warn_once", "1");
	kernel_state_begin();
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
	ifd_reset(); /* the process's fds first: VFIO unbinds on close */
	if (!blocked_end())
		return false;
	kernel_state_end();
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
		bool blocking;

		st.line = strtol(line + 5, &line, 10);
		blocking = !strncmp(line, " &", 2);
		if (*line == ' ' && !parse_step(line + 1 + blocking, &st)) {
			if (blocking)
				run_step_blocking(&st);
			else
				run_step(&st);
			blocked_settle(st.verb);
		} else {
			printf("step %d unparsed\n", st.line);
		}
	} else if (!strcmp(line, "end")) {
		if (!end_scenario())
			exit(3); /* the host boots again for the rest */
	}
	fflush(stdout);
}

/* fork: the child prints the step's result and runs the steps up to
 * exit; the parent waits for it, then skips them (the child read on from
 * the same file offset: the parent seeks back to its own) */
void agent_fork(const struct step *st)
{
	long pos = ftell(program);
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		printf("step %d 0\n", st->line);
		return;
	}
	if (pid < 0)
		printf("step %d -%s\n", st->line, errname(errno));
	else
		waitpid(pid, &status, 0);
	fseek(program, pos, SEEK_SET);
	skip_to_exit = true;
}

/* exit in the child: the kernel closes its fds and drops its mm */
void agent_exit(const struct step *st)
{
	printf("step %d 0\n", st->line);
	fflush(stdout);
	_exit(0);
}

/* the parent after its child: is @line the child's exit step? */
static bool exit_step(const char *line)
{
	char verb[16];
	int n;

	return sscanf(line, "step %d %15s", &n, verb) == 2 &&
	       !strcmp(verb, "exit");
}

int main(int argc, char **argv)
{
	const char *prog = argc > 1 ? argv[1] : "/program.txt";
	FILE *f;
	char line[1024];

	if (argc > 1 && !strcmp(argv[1], "--blocking"))
		return blocked_main(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "--verbs")) {
		list_verbs(); /* the host's test of the operation table */
		return 0;
	}
	f = fopen(prog, "r");
	if (!f) {
		perror(prog);
		return 1;
	}
	/* devices found by a rescan stay unbound, as in the model: drivers
	 * bind only through driver_bind (bind_store) */
	write_file("/sys/bus/pci/drivers_autoprobe", "0");
	program = f;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (skip_to_exit)
			skip_to_exit = !exit_step(line);
		else if (line[0] && line[0] != '#')
			program_line(line);
	}
	fclose(f);
	return 0;
}
