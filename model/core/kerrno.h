/* SPDX-License-Identifier: MIT */
/* errno values as the kernel uses them, including kernel-internal ones. */
#ifndef IOMMUSIM_MODEL_KERRNO_H
#define IOMMUSIM_MODEL_KERRNO_H

#include <errno.h>

#ifndef EPROBE_DEFER
#define EPROBE_DEFER                                                           \
	517 /* include/linux/errno.h: driver requests probe retry */
#endif

/* Not an errno: the kernel has no check here and the call is undefined
 * behaviour (a NULL dereference, a use after free). The model refuses it
 * and says why; the runner reports it as a failure of the scenario. */
#define IOMMU_UB 4095

/* Not an errno either: the kernel's call does not return while the
 * condition holds (it waits for another task, as vfio_unregister_group_dev()
 * waits for the device's files to close). The model does what the kernel
 * does before the wait, says why, and keeps the waiting task (bind.c
 * device_lock's tasks) until what it waits for happens; a guest makes the
 * call in a task of its own (hw/agent/blocked.c). */
#define IOMMU_BLOCKS 4094

#endif
