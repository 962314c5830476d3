// SPDX-License-Identifier: MIT
/*
 * caps.c - the program's capabilities as the model sees them: capget()
 * and capset() of this process (libcap's cap_get_proc() and
 * cap_set_proc() call these).
 *
 * The model's process has the scenario's capabilities (capset; every one
 * by default, as root), not the real process's: iommufd's checks
 * (CAP_IPC_LOCK choosing IOPT_PAGES_ACCOUNT_NONE, CAP_SYS_RESOURCE for
 * IOMMU_OPTION_RLIMIT_MODE, CAP_SYS_RAWIO for VFIO noiommu) read those.
 * So capget() answers the model's effective and permitted sets, and
 * capset() sets the model's effective set to what the program asks
 * (within the model's: nothing is raised past what the scenario gave,
 * commoncap's cap_capset()), and applies to the real process what the
 * real process may hold (a drop is a real drop). The kernel's selftest
 * drops CAP_IPC_LOCK this way to get its pages accounted.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "preload.h"
#include "model/iommufd/process.h"
/* after the model's enum of the CAP_ numbers, which these macros spell
 * again (the same values) */
#include <linux/capability.h>

int capget(cap_user_header_t hdr, cap_user_data_t data);
int capset(cap_user_header_t hdr, const cap_user_data_t data);

#define REAL(name)                                                             \
	static __typeof__(&name) real_fn;                                      \
	if (!real_fn)                                                          \
	real_fn = (__typeof__(&name))dlsym(RTLD_NEXT, #name)

static int real_capget(cap_user_header_t hdr, cap_user_data_t data)
{
	REAL(capget);
	return real_fn(hdr, data);
}

static int real_capset(cap_user_header_t hdr, const cap_user_data_t data)
{
	REAL(capset);
	return real_fn(hdr, data);
}

/* How many data structs @hdr's version has (1 or 2), 0: unknown */
static int cap_words(const struct __user_cap_header_struct *hdr)
{
	if (hdr->version == _LINUX_CAPABILITY_VERSION_1)
		return 1;
	if (hdr->version == _LINUX_CAPABILITY_VERSION_2 ||
	    hdr->version == _LINUX_CAPABILITY_VERSION_3)
		return 2;
	return 0;
}

/* This process's, the model's to answer */
static bool own(const struct __user_cap_header_struct *hdr, const void *data)
{
	return data && shim_serving() && cap_words(hdr) &&
	       (hdr->pid == 0 || hdr->pid == getpid());
}

/* The model's effective set of the calling process (set: to @caps) */
static uint64_t model_caps(bool set, uint64_t caps)
{
	uint64_t ret;

	shim_enter();
	if (shim.client) {
		ret = client_caps(set, caps);
	} else {
		if (set)
			shim.task->caps = caps;
		ret = shim.task->caps;
	}
	shim_leave();
	return ret;
}

int capget(cap_user_header_t hdr, cap_user_data_t data)
{
	int ret = real_capget(hdr, data);
	uint64_t caps;

	if (ret || !own(hdr, data))
		return ret;
	caps = model_caps(false, 0);
	for (int i = 0; i < cap_words(hdr); i++) {
		data[i].effective = (uint32_t)(caps >> (32 * i));
		data[i].permitted = data[i].effective;
	}
	return 0;
}

int capset(cap_user_header_t hdr, const cap_user_data_t data)
{
	struct __user_cap_data_struct real[2], want[2];
	int n = cap_words(hdr);
	uint64_t caps = 0;

	if (!own(hdr, data))
		return real_capset(hdr, data);
	for (int i = 0; i < n; i++)
		caps |= (uint64_t)data[i].effective << (32 * i);
	if (caps & ~model_caps(false, 0)) { /* past the model's permitted */
		errno = EPERM;
		return -1;
	}
	memcpy(want, data, n * sizeof(*want));
	if (real_capset(hdr, want)) {
		/* the real process holds less: what it may of it */
		struct __user_cap_header_struct h = *hdr;

		if (real_capget(&h, real))
			return -1;
		for (int i = 0; i < n; i++) {
			want[i].effective &= real[i].permitted;
			want[i].permitted &= real[i].permitted;
			want[i].inheritable &=
				real[i].permitted | real[i].inheritable;
		}
		if (real_capset(hdr, want))
			return -1;
	}
	model_caps(true, caps);
	return 0;
}
