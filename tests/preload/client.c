// SPDX-License-Identifier: MIT
/*
 * client.c - a VFIO noiommu user of our own, built against Linux 7.3's
 * uapi headers and run unmodified under `iommusim exec
 * tests/preload/noiommu.scn` (docs/preload.md). It does what a userspace
 * driver does on a machine without an IOMMU:
 *
 *  cdev:  find the device's vfio-dev entry in sysfs, open
 *         /dev/vfio/devices/noiommu-vfio0 and /dev/iommu,
 *         VFIO_DEVICE_BIND_IOMMUFD, IOMMU_IOAS_ALLOC, IOMMU_IOAS_MAP of a
 *         real buffer, VFIO_DEVICE_ATTACH_IOMMUFD_PT,
 *         IOMMU_IOAS_NOIOMMU_GET_PA of every page, compared with the PAs
 *         the model holds for the buffer and the IOAS (the shim's
 *         introspection, what a scenario's checks read); a memfd mapped
 *         twice with IOMMU_IOAS_MAP_FILE;
 *  group: the group number from the iommu_group link, its name
 *         vfio-noiommu, /dev/vfio/vfio, /dev/vfio/noiommu-N,
 *         VFIO_GROUP_SET_CONTAINER, VFIO_SET_IOMMU(VFIO_NOIOMMU_IOMMU),
 *         VFIO_GROUP_GET_DEVICE_FD, VFIO_DEVICE_GET_INFO (also on a dup);
 *  fork:  a child's map through the inherited /dev/iommu fd is in the
 *         parent's IOAS (one model for both, preload/fork.c).
 *
 * Expected values cite 7.3: scenarios/iommufd/noiommu/ and docs/vfio.md
 * for the model's files that encode them. Output: TAP; exit 1 if any
 * check fails.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#define DEV "0000:00:03.0"
#define BUF_SIZE 0x10000ul
#define IOVA 0x100000ul
#define FILE_IOVA 0x400000ul

/* the shim's view of the model (state.c), NULL when not preloaded */
static uint64_t (*model_va_to_pa)(const void *va);
static uint64_t (*model_iova_to_phys)(int fd, uint32_t ioas, uint64_t iova);

static void *buffer(void)
{
	void *buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (buf == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	memset(buf, 0x5a, BUF_SIZE);
	return buf;
}

/* GET_PA of every page of the mapping, against the model's PAs: the
 * buffer's page in the process and the IOAS's translation. */
static void check_get_pa(int ifd, uint32_t ioas, const char *buf)
{
	bool all = true;

	for (unsigned long off = 0; off < BUF_SIZE; off += 4096) {
		struct iommu_ioas_noiommu_get_pa pa = {
			.size = sizeof(pa),
			.ioas_id = ioas,
			.iova = IOVA + off,
			.length = 4096,
		};

		if (ioctl(ifd, IOMMU_IOAS_NOIOMMU_GET_PA, &pa) ||
		    pa.length != 4096 || !pa.out_phys ||
		    pa.out_phys != model_va_to_pa(buf + off) ||
		    pa.out_phys != model_iova_to_phys(ifd, ioas, IOVA + off))
			all = false;
	}
	CHECK(all, "GET_PA of each page = the model's PA of the buffer's "
		   "page = the IOAS's translation");
}

/* IOMMU_IOAS_MAP_FILE of one memfd at two IOVAs: the file's pages are
 * the same pages (ioas.c iommufd_ioas_map_file(), one iopt_pages per
 * map, both on the memfd's folios), so GET_PA gives equal PAs. */
static void check_map_file(int ifd, uint32_t ioas)
{
	int mfd = memfd_create("client", MFD_CLOEXEC);
	struct iommu_ioas_map_file mf = {
		.size = sizeof(mf),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE,
		.ioas_id = ioas,
		.start = 0,
		.length = 0x4000,
	};
	struct iommu_ioas_noiommu_get_pa a = { .size = sizeof(a),
					       .ioas_id = ioas,
					       .length = 4096 };
	struct iommu_ioas_noiommu_get_pa b = a;
	bool ok = mfd >= 0 && !ftruncate(mfd, 0x4000);

	mf.fd = mfd;
	mf.iova = FILE_IOVA;
	ok = ok && !ioctl(ifd, IOMMU_IOAS_MAP_FILE, &mf);
	mf.iova = FILE_IOVA + 0x10000;
	ok = ok && !ioctl(ifd, IOMMU_IOAS_MAP_FILE, &mf);
	CHECK(ok, "cdev: IOMMU_IOAS_MAP_FILE of a real memfd, twice");
	a.iova = FILE_IOVA + 0x1000;
	b.iova = FILE_IOVA + 0x11000;
	CHECK(!ioctl(ifd, IOMMU_IOAS_NOIOMMU_GET_PA, &a) &&
		      !ioctl(ifd, IOMMU_IOAS_NOIOMMU_GET_PA, &b) &&
		      a.out_phys && a.out_phys == b.out_phys &&
		      a.out_phys ==
			      model_iova_to_phys(ifd, ioas, FILE_IOVA + 0x1000),
	      "cdev: both maps of the memfd give the file's one PA (%#llx)",
	      (unsigned long long)a.out_phys);
	close(mfd);
}

static void cdev_flow(void)
{
	char *buf = buffer();
	int dfd, ifd;
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(
								attach) };
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.length = BUF_SIZE,
		.iova = IOVA,
	};
	struct iommu_ioas_noiommu_get_pa pa = { .size = sizeof(pa) };

	CHECK(!access("/sys/bus/pci/devices/" DEV "/vfio-dev/noiommu-vfio0",
		      F_OK),
	      "sysfs: " DEV "/vfio-dev/noiommu-vfio0 exists");
	dfd = open("/dev/vfio/devices/noiommu-vfio0", O_RDWR | O_CLOEXEC);
	CHECK(dfd >= 0, "cdev: open /dev/vfio/devices/noiommu-vfio0");
	ifd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	CHECK(ifd >= 0, "cdev: open /dev/iommu");
	/* vfio_device_fops_unl_ioctl(): nothing but BIND before the bind */
	CHECK(ioctl(dfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach) == -1 &&
		      errno == EINVAL,
	      "cdev: ATTACH before BIND is EINVAL");
	bind.iommufd = ifd;
	CHECK(!ioctl(dfd, VFIO_DEVICE_BIND_IOMMUFD, &bind),
	      "cdev: VFIO_DEVICE_BIND_IOMMUFD (devid %u)", bind.out_devid);
	CHECK(bind.iommufd == ifd, "cdev: the bind struct's fd is as given");
	CHECK(!ioctl(ifd, IOMMU_IOAS_ALLOC, &alloc),
	      "cdev: IOMMU_IOAS_ALLOC "
	      "(ioas %u)",
	      alloc.out_ioas_id);
	map.ioas_id = alloc.out_ioas_id;
	map.user_va = (uintptr_t)buf;
	CHECK(!ioctl(ifd, IOMMU_IOAS_MAP, &map),
	      "cdev: IOMMU_IOAS_MAP of a real %lu KiB buffer at iova %#lx",
	      BUF_SIZE >> 10, IOVA);
	/* ioas.c iommufd_ioas_noiommu_get_pa(): no noiommu HWPT yet */
	pa.ioas_id = alloc.out_ioas_id;
	pa.iova = IOVA;
	pa.length = 4096;
	CHECK(ioctl(ifd, IOMMU_IOAS_NOIOMMU_GET_PA, &pa) == -1 &&
		      errno == EOPNOTSUPP,
	      "cdev: GET_PA before the attach is EOPNOTSUPP");
	attach.pt_id = alloc.out_ioas_id;
	CHECK(!ioctl(dfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach),
	      "cdev: VFIO_DEVICE_ATTACH_IOMMUFD_PT (hwpt %u)", attach.pt_id);
	check_get_pa(ifd, alloc.out_ioas_id, buf);
	check_map_file(ifd, alloc.out_ioas_id);
	pa.iova = IOVA + BUF_SIZE; /* past the area: iopt_area lookup fails */
	CHECK(ioctl(ifd, IOMMU_IOAS_NOIOMMU_GET_PA, &pa) == -1 &&
		      errno == ENOENT,
	      "cdev: GET_PA of an unmapped IOVA is ENOENT");
	CHECK(!close(dfd) && !close(ifd), "cdev: close unbinds");
	munmap(buf, BUF_SIZE);
}

/* The group number from the device's iommu_group link, as DPDK and
 * QEMU find it: basename(readlink(.../iommu_group)). */
static int group_number(void)
{
	char link[256] = "";
	ssize_t len = readlink("/sys/bus/pci/devices/" DEV "/iommu_group", link,
			       sizeof(link) - 1);

	if (len <= 0)
		return -1;
	link[len] = 0;
	return atoi(basename(link));
}

static void group_flow(void)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	int grp = group_number(), cfd, gfd, dfd, dup_fd;
	char path[64], name[64] = "";
	FILE *f;

	CHECK(grp >= 0, "group: " DEV "'s iommu_group link names group %d",
	      grp);
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/name", grp);
	f = fopen(path, "r");
	CHECK(f && fgets(name, sizeof(name), f) &&
		      !strcmp(name, "vfio-noiommu\n"),
	      "group: %s reads vfio-noiommu", path);
	if (f)
		fclose(f);
	cfd = open("/dev/vfio/vfio", O_RDWR);
	CHECK(ioctl(cfd, VFIO_GET_API_VERSION) == VFIO_API_VERSION,
	      "group: VFIO_GET_API_VERSION");
	/* vfio_noiommu_ioctl(): the parameter is on */
	CHECK(ioctl(cfd, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU) == 1,
	      "group: VFIO_CHECK_EXTENSION(VFIO_NOIOMMU_IOMMU) is 1");
	snprintf(path, sizeof(path), "/dev/vfio/noiommu-%d", grp);
	gfd = open(path, O_RDWR);
	CHECK(gfd >= 0, "group: open %s", path);
	CHECK(!ioctl(gfd, VFIO_GROUP_GET_STATUS, &status) &&
		      (status.flags & VFIO_GROUP_FLAGS_VIABLE),
	      "group: VFIO_GROUP_GET_STATUS is viable");
	CHECK(!ioctl(gfd, VFIO_GROUP_SET_CONTAINER, &cfd),
	      "group: VFIO_GROUP_SET_CONTAINER");
	CHECK(!ioctl(cfd, VFIO_SET_IOMMU, VFIO_NOIOMMU_IOMMU),
	      "group: VFIO_SET_IOMMU(VFIO_NOIOMMU_IOMMU)");
	/* vfio_noiommu_ioctl() answers only CHECK_EXTENSION */
	CHECK(ioctl(cfd, VFIO_IOMMU_MAP_DMA, &map) == -1 && errno == ENOTTY,
	      "group: VFIO_IOMMU_MAP_DMA on the noiommu container is ENOTTY");
	dfd = ioctl(gfd, VFIO_GROUP_GET_DEVICE_FD, DEV);
	CHECK(dfd >= 0, "group: VFIO_GROUP_GET_DEVICE_FD " DEV);
	CHECK(fcntl(dfd, F_GETFD) == FD_CLOEXEC,
	      "group: the device fd is close-on-exec");
	dup_fd = dup(dfd);
	close(dfd);
	/* vfio_pci_ioctl_get_info(): 9 regions, 5 irqs */
	CHECK(!ioctl(dup_fd, VFIO_DEVICE_GET_INFO, &info) &&
		      (info.flags & VFIO_DEVICE_FLAGS_PCI) &&
		      info.num_regions == 9 && info.num_irqs == 5,
	      "group: VFIO_DEVICE_GET_INFO on a dup of the device fd");
	CHECK(!close(dup_fd) && !close(gfd) && !close(cfd),
	      "group: close device, group, container");
}

/*
 * fork: parent and child share the files (dup_fd() copies the fd table,
 * each struct file one reference more): a map the child makes through
 * the inherited /dev/iommu fd is in the parent's IOAS, and the child's
 * close (and exit) of its copy leaves the parent's file open. The
 * buffer is MAP_SHARED, the same pages in both.
 */
static void fork_flow(void)
{
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap),
					  .iova = IOVA,
					  .length = BUF_SIZE };
	char *buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int ifd = open("/dev/iommu", O_RDWR), status = -1;
	pid_t child;

	CHECK(ifd >= 0 && !ioctl(ifd, IOMMU_IOAS_ALLOC, &alloc),
	      "fork: open /dev/iommu, IOMMU_IOAS_ALLOC (ioas %u)",
	      alloc.out_ioas_id);
	unmap.ioas_id = alloc.out_ioas_id;
	fflush(stdout);
	child = fork();
	if (child == 0) {
		struct iommu_ioas_map map = {
			.size = sizeof(map),
			.flags = IOMMU_IOAS_MAP_FIXED_IOVA |
				 IOMMU_IOAS_MAP_READABLE,
			.ioas_id = alloc.out_ioas_id,
			.user_va = (uintptr_t)buf,
			.length = BUF_SIZE,
			.iova = IOVA,
		};

		_exit(ioctl(ifd, IOMMU_IOAS_MAP, &map) || close(ifd) ? 1 : 0);
	}
	CHECK(child > 0 && waitpid(child, &status, 0) == child && status == 0,
	      "fork: the child maps the shared buffer through the inherited "
	      "fd and closes it");
	/* iommufd_ioas_unmap(): the length it unmapped */
	CHECK(!ioctl(ifd, IOMMU_IOAS_UNMAP, &unmap) && unmap.length == BUF_SIZE,
	      "fork: the child's map is in the parent's IOAS (UNMAP unmaps "
	      "%lu KiB), its close left the parent's file open",
	      BUF_SIZE >> 10);
	CHECK(!close(ifd), "fork: close");
	munmap(buf, BUF_SIZE);
}

int main(void)
{
	model_va_to_pa = dlsym(RTLD_DEFAULT, "iommusim_preload_va_to_pa");
	model_iova_to_phys =
		dlsym(RTLD_DEFAULT, "iommusim_preload_iova_to_phys");
	if (!model_va_to_pa || !model_iova_to_phys) {
		printf("Bail out! not running under iommusim exec\n");
		return 2;
	}
	printf("TAP version 13\n");
	cdev_flow();
	group_flow();
	fork_flow();
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
