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
 * waits for the device's files to close). The model leaves the state as
 * before the call and says why; a guest does not make the call (its one
 * thread would hang). */
#define IOMMU_BLOCKS 4094

#endif
