// SPDX-License-Identifier: MIT
/*
 * eventfd.c - the program's own eventfds as the model's
 * (model/iommufd/eventfd.h): when the model takes the ctx of a real
 * eventfd (VFIO_DEVICE_SET_IRQS' DATA_EVENTFD: eventfd_ctx_fdget()), the
 * model process gets a stand-in file at that fd whose signals are
 * written to the real eventfd, so the program's read(), poll() and epoll
 * see the interrupt the model fires (eventfd_signal()). The shim keeps
 * its own duplicate of the fd while the model holds the ctx, as the
 * kernel holds it: the program may close its fd and the trigger still
 * works. Reads and writes of the fd stay the real one's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "preload.h"
#include "model/iommufd/eventfd.h"

/* fdinfo of an eventfd has an "eventfd-count:" line (eventfd_show_fdinfo) */
static bool is_real_eventfd(pid_t pid, int fd)
{
	char path[64], buf[512];
	ssize_t n;
	int rfd;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid,
			 fd);
	else
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	rfd = real_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (rfd < 0)
		return false;
	n = syscall(SYS_read, rfd, buf, sizeof(buf) - 1);
	real_close(rfd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return strstr(buf, "eventfd-count:") != NULL;
}

/* A duplicate of @pid's @fd (pidfd_getfd() for another process) high in
 * the fd space, out of the way of the numbers the program is given */
static int dup_high(pid_t pid, int fd)
{
	long min = sysconf(_SC_OPEN_MAX) * 3 / 4; /* RLIMIT_NOFILE's */
	int src = fd, pidfd, high;

	if (pid) {
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pidfd < 0)
			return -1;
		src = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
		syscall(SYS_close, pidfd);
		if (src < 0)
			return -1;
	}
	if (min < 3)
		min = 3;
	high = (int)syscall(SYS_fcntl, src, F_DUPFD_CLOEXEC, min);
	if (high < 0)
		high = (int)syscall(SYS_fcntl, src, F_DUPFD_CLOEXEC, 0);
	if (pid)
		syscall(SYS_close, src);
	return high;
}

/* eventfd_signal(): one more on the real counter */
static void real_signal(void *data)
{
	uint64_t one = 1;
	int fd = (int)(intptr_t)data;

	if (syscall(SYS_write, fd, &one, sizeof(one)) != sizeof(one))
		shim_log("eventfd %d: signal lost (%s)", fd, strerror(errno));
}

/* the ctx's last put: the shim's duplicate goes */
static void real_release(void *data)
{
	syscall(SYS_close, (int)(intptr_t)data);
}

struct file *shim_eventfd_lookup(pid_t pid, int fd)
{
	int dup;

	if (!is_real_eventfd(pid, fd))
		return NULL;
	dup = dup_high(pid, fd);
	if (dup < 0)
		return NULL;
	shim_log("fd %d: an eventfd for the model (signals to fd %d)", fd, dup);
	return eventfd_file_external(real_signal, real_release,
				     (void *)(intptr_t)dup);
}
