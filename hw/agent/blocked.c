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
 * Its result then goes nowhere, as the model's queued tasks' do. Every
 * bind, unbind and removal runs so (hw/crosscheck/program.c), those the
 * model says return too: one the kernel makes wait is then a
 * disagreement, not an agent stuck until QEMU's timeout.
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

/* a walk's unbinds of a device a file holds pile up (w-reset-113 had 8
 * waiting by its 138th step, and the ninth step was "unsupported") */
#define MAX_BLOCKED 64

/* what a task of its own does: a step's verb, its --blocking op */
enum blocking_op { OP_BIND, OP_UNBIND, OP_REMOVE, NR_OPS };
static const struct {
	const char *verb, *op;
} blocking_ops[NR_OPS] = {
	[OP_BIND] = { "driver_bind", "bind" },
	[OP_UNBIND] = { "driver_unbind", "unbind" },
	[OP_REMOVE] = { "device_del", "remove" },
};

/* the tasks still waiting: which device, doing what (blocking_ops) */
static struct {
	pid_t pid;
	struct device *d;
	int what;
} blocked[MAX_BLOCKED];
static int nblocked;

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* @pid's exit within @ms (0: already): its status in *status, true;
 * else false. */
static bool exited_within(pid_t pid, long ms, int *status)
{
	for (long t = 0;; t += 10) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return true;
		if (t >= ms)
			return false;
		sleep_ms(10);
	}
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

static int blocking_op(const char *verb)
{
	for (int i = 0; i < NR_OPS; i++) {
		if (!strcmp(blocking_ops[i].verb, verb))
			return i;
	}
	return -1;
}

/* A task of its own has returned: what it did, done in the agent's
 * books (a removal's device gone; once one that waited returns, the
 * driver its remove was releasing, which a task returning at once never
 * recorded, so its return leaves an earlier one's record alone) */
static void returned(struct device *d, int what, int err, bool waited)
{
	if (waited && what != OP_BIND)
		d->unbinding[0] = '\0';
	if (what == OP_REMOVE)
		device_removed(d, -err);
}

/* The child's third argument: the driver a bind binds or an unbind
 * writes to; for a removal the driver it releases ("-": none), which a
 * later unbind writes to while it waits; NULL: an unbind with no
 * driver */
static const char *op_arg(const struct step *st, struct device *d, int what,
			  char *buf, size_t len)
{
	const char *drv;

	if (what == OP_BIND)
		return ifd_arg(st, "driver");
	if (what == OP_UNBIND)
		return unbind_driver(d, buf, len);
	drv = unbind_driver(d, buf, len);
	return drv ? drv : "-";
}

/* Launched: returned within the grace period (its result printed, and
 * "warn" when the kernel WARNed meanwhile, as run_step() says it), or
 * still waiting ("blocks", kept for reap()) */
static void wait_or_keep(pid_t pid, struct device *d, int what, const char *drv,
			 long w0)
{
	int status;

	if (!exited_within(pid, 2000, &status)) {
		blocked[nblocked].pid = pid;
		blocked[nblocked].d = d;
		blocked[nblocked++].what = what;
		/* the remove under way took the driver link, not
		 * dev->driver: an unbind meanwhile writes that driver's
		 * unbind and waits (dd.c __device_release_driver()) */
		if (what != OP_BIND && strcmp(drv, "-") && !d->unbinding[0])
			snprintf(d->unbinding, sizeof(d->unbinding), "%s", drv);
		if (what == OP_REMOVE)
			device_removed(d,
				       -EINPROGRESS); /* the topology moves */
		printf(" blocks\n");
		return;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127) {
		printf(" unsupported\n");
		return;
	}
	returned(d, what, WEXITSTATUS(status), false);
	/* returned at once: no bind is queued behind it, so its override
	 * goes as the agent's own unbind() clears it */
	if (what == OP_UNBIND)
		clear_override(d->bdf);
	if (WEXITSTATUS(status))
		printf(" -%s", errname(WEXITSTATUS(status)));
	else
		printf(" 0");
	printf("%s\n", warn_count() > w0 ? " warn" : "");
}

void run_step_blocking(const struct step *st)
{
	const char *name = ifd_arg(st, "dev"), *drv;
	struct device *d = name ? find_dev(name) : NULL;
	int what = blocking_op(st->verb);
	char buf[64];
	long w0;
	pid_t pid;

	printf("step %d", st->line);
	if (what < 0 || !d || !d->bdf[0] || nblocked == MAX_BLOCKED ||
	    (what == OP_BIND && !ifd_arg(st, "driver"))) {
		printf(" unsupported\n");
		return;
	}
	if (!(drv = op_arg(st, d, what, buf, sizeof(buf)))) {
		printf(" -ENODEV\n"); /* unbind_store: no driver */
		return;
	}
	fflush(stdout);
	w0 = warn_count();
	pid = fork();
	if (pid == 0)
		child(blocking_ops[what].op, d->bdf, drv);
	if (pid < 0) {
		printf(" -%s\n", errname(errno));
		return;
	}
	wait_or_keep(pid, d, what, drv, w0);
}

/* Reap the blocked tasks that have returned within @ms, one grace for
 * them all (they return concurrently; a grace each cost a close 300 ms
 * per waiting task): a close in the step just run may have woken one,
 * which finishes the driver's remove (and its queued followers) before
 * the next step looks. */
static void reap(long ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < nblocked;) {
		long left;
		int status;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = ms - ((t.tv_sec - t0.tv_sec) * 1000 +
			     (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (!exited_within(blocked[i].pid, left > 0 ? left : 0,
				   &status)) {
			i++;
			continue;
		}
		returned(blocked[i].d, blocked[i].what,
			 WIFEXITED(status) ? WEXITSTATUS(status) : EIO, true);
		blocked[i] = blocked[--nblocked];
	}
}

/* Only a close can end a wait (the device's last file, directly or by
 * a child's exit): after one, each waiting task gets 300 ms to return;
 * after any other step, those that already have are reaped. (A grace
 * after every step cost a long walk with four tasks waiting 1.2 s a
 * step, and its guest the boot's 300 s.) */
void blocked_settle(const char *verb)
{
	static const char *const closes[] = { "close", "close_fd",
					      "close_device", "vfio_close",
					      "exit" };
	long ms = 0;

	for (size_t i = 0; i < sizeof(closes) / sizeof(closes[0]); i++) {
		if (!strcmp(verb, closes[i]))
			ms = 300;
	}
	if (nblocked)
		reap(ms);
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
 * override, then DRIVER's bind; unbind: DRIVER's unbind; remove: the
 * device's remove, DRIVER "-"); its exit status is the errno (0: the
 * write returned success). */
int blocked_main(int argc, char **argv)
{
	char path[256];
	int ret;

	if (argc < 5)
		return 127;
	/* the unbind leaves driver_override: a bind queued behind this task
	 * may have set it (the scenario's end clears it) */
	if (!strcmp(argv[2], blocking_ops[OP_UNBIND].op))
		ret = driver_unbind_store(argv[3], argv[4]);
	else if (!strcmp(argv[2], blocking_ops[OP_BIND].op))
		ret = bind_driver(argv[3], argv[4]);
	else if (!strcmp(argv[2], blocking_ops[OP_REMOVE].op)) {
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/remove", argv[3]);
		ret = write_file(path, "1");
	} else
		return 127;
	return ret < 0 ? -ret : 0;
}
