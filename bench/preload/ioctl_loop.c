// SPDX-License-Identifier: MIT
/*
 * ioctl_loop.c - iommusim-preload-bench [SECONDS]: iommufd ioctls per
 * second of a small unmodified program, built against Linux 7.3's uapi
 * headers. Under `iommusim exec bench/preload/bench.scn` (./build.sh
 * bench) every ioctl goes through libiommusim-preload.so to the model;
 * the same binary runs on a real kernel as root. Two loops, SECONDS each
 * (default 2): IOMMU_IOAS_ALLOC + IOMMU_DESTROY, and IOMMU_IOAS_MAP +
 * IOMMU_IOAS_UNMAP of a 4 KiB buffer. Prints figures, asserts nothing
 * (but exits 1 if an ioctl fails).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/iommufd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void must(int ret, const char *what)
{
	if (ret) {
		perror(what);
		exit(1);
	}
}

static uint32_t ioas_alloc(int fd)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };

	must(ioctl(fd, IOMMU_IOAS_ALLOC, &a), "IOMMU_IOAS_ALLOC");
	return a.out_ioas_id;
}

static void destroy(int fd, uint32_t id)
{
	struct iommu_destroy d = { .size = sizeof(d), .id = id };

	must(ioctl(fd, IOMMU_DESTROY, &d), "IOMMU_DESTROY");
}

static void map_unmap(int fd, uint32_t ioas, void *buf)
{
	struct iommu_ioas_map m = {
		.size = sizeof(m),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = ioas,
		.user_va = (uintptr_t)buf,
		.length = 4096,
		.iova = 0x100000,
	};
	struct iommu_ioas_unmap u = {
		.size = sizeof(u),
		.ioas_id = ioas,
		.iova = 0x100000,
		.length = 4096,
	};

	must(ioctl(fd, IOMMU_IOAS_MAP, &m), "IOMMU_IOAS_MAP");
	must(ioctl(fd, IOMMU_IOAS_UNMAP, &u), "IOMMU_IOAS_UNMAP");
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 2.0, t0, t;
	int fd = open("/dev/iommu", O_RDWR);
	void *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	unsigned long n = 0;
	uint32_t ioas;

	if (fd < 0 || buf == MAP_FAILED) {
		perror("open /dev/iommu");
		return 1;
	}
	t0 = now();
	do {
		destroy(fd, ioas_alloc(fd));
		n += 2;
	} while ((t = now()) - t0 < secs);
	printf("preload: IOMMU_IOAS_ALLOC + IOMMU_DESTROY: %.0f ioctls/s "
	       "(%lu in %.2f s)\n",
	       n / (t - t0), n, t - t0);
	ioas = ioas_alloc(fd);
	n = 0;
	t0 = now();
	do {
		map_unmap(fd, ioas, buf);
		n += 2;
	} while ((t = now()) - t0 < secs);
	printf("preload: IOMMU_IOAS_MAP + UNMAP of 4 KiB: %.0f ioctls/s "
	       "(%lu in %.2f s)\n",
	       n / (t - t0), n, t - t0);
	close(fd);
	return 0;
}
