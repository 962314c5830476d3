// SPDX-License-Identifier: MIT
/* errnames.c - the errno names include/uapi/asm-generic/errno*.h and
 * include/linux/errno.h define, for expectations and traces. */
#include <glib.h>
#include <string.h>

#include "errnames.h"
#include "model/profile.h"

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
	{ "ENOSYS", 38 },     { "ENODATA", 61 },      { "EOVERFLOW", 75 },
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
