/* SPDX-License-Identifier: MIT */
/*
 * ifd_private.h - the runner's records of the iommufd side (ifd.c), shared
 * with their copy (ifd_copy.c) and the process's verbs (ifd_process.c).
 */
#ifndef IOMMUSIM_SIM_IFD_PRIVATE_H
#define IOMMUSIM_SIM_IFD_PRIVATE_H

#include "runner.h"

/* An open of /dev/iommu. ictx stays set after close while bound devices
 * hold the file (iommufd_ctx_get()); NULL once the model released it. */
struct sim_ctx {
	struct iommufd_ctx *ictx;
	bool open;	 /* an fd of the scenario's process */
	bool child_open; /* one of the forked child's (inherited or its own) */
	char *label;
	/* its number in the table of the process that opened it (and a
	 * forked child's copy): what VFIO_GROUP_SET_CONTAINER and
	 * VFIO_DEVICE_BIND_IOMMUFD are given */
	int fd;
};

/* What VFIO keeps of a bind: vdev->iommufd_device. One VFIO bound
 * (VFIO_DEVICE_BIND_IOMMUFD) is VFIO's: @resolve finds it through the
 * device file while bound (vfio.c), and it is never live here (VFIO
 * unbinds it at close). */
struct sim_idev {
	struct iommufd_device *idev;
	struct sim_ctx *ctx;
	bool live;
	struct iommufd_device *(*resolve)(struct runner *r, void *data);
	void *data;
};

/* 2 MiB, and rounding up to it: buffers' PAs and VAs are 2 MiB aligned
 * with a 2 MiB gap, so no two are contiguous (ifd.c, ifd_process.c) */
#define SZ_2M (2ull << 20)
#define ROUND_UP(x, a) (((x) + (a)-1) / (a) * (a))

struct sim_ifd {
	struct process *task; /* the caller: the child between fork and exit */
	struct process *parent; /* waiting in waitpid() while a child runs */
	GPtrArray *ctxs;	/* struct sim_ctx *: a handle's ref.id */
	GPtrArray *idevs;	/* struct sim_idev * */
	u64 next_va, next_pa;
};

#endif
