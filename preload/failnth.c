// SPDX-License-Identifier: MIT
/*
 * failnth.c - fault injection as a program sees it, on the model's one
 * knob (model/fault.h, m->fault): the per-task /proc file fail-nth
 * (Documentation/fault-injection/fault-injection.rst; fs/proc/base.c
 * proc_fail_nth_read(), proc_fail_nth_write(); lib/fault-inject.c
 * should_fail_ex(): armed with N, the Nth fault point from then on fails,
 * and the file reads the count still to go, 0 once it fired), and the
 * debugfs attribute directories a 7.3 kernel with CONFIG_FAILSLAB,
 * CONFIG_FAIL_PAGE_ALLOC and CONFIG_IOMMUFD_TEST has (failslab,
 * fail_page_alloc, fail_iommufd), written into the shadow tree by
 * tree.c as plain files a program may write.
 *
 * What the model counts is its own fault points (every allocation and
 * lookup iommufd can fail, fault_should_fail()), not every kmalloc of the
 * task, so a sweep takes fewer steps than in the kernel; each step fails
 * one point the kernel can fail there. The attribute files (probability,
 * interval, times, ignore-gfp-wait, ...) are accepted and not read: the
 * model has only fail-nth. One knob per model: every thread of the
 * process shares it (the kernel's is per task).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preload.h"
#include "model/iommu.h"

/* /proc/self/fail-nth, /proc/thread-self/fail-nth,
 * /proc/{self,PID}/task/TID/fail-nth with PID this process */
bool failnth_path(const char *norm)
{
	g_autofree char *own = g_strdup_printf("/proc/%d/", (int)getpid());
	const char *rest;

	if (!strcmp(norm, "/proc/self/fail-nth") ||
	    !strcmp(norm, "/proc/thread-self/fail-nth"))
		return true;
	if (g_str_has_prefix(norm, "/proc/self/"))
		rest = norm + strlen("/proc/self/");
	else if (g_str_has_prefix(norm, own))
		rest = norm + strlen(own);
	else
		return false;
	if (!strcmp(rest, "fail-nth"))
		return true;
	if (!g_str_has_prefix(rest, "task/"))
		return false;
	rest += strlen("task/");
	while (g_ascii_isdigit(*rest))
		rest++;
	return !strcmp(rest, "/fail-nth");
}

/* The knob's count still to go: task->fail_nth */
static unsigned int remaining(void)
{
	const struct fault_attr *f = &shim.m->fault;

	return f->fail_nth ? (unsigned int)(f->fail_nth - f->calls) : 0;
}

/* proc_fail_nth_read(): "%u\n" from *pos on (simple_read_from_buffer()) */
ssize_t failnth_read(void *buf, size_t n, off_t *pos)
{
	char num[16];
	int len = snprintf(num, sizeof(num), "%u\n", remaining());

	if (*pos < 0)
		return -EINVAL;
	if (*pos >= len)
		return 0;
	n = MIN(n, (size_t)(len - *pos));
	memcpy(buf, num + *pos, n);
	*pos += n;
	return n;
}

/* proc_fail_nth_write(): kstrtouint_from_user(buf, count, 0, &n), one
 * trailing newline allowed; the knob armed with n (0: off) */
ssize_t failnth_write(const void *buf, size_t n)
{
	char num[32];
	char *end;
	unsigned long long v;

	if (n >= sizeof(num))
		return -EINVAL;
	memcpy(num, buf, n);
	num[n] = 0;
	if (n && num[n - 1] == '\n')
		num[n - 1] = 0;
	if (!num[0] || num[0] == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(num, &end, 0);
	if (*end)
		return -EINVAL;
	if (errno || v > 0xffffffffull)
		return -ERANGE;
	fault_arm(&shim.m->fault, v);
	shim_log("fail-nth <- %llu", v);
	return n;
}

/* The debugfs fault attributes and their defaults (lib/fault-inject.c
 * fault_create_debugfs_attr() over FAULT_ATTR_INITIALIZER) */
static const char *const attr_files[][2] = {
	{ "probability", "0" },
	{ "interval", "1" },
	{ "times", "1" },
	{ "space", "0" },
	{ "verbose", "2" },
	{ "verbose_ratelimit_interval_ms", "0" },
	{ "verbose_ratelimit_burst", "0" },
	{ "task-filter", "N" },
	{ "stacktrace-depth", "32" },
	{ "require-start", "0x0000000000000000" },
	{ "require-end", "0xffffffffffffffff" },
	{ "reject-start", "0x0000000000000000" },
	{ "reject-end", "0x0000000000000000" },
};

/* mm/failslab.c and mm/fail_page_alloc.c add their own to the common
 * ones (ignore_gfp_reclaim and ignore_gfp_highmem true, min_order 1) */
int failnth_tree(int (*put_file)(const char *rel, const char *content))
{
	static const char *const dirs[] = { "failslab", "fail_page_alloc",
					    "fail_iommufd" };
	int ret = 0;

	for (guint d = 0; d < G_N_ELEMENTS(dirs); d++) {
		for (guint a = 0; a < G_N_ELEMENTS(attr_files); a++) {
			g_autofree char *rel =
				g_strdup_printf("/sys/kernel/debug/%s/%s",
						dirs[d], attr_files[a][0]);
			g_autofree char *val =
				g_strdup_printf("%s\n", attr_files[a][1]);

			ret |= put_file(rel, val);
		}
	}
	ret |= put_file("/sys/kernel/debug/failslab/ignore-gfp-wait", "Y\n");
	ret |= put_file("/sys/kernel/debug/failslab/cache-filter", "N\n");
	ret |= put_file("/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait",
			"Y\n");
	ret |= put_file("/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem",
			"Y\n");
	ret |= put_file("/sys/kernel/debug/fail_page_alloc/min-order", "1\n");
	return ret;
}
