// SPDX-License-Identifier: MIT
/*
 * sysfs.c - the guest agent's reach into the kernel: sysfs files and
 * links, the path of a device from bus 0, the inventory of PCI functions,
 * driver bind/unbind, and the test driver's debugfs file
 * (hw/kmod/iommusim_test.c).
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

/* errno names, as the scenario language spells them */
static const struct {
	int err;
	const char *name;
} errnames[] = {
	{ EPERM, "EPERM" },	      { ENOENT, "ENOENT" },
	{ EINTR, "EINTR" },	      { EIO, "EIO" },
	{ ENXIO, "ENXIO" },	      { E2BIG, "E2BIG" },
	{ EBADF, "EBADF" },	      { EAGAIN, "EAGAIN" },
	{ ENOMEM, "ENOMEM" },	      { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" },	      { EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" },	      { EXDEV, "EXDEV" },
	{ ENODEV, "ENODEV" },	      { ENOTDIR, "ENOTDIR" },
	{ EINVAL, "EINVAL" },	      { ENFILE, "ENFILE" },
	{ EMFILE, "EMFILE" },	      { ENOTTY, "ENOTTY" },
	{ ENOSPC, "ENOSPC" },	      { ESPIPE, "ESPIPE" },
	{ EROFS, "EROFS" },	      { ERANGE, "ERANGE" },
	{ EDEADLK, "EDEADLK" },	      { ENOSYS, "ENOSYS" },
	{ EOVERFLOW, "EOVERFLOW" },   { EBADFD, "EBADFD" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENOTSUP, "EOPNOTSUPP" },
	{ EADDRINUSE, "EADDRINUSE" }, { ETIMEDOUT, "ETIMEDOUT" },
	{ 512, "ERESTARTSYS" },	      { 517, "EPROBE_DEFER" },
	{ 524, "ENOTSUPP" },	      { EMSGSIZE, "EMSGSIZE" },
	{ ESRCH, "ESRCH" },	      { EADDRNOTAVAIL, "EADDRNOTAVAIL" },
	{ EBADE, "EBADE" },
};

const char *errname(int err)
{
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++) {
		if (errnames[i].err == err)
			return errnames[i].name;
	}
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

/* ---- sysfs helpers ---- */

/* Write @val to @path in one write(2): the bytes written, or -errno. */
int write_file_count(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int ret;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	ret = n < 0 ? -errno : (int)n;
	close(fd);
	return ret;
}

/* The same, 0 on success. */
int write_file(const char *path, const char *val)
{
	int ret = write_file_count(path, val);

	return ret < 0 ? ret : 0;
}

/* Read @path into @buf, trailing newline removed; 0 or -errno. */
int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

long warn_count(void)
{
	char buf[32];

	if (read_file("/sys/kernel/warn_count", buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 10);
}

/* The basename of a symlink under a device (driver, iommu_group). */
int dev_link(const char *bdf, const char *link, char *out, size_t len)
{
	char path[PATH_MAX], target[256];
	ssize_t n;
	char *slash;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/%s", bdf, link);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0) {
		snprintf(out, len, "none");
		return -errno;
	}
	target[n] = '\0';
	slash = strrchr(target, '/');
	snprintf(out, len, "%s", slash ? slash + 1 : target);
	return 0;
}

/* The first entry of directory @dir that is not a dot file. */
int first_entry(const char *dir, char *out, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int ret = -ENOENT;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] != '.') {
			snprintf(out, len, "%s", e->d_name);
			ret = 0;
			break;
		}
	}
	if (d)
		closedir(d);
	return ret;
}

/* ---- the kernel-internal operations: hw/kmod/iommusim_test.c ---- */

/* Run one command; @out gets the result line ("ret=..."). */
int ctl(const char *cmd, char *out, size_t len)
{
	int ret = write_file(CTL, cmd);

	out[0] = '\0';
	/* the driver keeps the last result until the next command */
	return ret ? ret : read_file(CTL, out, len);
}

/* The value of " key=" in a ctl result, copied into @val. */
bool field(const char *res, const char *key, char *val, size_t len)
{
	size_t kl = strlen(key);
	const char *p = res;

	while ((p = strstr(p, key))) {
		if ((p == res || p[-1] == ' ') && p[kl] == '=') {
			size_t n = strcspn(p + kl + 1, " ");

			snprintf(val, len, "%.*s", (int)n, p + kl + 1);
			return true;
		}
		p += kl;
	}
	return false;
}

/* ---- devices ---- */

/*
 * Follow @path ("1c.0/00.0") from the root bus in sysfs: each hop is a
 * child directory "DDDD:BB:dd.f" whose dd.f is the hop. The bus numbers
 * come from whatever the firmware assigned. The root bus's directory is
 * its host bridge's: /sys/devices/pci0000:00 on q35, under the platform
 * device of the ECAM host (pci-host-generic) on virt; the pci_bus class
 * entry's "device" link names it on both. A hop not found gives
 * -ENOENT and an empty @bdf (a caller that reads @bdf alone sees the
 * device missing, never the bridge above it).
 */
int resolve(const char *path, char *bdf, size_t len)
{
	char dir[PATH_MAX] = "/sys/devices/pci0000:00";
	char hops[256], *hop, *save = NULL;

	if (!realpath("/sys/class/pci_bus/0000:00/device", dir))
		snprintf(dir, sizeof(dir), "/sys/devices/pci0000:00");

	snprintf(hops, sizeof(hops), "%s", path);
	bdf[0] = '\0';
	for (hop = strtok_r(hops, "/", &save); hop;
	     hop = strtok_r(NULL, "/", &save)) {
		DIR *d = opendir(dir);
		struct dirent *e;
		bool found = false;

		if (!d)
			return -ENOENT;
		while ((e = readdir(d))) {
			size_t n = strlen(e->d_name);

			if (n == 12 && e->d_name[4] == ':' &&
			    !strcmp(e->d_name + 8, hop)) {
				snprintf(bdf, len, "%s", e->d_name);
				found = true;
				break;
			}
		}
		closedir(d);
		if (!found) {
			bdf[0] = '\0'; /* not the last hop found: its parent */
			return -ENOENT;
		}
		snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/%s",
			 bdf);
	}
	return bdf[0] ? 0 : -ENOENT;
}

/* ---- the inventory: what the guest's machine looks like ---- */

/* ACS capability (PCIe extended capability 0x000d) from config space. */
static void print_acs(const char *bdf)
{
	char path[PATH_MAX];
	unsigned char cfg[4096];
	unsigned int off = 0x100, hdr;
	ssize_t n;
	int fd, hops = 0;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/config", bdf);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	n = read(fd, cfg, sizeof(cfg));
	close(fd);
	if (n < 0x104) {
		printf(" acs=noext");
		return;
	}
	while (off && off + 8 <= (unsigned int)n && hops++ < 64) {
		hdr = cfg[off] | cfg[off + 1] << 8 | cfg[off + 2] << 16 |
		      (unsigned int)cfg[off + 3] << 24;
		if ((hdr & 0xffff) == 0x000d) {
			printf(" acs=cap:0x%02x%02x,ctrl:0x%02x%02x",
			       cfg[off + 5], cfg[off + 4], cfg[off + 7],
			       cfg[off + 6]);
			return;
		}
		off = hdr >> 20;
	}
	printf(" acs=none");
}

void inventory(void)
{
	struct dirent **list;
	char path[PATH_MAX], id[16], vid[16], cls[16], grp[16], drv[64];
	int n, i;

	n = scandir(PCI_DEVICES, &list, NULL, alphasort);
	for (i = 0; i < n; i++) {
		const char *bdf = list[i]->d_name;

		if (bdf[0] == '.') {
			free(list[i]);
			continue;
		}
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/vendor", bdf);
		read_file(path, vid, sizeof(vid));
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/device", bdf);
		read_file(path, id, sizeof(id));
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/class", bdf);
		read_file(path, cls, sizeof(cls));
		dev_link(bdf, "iommu_group", grp, sizeof(grp));
		dev_link(bdf, "driver", drv, sizeof(drv));
		printf("pci %s %s:%s class=%s group=%s driver=%s", bdf, vid + 2,
		       id + 2, cls, grp, drv);
		print_acs(bdf);
		printf("\n");
		free(list[i]);
	}
	free(list);
}

/* ---- drivers ---- */

int bind_driver(const char *bdf, const char *drv)
{
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver_override", bdf);
	ret = write_file(path, drv);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/bind", drv);
	return write_file(path, bdf);
}

int driver_unbind_store(const char *bdf, const char *drv)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/unbind", drv);
	return write_file(path, bdf);
}

void clear_override(const char *bdf)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver_override", bdf);
	write_file(path, "\n");
}

int unbind(const char *bdf)
{
	char drv[64];
	int ret = dev_link(bdf, "driver", drv, sizeof(drv))
			  ? -ENODEV /* unbind_store: dev->driver != drv */
			  : driver_unbind_store(bdf, drv);

	clear_override(bdf);
	return ret;
}
