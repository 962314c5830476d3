// SPDX-License-Identifier: MIT
/* errnames.c - the errno names include/uapi/asm-generic/errno*.h and
 * include/linux/errno.h define, for expectations and traces. */
#include <glib.h>
#include <string.h>

#include "errnames.h"
#include "model/profile.h"
#include "model/memory.h"

static const struct {
	const char *name;
	int err;
} errnames[] = {
	{ "EPERM", 1 },	      { "ENOENT", 2 },	      { "ESRCH", 3 },
	{ "EINTR", 4 },	      { "EIO", 5 },	      { "ENXIO", 6 },
	{ "E2BIG", 7 },	      { "ENOEXEC", 8 },	      { "EBADF", 9 },
	{ "ECHILD", 10 },     { "EAGAIN", 11 },	      { "ENOMEM", 12 },
	{ "EACCES", 13 },     { "EFAULT", 14 },	      { "EBUSY", 16 },
	{ "EEXIST", 17 },     { "EXDEV", 18 },	      { "ENODEV", 19 },
	{ "ENOTDIR", 20 },    { "EISDIR", 21 },	      { "EINVAL", 22 },
	{ "ENFILE", 23 },     { "EMFILE", 24 },	      { "ENOTTY", 25 },
	{ "EFBIG", 27 },      { "ENOSPC", 28 },	      { "ESPIPE", 29 },
	{ "EROFS", 30 },      { "ERANGE", 34 },	      { "EDEADLK", 35 },
	{ "ENOSYS", 38 },     { "EBADE", 52 },	      { "ENODATA", 61 },
	{ "EOVERFLOW", 75 },  { "EBADFD", 77 },	      { "EMSGSIZE", 90 },
	{ "EOPNOTSUPP", 95 }, { "EADDRINUSE", 98 },   { "ETIMEDOUT", 110 },
	{ "EALREADY", 114 },  { "EINPROGRESS", 115 }, { "EPROBE_DEFER", 517 },
	{ "ENOTSUPP", 524 },
};

int errno_from_name(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(errnames); i++) {
		if (!strcmp(errnames[i].name, name))
			return errnames[i].err;
	}
	return -1;
}

const char *errno_name(int err)
{
	static char buf[16];

	for (size_t i = 0; i < G_N_ELEMENTS(errnames); i++) {
		if (errnames[i].err == err)
			return errnames[i].name;
	}
	g_snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

bool scenario_profile_known(const char *name)
{
	return iommu_profile_find(name) != NULL;
}

/* what the IOMMU does with a refused DMA: model/core/dma.c and the AMD-Vi
 * walker's faults (model/memory.h, named after the event it would log) */
static const struct {
	const char *name;
	int code;
} faults[] = {
	{ "FAULT_NOT_PRESENT", IOMMU_DMA_FAULT_NOT_PRESENT },
	{ "FAULT_PERMISSION", IOMMU_DMA_FAULT_PERMISSION },
	{ "FAULT_BAD_LEVEL", IOMMU_DMA_FAULT_BAD_LEVEL },
	{ "FAULT_BAD_MODE", IOMMU_DMA_FAULT_BAD_MODE },
	{ "FAULT_ADDR_RANGE", IOMMU_DMA_FAULT_ADDR_RANGE },
	{ "FAULT_BAD_PAGE_SIZE", IOMMU_DMA_FAULT_BAD_PAGE_SIZE },
	{ "FAULT_PT_READ", IOMMU_DMA_FAULT_PT_READ },
	{ "FAULT_BLOCKED", IOMMU_DMA_BLOCKED },
};

int fault_from_name(const char *name, int *code)
{
	for (size_t i = 0; i < G_N_ELEMENTS(faults); i++) {
		if (!strcmp(faults[i].name, name)) {
			*code = faults[i].code;
			return 0;
		}
	}
	return -1;
}

const char *fault_name(int code)
{
	for (size_t i = 0; i < G_N_ELEMENTS(faults); i++) {
		if (faults[i].code == code)
			return faults[i].name;
	}
	return "FAULT_UNKNOWN";
}
