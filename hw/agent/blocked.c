// SPDX-License-Identifier: MIT
/*
 * blocked.c - a step the model says does not return (BLOCKS): vfio-pci's
 * unbind while a file of the device is open waits in
 * vfio_unregister_group_dev() until the last one closes, holding
 * device_lock(), and a bind or unbind of the same device waits for that
 * lock behind it. The program marks such a step ("step N &VERB ...");
 * it runs in a task of its own, a child that closes every descriptor it
 * inherited and execs this program again (so it holds no VFIO file and
 * no mapping of one, which would keep the wait going forever), and does
 * only the sysfs writes. Still running after a grace period: the step
 * prints "blocks", and the child is reaped once it returns (after each
 * later step, and at the scenario's end, after the agent's files close).
 * Its result then goes nowhere, as the model's queued tasks' do.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"

#define MAX_BLOCKED 8

/* the tasks still waiting, and whose unbind each is (NULL: a bind) */
static struct {
	pid_t pid;
	struct device *unbinds;
} blocked[MAX_BLOCKED];
static int nblocked;

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* @pid's exit within @ms: its status in *status, true; else false. */
static bool exited_within(pid_t pid, long ms, int *status)
{
	for (long t = 0; t <= ms; t += 10) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return true;
		sleep_ms(10);
	}
	return false;
}

/* The child: no descriptor but the standard three, then this program
 * again in its --blocking mode. */
static void child(const char *op, const char *bdf, const char *drv)
{
	long max = sysconf(_SC_OPEN_MAX);

	for (long fd = 3; fd < (max > 0 ? max : 1024); fd++)
		close((int)fd);
	execl("/proc/self/exe", "agent", "--blocking", op, bdf, drv,
	      (char *)NULL);
	_exit(127);
}

/* The driver whose unbind file an unbind writes: the one the device's
 * sysfs link names, or, while an unbind of it waits (its remove took the
 * link, dd.c __device_release_driver() -> driver_sysfs_remove(), and
 * dev->driver stays), that unbind's; NULL: no driver, -ENODEV. */
static const char *unbind_driver(const struct device *d, char *drv, size_t len)
{
	if (!dev_link(d->bdf, "driver", drv, len))
		return drv;
	return d->unbinding[0] ? d->unbinding : NULL;
}

void run_step_blocking(const struct step *st)
{
	const char *name = ifd_arg(st, "dev"), *drv = ifd_arg(st, "driver");
	struct device *d = name ? find_dev(name) : NULL;
	bool bind = !strcmp(st->verb, "driver_bind");
	char bound[64];
	int status;
	pid_t pid;

	printf("step %d", st->line);
	if ((!bind && strcmp(st->verb, "driver_unbind")) || !d || !d->bdf[0] ||
	    (bind && !drv) || nblocked == MAX_BLOCKED) {
		printf(" unsupported\n");
		return;
	}
	if (!bind && !(drv = unbind_driver(d, bound, sizeof(bound)))) {
		printf(" -ENODEV\n"); /* unbind_store: no driver */
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		child(bind ? "bind" : "unbind", d->bdf, drv);
	if (pid < 0) {
		printf(" -%s\n", errname(errno));
		return;
	}
	/* TCG: a write that returns does so well within this */
	if (!exited_within(pid, 2000, &status)) {
		blocked[nblocked].pid = pid;
		blocked[nblocked++].unbinds = bind ? NULL : d;
		if (!bind && !d->unbinding[0])
			snprintf(d->unbinding, sizeof(d->unbinding), "%s", drv);
		printf(" blocks\n");
		return;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127)
		printf(" unsupported\n");
	else if (WEXITSTATUS(status))
		printf(" -%s\n", errname(WEXITSTATUS(status)));
	else
		printf(" 0\n");
}

/* Reap the blocked tasks that have returned, each given @ms: a close in
 * the step just run may have woken one, which finishes the driver's
 * remove (and its queued followers) before the next step looks. */
static void reap(long ms)
{
	for (int i = 0; i < nblocked;) {
		int status;

		if (!exited_within(blocked[i].pid, ms, &status)) {
			i++;
			continue;
		}
		/* its remove returned: the driver let go of the device */
		if (blocked[i].unbinds)
			blocked[i].unbinds->unbinding[0] = '\0';
		blocked[i] = blocked[--nblocked];
	}
}

void blocked_settle(void)
{
	if (nblocked)
		reap(300);
}

/* At the scenario's end, after the agent's files are closed: every
 * blocked task returns; false (printed) when one does not. */
bool blocked_end(void)
{
	reap(5000);
	if (!nblocked)
		return true;
	printf("reset failed: %d task(s) still blocked in a driver's remove\n",
	       nblocked);
	return false;
}

/* `agent --blocking OP BDF DRIVER`: the child's sysfs writes (bind: the
 * override, then DRIVER's bind; unbind: DRIVER's unbind); its exit status
 * is the errno (0: the write returned success). */
int blocked_main(int argc, char **argv)
{
	int ret;

	if (argc < 5)
		return 127;
	/* the unbind leaves driver_override: a bind queued behind this task
	 * may have set it (the scenario's end clears it) */
	if (!strcmp(argv[2], "unbind"))
		ret = driver_unbind_store(argv[3], argv[4]);
	else if (!strcmp(argv[2], "bind"))
		ret = bind_driver(argv[3], argv[4]);
	else
		return 127;
	return ret < 0 ? -ret : 0;
}
