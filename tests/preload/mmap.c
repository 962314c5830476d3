// SPDX-License-Identifier: MIT
/*
 * mmap.c - mmap() of /dev/iommu through the shim (preload/mmap.c), built
 * against Linux 7.3's uapi headers and its iommufd_test.h and run under
 * `iommusim exec tests/preload/selftest.scn`: the selftest mock's vIOMMU
 * page (selftest.c mock_viommu_init()), beyond what the kernel's
 * viommu_alloc_with_data checks:
 *
 *  - the region at the lowest offset from PAGE_SIZE (driver.c
 *    _iommufd_alloc_mmap(): mtree_alloc_range()), 8 KiB, in_data on it;
 *  - main.c iommufd_fops_mmap(): MAP_PRIVATE -EINVAL, PROT_EXEC -EPERM,
 *    (mm: an offset not page aligned -EINVAL), the exact region only;
 *  - the pages are the model's: what one mapping wrote, a later mapping
 *    reads (io_remap_pfn_range() of the kernel's pages);
 *  - each VMA holds the vIOMMU (iommufd_fops_vma_open()): IOMMU_DESTROY
 *    -EBUSY while any part is mapped, a munmap that splits the VMA
 *    included; growing or copying it with mremap -EFAULT
 *    (VM_DONTEXPAND), MREMAP_DONTUNMAP of it -EINVAL (VM_PFNMAP);
 *  - a forked child's copy holds the vIOMMU until the child exits, and
 *    shares the page;
 *  - the VMA holds the file: the ctx outlives close(fd) until munmap.
 *
 * Output: TAP; exit 1 if any check fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include "iommufd_test.h"
#include "tap.h"

#define PG 4096ul

struct ids {
	uint32_t ioas, idev, parent, viommu;
};

/* IOAS, mock device, NEST_PARENT HWPT: the iommufd_viommu fixture */
static int setup(int fd, struct ids *ids)
{
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	struct iommu_test_cmd md = { .size = sizeof(md),
				     .op = IOMMU_TEST_OP_MOCK_DOMAIN };
	struct iommu_hwpt_alloc hw = { .size = sizeof(hw),
				       .flags = IOMMU_HWPT_ALLOC_NEST_PARENT };

	if (ioctl(fd, IOMMU_IOAS_ALLOC, &ioas))
		return -1;
	md.id = ids->ioas = ioas.out_ioas_id;
	if (ioctl(fd, IOMMU_TEST_CMD, &md))
		return -1;
	hw.dev_id = ids->idev = md.mock_domain.out_idev_id;
	hw.pt_id = ids->ioas;
	if (ioctl(fd, IOMMU_HWPT_ALLOC, &hw))
		return -1;
	ids->parent = hw.out_hwpt_id;
	return 0;
}

static int viommu_alloc(int fd, struct ids *ids,
			struct iommu_viommu_selftest *data)
{
	struct iommu_viommu_alloc cmd = {
		.size = sizeof(cmd),
		.type = IOMMU_VIOMMU_TYPE_SELFTEST,
		.dev_id = ids->idev,
		.hwpt_id = ids->parent,
		.data_len = sizeof(*data),
		.data_uptr = (uintptr_t)data,
	};
	int rc = ioctl(fd, IOMMU_VIOMMU_ALLOC, &cmd);

	ids->viommu = cmd.out_viommu_id;
	return rc;
}

static int destroy(int fd, uint32_t id)
{
	struct iommu_destroy d = { .size = sizeof(d), .id = id };

	return ioctl(fd, IOMMU_DESTROY, &d);
}

static bool mmap_err(int fd, size_t len, int prot, int flags, off_t off,
		     int err)
{
	void *p = mmap(NULL, len, prot, flags, fd, off);

	if (p != MAP_FAILED) {
		munmap(p, len);
		return false;
	}
	return errno == err;
}

static void refusals(int fd, off_t off)
{
	const int rw = PROT_READ | PROT_WRITE;

	CHECK(mmap_err(fd, 2 * PG, rw, MAP_PRIVATE, off, EINVAL),
	      "MAP_PRIVATE: EINVAL (iommufd_fops_mmap: !VM_SHARED)");
	CHECK(mmap_err(fd, 2 * PG, rw | PROT_EXEC, MAP_SHARED, off, EPERM),
	      "PROT_EXEC: EPERM (iommufd_fops_mmap: VM_EXEC)");
	CHECK(mmap_err(fd, 2 * PG, rw, MAP_SHARED, off + 1, EINVAL),
	      "an offset inside a page: EINVAL (the mm's check)");
	CHECK(mmap_err(fd, 2 * PG, rw, MAP_SHARED, off + PG, ENXIO),
	      "an offset inside the region: ENXIO (not the region's start)");
	CHECK(mmap_err(fd, 3 * PG, rw, MAP_SHARED, off, ENXIO),
	      "a longer length: ENXIO (length != immap->length)");
}

/* what a mapping writes, the next one reads: the model's pages */
static void shared_pages(int fd, struct ids *ids, off_t off)
{
	uint32_t *p =
		mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	uint32_t *q;

	CHECK(p != MAP_FAILED && p[0] == 0xbeef,
	      "mmap of the region: in_data on its first word");
	if (p == MAP_FAILED)
		return;
	p[1] = 0x1234;
	p[PG / 4] = 0x5678;
	CHECK(destroy(fd, ids->viommu) == -1 && errno == EBUSY,
	      "IOMMU_DESTROY of the vIOMMU while mapped: EBUSY");
	munmap(p, 2 * PG);
	q = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, off);
	CHECK(q != MAP_FAILED && q[1] == 0x1234 && q[PG / 4] == 0x5678,
	      "a second mapping reads what the first wrote");
	if (q == MAP_FAILED)
		return;
	CHECK(mremap(q, 2 * PG, 3 * PG, MREMAP_MAYMOVE) == MAP_FAILED &&
		      errno == EFAULT,
	      "mremap growing it: EFAULT (VM_DONTEXPAND)");
	CHECK(mremap(q, 0, 2 * PG, MREMAP_MAYMOVE) == MAP_FAILED &&
		      errno == EFAULT,
	      "mremap copying it (old_len 0): EFAULT, it grows from 0");
	CHECK(mremap(q, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP) ==
			      MAP_FAILED &&
		      errno == EINVAL,
	      "MREMAP_DONTUNMAP of it: EINVAL (VM_PFNMAP)");
	munmap(q + PG / 4, PG);
	CHECK(destroy(fd, ids->viommu) == -1 && errno == EBUSY,
	      "half unmapped: the other half still holds the vIOMMU");
	munmap(q, PG);
	CHECK(destroy(fd, ids->viommu) == 0,
	      "all unmapped: IOMMU_DESTROY of the vIOMMU");
}

/* a forked child's copy of the mapping holds the vIOMMU too
 * (dup_mmap() runs vm_ops->open) until it exits (exit_mmap()) */
static void child_copy(int fd, struct ids *ids, off_t off)
{
	uint32_t *p =
		mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	int go[2], status = -1;
	pid_t pid;
	char c;

	if (p == MAP_FAILED || pipe(go))
		return;
	pid = fork();
	if (pid == 0) { /* the same page, and nothing else: wait, exit */
		p[2] = 0x42;
		_exit(read(go[0], &c, 1) == 1 ? 0 : 1);
	}
	munmap(p, 2 * PG);
	CHECK(destroy(fd, ids->viommu) == -1 && errno == EBUSY,
	      "the parent unmapped: the child's copy still holds the vIOMMU");
	if (write(go[1], "x", 1) != 1 || waitpid(pid, &status, 0) != pid)
		status = -1;
	CHECK(status == 0, "the child wrote the shared page and exited");
	p = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, off);
	CHECK(p != MAP_FAILED && p[2] == 0x42, "what the child wrote is there");
	if (p != MAP_FAILED)
		munmap(p, 2 * PG);
	CHECK(destroy(fd, ids->viommu) == 0,
	      "the child gone: IOMMU_DESTROY of the vIOMMU");
	close(go[0]);
	close(go[1]);
}

int main(void)
{
	struct iommu_viommu_selftest data = { .in_data = 0xbeef };
	struct ids ids;
	uint32_t *p;
	int fd;

	printf("TAP version 13\n");
	fd = open("/dev/iommu", O_RDWR);
	CHECK(fd >= 0 && !setup(fd, &ids), "a mock device on a NEST_PARENT");
	CHECK(!viommu_alloc(fd, &ids, &data) && data.out_data == 0xbeef &&
		      data.out_mmap_offset == PG &&
		      data.out_mmap_length == 2 * PG,
	      "vIOMMU with data: out_data, offset PAGE_SIZE, 8 KiB");
	refusals(fd, (off_t)data.out_mmap_offset);
	shared_pages(fd, &ids, (off_t)data.out_mmap_offset);

	data.in_data = 3;
	CHECK(!viommu_alloc(fd, &ids, &data) && data.out_mmap_offset == PG,
	      "the freed offset is given again (the lowest gap)");
	child_copy(fd, &ids, PG);

	data.in_data = 7;
	CHECK(!viommu_alloc(fd, &ids, &data) && data.out_mmap_offset == PG,
	      "and again");
	p = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, PG);
	CHECK(p != MAP_FAILED && p[0] == 7, "the new region's page");
	close(fd); /* the VMA keeps the ctx */
	CHECK(p != MAP_FAILED && p[0] == 7, "still mapped after close(fd)");
	if (p != MAP_FAILED)
		munmap(p, 2 * PG); /* the ctx goes now */
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
