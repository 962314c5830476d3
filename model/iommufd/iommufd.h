/* SPDX-License-Identifier: MIT */
/*
 * iommufd.h - what the layers above see of the model's iommufd: open a
 * context (open("/dev/iommu")), close it, and issue an ioctl.
 *
 * iommufd_ioctl() is the one entry point for every command: the caller
 * fills a uapi struct (iommufd/uapi.h) exactly as a process would, passes
 * its address and how many bytes of it are readable, and reads the out
 * fields afterwards. A scenario verb is: fill the struct, call, read out
 * fields; a preload shim passes the real process's struct unchanged.
 */
#ifndef IOMMUSIM_MODEL_IOMMUFD_IOMMUFD_H
#define IOMMUSIM_MODEL_IOMMUFD_IOMMUFD_H

#include <stddef.h>

#include "iommu.h"
#include "iommufd/process.h"
#include "iommufd/uapi.h"

struct iommufd_ctx;

/* iommufd_fops_open(): a new context on @m; 0 or -ENOMEM. The context
 * asks the model's fail-nth knob (m->fault) at every allocation and
 * lookup point. */
int iommufd_fops_open(struct iommu_model *m, struct iommufd_ctx **out);
/* close(fd): drops the opener's file reference; when no bound device
 * holds one either, iommufd_fops_release() destroys every object. */
void iommufd_fops_close(struct iommufd_ctx *ictx);

/*
 * iommufd_fops_ioctl() for @task: @arg points at @arg_len readable bytes
 * holding a uapi struct whose first u32 is its size. Returns 0 or a
 * negative errno as the ioctl would (-ENOTTY for an unknown command,
 * -EFAULT when the struct's size field claims more than @arg_len).
 */
int iommufd_ioctl(struct iommufd_ctx *ictx, struct process *task,
		  unsigned int cmd, void *arg, size_t arg_len);

/*
 * The ctx as text, one fact per line in a fixed order and without
 * pointers: its objects (id, type, users, what they refer to), each
 * IOAS's alignment, domains, areas (with their pages' pin and charge
 * counts), reserved and allowed ranges. Equal states print alike; the
 * caller frees it. process_state_snapshot() (process.h) is the same for
 * a caller.
 */
char *iommufd_state_snapshot(struct iommufd_ctx *ictx);

#endif
