// SPDX-License-Identifier: MIT
/*
 * prefork.c - processes forked before anything was opened share one
 * model, as one kernel serves them all (preload/rendezvous.c,
 * docs/preload.md), run under `iommusim exec tests/preload/noiommu.scn`.
 * Each flow runs in a process of its own that never opens a served file
 * before it forks its workers (a harness's shape), so every worker's
 * first open finds the tree's model through the wrapper's rendezvous:
 *
 *  group: a worker holds /dev/vfio/noiommu-0, its parent's open is
 *         EBUSY, and the other way round;
 *  bind:  a worker's cdev bound to its iommufd keeps its parent's group
 *         open EBUSY until it closes the cdev; the parent holding the
 *         group, the worker's bind is EBUSY;
 *  owner exits: the first opener (the owner) exits, by exit() and by
 *         _exit(), while another worker holds a bound cdev: that worker's
 *         ioctls still work and its claim still holds (the kernel keeps a
 *         file until its last fd closes), released when it exits;
 *  owner execs: the same with the owner exec()ing /bin/true, also
 *         after an exec that failed (its own fds still served);
 *  inherit: a served fd without close-on-exec works in the image after
 *         an exec (a client's, the owner's, the shell's redirection);
 *  SCM_RIGHTS: a /dev/iommu fd a worker sends names its ctx in the
 *         parent, after the worker is gone too;
 *  fail-nth: a worker's arming is its own, not its parent's;
 *  owner killed: what stays refused, the owner SIGKILLed: the others'
 *         calls fail with EIO.
 *
 * Expected values cite 7.3's drivers/vfio/group.c and device_cdev.c.
 * Output: TAP; exit 1 if any check fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define GROUP "/dev/vfio/noiommu-0"
#define CDEV "/dev/vfio/devices/noiommu-vfio0"
#define BUF_SIZE 0x4000ul
#define IOVA 0x100000ul

/* the TAP counters, shared by every process of the test */
static struct {
	int n, failed;
} * tap;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		bool ok_ = (cond);                                             \
		printf("%s %d - ", ok_ ? "ok" : "not ok", ++tap->n);           \
		printf(__VA_ARGS__);                                           \
		if (!ok_)                                                      \
			tap->failed++;                                         \
		printf("\n");                                                  \
	} while (0)

/* ---- what a process does, by command (a worker's or the flow's own) */

enum cmd {
	OPEN_GROUP = 1,
	CLOSE_GROUP,
	OPEN_IOMMU,
	BIND,	   /* open the cdev, VFIO_DEVICE_BIND_IOMMUFD to our iommufd */
	UNBIND,	   /* close the cdev */
	MAP,	   /* IOAS, attach the cdev, map a buffer, GET_PA of it */
	ARM_NTH,   /* write 1 to /proc/self/fail-nth */
	READ_NTH,  /* what /proc/self/fail-nth reads (a number) */
	ALLOC,	   /* IOMMU_IOAS_ALLOC */
	EXEC_BAD,  /* execl() of a missing program: its -errno */
	EXEC_TRUE, /* execl("/bin/true") */
	EXEC_INHERIT, /* open /dev/iommu without O_CLOEXEC, an IOAS, exec
		       * ourselves --inherited on them */
	SH_INHERIT,   /* sh -c 'exec 3<>/dev/iommu; exec us --inherited 3' */
	SEND_IOMMU,   /* open /dev/iommu, an IOAS, the fd sent over
		       * pass_sock (SCM_RIGHTS): the IOAS's id */
	CLOSE_IOMMU,  /* close it */
	EXIT,	      /* exit(0) */
	QUICK_EXIT,   /* _exit(0) */
};

static int group_fd = -1, ifd = -1, dfd = -1;

static int run_open_iommu(void)
{
	ifd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	return ifd < 0 ? -errno : 0;
}

static int bind_cdev(void)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };

	dfd = open(CDEV, O_RDWR | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	bind.iommufd = ifd;
	if (ioctl(dfd, VFIO_DEVICE_BIND_IOMMUFD, &bind)) {
		int err = -errno;

		close(dfd);
		return err;
	}
	return 0;
}

/* the bound cdev's IOAS with a real buffer mapped, its PA answered
 * (ioas.c iommufd_ioas_noiommu_get_pa(): the attach made a noiommu
 * HWPT) */
static int map_and_get_pa(void)
{
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(
								attach) };
	struct iommu_ioas_map map = { .size = sizeof(map),
				      .flags = IOMMU_IOAS_MAP_FIXED_IOVA |
					       IOMMU_IOAS_MAP_READABLE |
					       IOMMU_IOAS_MAP_WRITEABLE,
				      .length = BUF_SIZE,
				      .iova = IOVA };
	struct iommu_ioas_noiommu_get_pa pa = { .size = sizeof(pa),
						.iova = IOVA,
						.length = 4096 };
	void *buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (buf == MAP_FAILED || ioctl(ifd, IOMMU_IOAS_ALLOC, &alloc))
		return -errno;
	attach.pt_id = map.ioas_id = pa.ioas_id = alloc.out_ioas_id;
	map.user_va = (uintptr_t)buf;
	if (ioctl(dfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach) ||
	    ioctl(ifd, IOMMU_IOAS_MAP, &map) ||
	    ioctl(ifd, IOMMU_IOAS_NOIOMMU_GET_PA, &pa))
		return -errno;
	return pa.out_phys ? 0 : -ENODATA;
}

/* /proc/self/fail-nth: write @arm (NULL: read), the number read */
static int fail_nth(const char *arm)
{
	int fd = open("/proc/self/fail-nth", O_RDWR | O_CLOEXEC), r = 0;
	char num[16] = "";

	if (fd < 0)
		return -errno;
	if (arm && write(fd, arm, strlen(arm)) != (ssize_t)strlen(arm))
		r = -errno;
	else if (!arm)
		r = read(fd, num, sizeof(num) - 1) > 0 ? atoi(num) : -errno;
	close(fd);
	return r;
}

static int ioas_alloc(void)
{
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };

	return ioctl(ifd, IOMMU_IOAS_ALLOC, &alloc) ? -errno : 0;
}

static char self[4096]; /* this program, for an exec of it */

/* An IOAS on a /dev/iommu fd without close-on-exec, then this program
 * exec()ed on them (main(): inherited()) */
static int exec_inherit(void)
{
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	char fd[16], id[16];
	int f = open("/dev/iommu", O_RDWR);

	if (f < 0 || ioctl(f, IOMMU_IOAS_ALLOC, &alloc))
		return -errno;
	snprintf(fd, sizeof(fd), "%d", f);
	snprintf(id, sizeof(id), "%u", alloc.out_ioas_id);
	execl(self, "prefork", "--inherited", fd, id, (char *)NULL);
	return -errno;
}

/* The shell's way: a redirection, then exec */
static int sh_inherit(void)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "exec 3<>/dev/iommu; exec %s --inherited 3",
		 self);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	return -errno;
}

static int pass_sock[2] = { -1, -1 }; /* SCM_RIGHTS: [0] sends */

/* /dev/iommu with an IOAS, its fd sent over pass_sock[0]: the id */
static int send_iommu(void)
{
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	char ctl[CMSG_SPACE(sizeof(int))] = { 0 }, byte = 0;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = ctl,
			      .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	if (run_open_iommu() || ioctl(ifd, IOMMU_IOAS_ALLOC, &alloc))
		return -errno;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &ifd, sizeof(int));
	if (sendmsg(pass_sock[0], &msg, 0) != 1)
		return -errno;
	return (int)alloc.out_ioas_id;
}

/* The fd sent over pass_sock, or -errno */
static int recv_fd(void)
{
	char ctl[CMSG_SPACE(sizeof(int))], byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = ctl,
			      .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(pass_sock[1], &msg, MSG_CMSG_CLOEXEC) != 1 ||
	    !(cm = CMSG_FIRSTHDR(&msg)) || cm->cmsg_type != SCM_RIGHTS)
		return -EPROTO;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* 0 or -errno */
static int run(enum cmd c)
{
	switch (c) {
	case OPEN_GROUP:
		group_fd = open(GROUP, O_RDWR | O_CLOEXEC);
		return group_fd < 0 ? -errno : 0;
	case CLOSE_GROUP:
		return close(group_fd) ? -errno : 0;
	case OPEN_IOMMU:
		return run_open_iommu();
	case BIND:
		return bind_cdev();
	case UNBIND:
		return close(dfd) ? -errno : 0;
	case MAP:
		return map_and_get_pa();
	case ARM_NTH:
		return fail_nth("1");
	case READ_NTH:
		return fail_nth(NULL);
	case ALLOC:
		return ioas_alloc();
	case EXEC_BAD:
		execl("/nonexistent/iommusim", "iommusim", (char *)NULL);
		return -errno;
	case EXEC_TRUE:
		execl("/bin/true", "true", (char *)NULL);
		return -errno;
	case EXEC_INHERIT:
		return exec_inherit();
	case SH_INHERIT:
		return sh_inherit();
	case SEND_IOMMU:
		return send_iommu();
	case CLOSE_IOMMU:
		return close(ifd) ? -errno : 0;
	case EXIT:
		exit(0);
	case QUICK_EXIT:
		_exit(0);
	}
	return -EINVAL;
}

/* ---- workers: forked before any open, run commands from a pipe ---- */

struct worker {
	pid_t pid;
	int to, from; /* commands to it, results from it */
};

static struct worker start(void)
{
	int cmd[2], res[2];
	struct worker w;

	if (pipe2(cmd, O_CLOEXEC) || pipe2(res, O_CLOEXEC))
		exit(2);
	w.pid = fork();
	if (w.pid < 0)
		exit(2);
	if (w.pid == 0) {
		enum cmd c;
		int r;

		close(cmd[1]);
		close(res[0]);
		while (read(cmd[0], &c, sizeof(c)) == sizeof(c)) {
			r = run(c);
			if (write(res[1], &r, sizeof(r)) != sizeof(r))
				_exit(2);
		}
		_exit(0);
	}
	close(cmd[0]);
	close(res[1]);
	w.to = cmd[1];
	w.from = res[0];
	return w;
}

/* @c done by @w: its 0 or -errno (-EPIPE: it is gone) */
static int ask(struct worker *w, enum cmd c)
{
	int r;

	if (write(w->to, &c, sizeof(c)) != sizeof(c) ||
	    read(w->from, &r, sizeof(r)) != sizeof(r))
		return -EPIPE;
	return r;
}

/* @w told to end (@c: EXIT, QUICK_EXIT, EXEC_TRUE) and waited for: its
 * status */
static int finish(struct worker *w, enum cmd c)
{
	int status = -1;

	if (write(w->to, &c, sizeof(c)) != sizeof(c))
		return -1;
	close(w->to);
	close(w->from);
	waitpid(w->pid, &status, 0);
	return status;
}

/* ---- the flows ---- */

/* vfio_group_fops_open(): a group has one open file (group->opened_file
 * -> -EBUSY), whichever process holds it; vfio_group_fops_release()
 * clears it */
static void group_flow(void)
{
	struct worker w = start();

	CHECK(ask(&w, OPEN_GROUP) == 0, "group: a worker opens " GROUP);
	CHECK(run(OPEN_GROUP) == -EBUSY,
	      "group: its parent's open is EBUSY (vfio_group_fops_open(): "
	      "group->opened_file)");
	CHECK(ask(&w, CLOSE_GROUP) == 0, "group: the worker closes it");
	CHECK(run(OPEN_GROUP) == 0,
	      "group: then the parent's open succeeds "
	      "(vfio_group_fops_release() cleared opened_file)");
	CHECK(ask(&w, OPEN_GROUP) == -EBUSY,
	      "group: the worker's open while the parent holds it is EBUSY");
	CHECK(finish(&w, EXIT) == 0 && run(CLOSE_GROUP) == 0,
	      "group: the worker exits, the parent closes");
}

/* vfio_df_ioctl_bind_iommufd() -> vfio_device_block_group(): a bound
 * cdev raises group->cdev_device_open_cnt, which vfio_group_fops_open()
 * refuses (-EBUSY) until vfio_df_unbind_iommufd() ->
 * vfio_device_unblock_group(); an open group (group->opened_file) makes
 * vfio_device_block_group() refuse the bind (-EBUSY) */
static void bind_flow(void)
{
	struct worker w = start();

	CHECK(ask(&w, OPEN_IOMMU) == 0 && ask(&w, BIND) == 0,
	      "bind: a worker binds " CDEV " to its /dev/iommu");
	CHECK(run(OPEN_GROUP) == -EBUSY,
	      "bind: its parent's open of the group is EBUSY "
	      "(vfio_group_fops_open(): group->cdev_device_open_cnt)");
	CHECK(ask(&w, MAP) == 0,
	      "bind: the worker's IOAS, attach, IOMMU_IOAS_MAP, GET_PA");
	CHECK(ask(&w, UNBIND) == 0, "bind: the worker closes the cdev");
	CHECK(run(OPEN_GROUP) == 0,
	      "bind: then the parent's group open succeeds "
	      "(vfio_device_unblock_group())");
	CHECK(ask(&w, BIND) == -EBUSY,
	      "bind: the worker's bind while the parent holds the group is "
	      "EBUSY (vfio_device_block_group(): group->opened_file)");
	CHECK(finish(&w, EXIT) == 0 && run(CLOSE_GROUP) == 0,
	      "bind: the worker exits, the parent closes");
}

/*
 * The first opener (the model's owner) exits while another worker holds
 * a bound cdev: the kernel keeps every file until its last fd closes, so
 * the other's ioctls work and its claim holds (the shim's keeper,
 * preload/fork.c), until it exits. @how: EXIT (atexit runs) or
 * QUICK_EXIT (_exit(), as the kselftest harness's tests end).
 */
static void owner_exit_flow(enum cmd how)
{
	const char *by = how == EXIT ? "exit()" : "_exit()";
	struct worker a = start(), b = start();

	CHECK(ask(&a, OPEN_IOMMU) == 0,
	      "owner %s: worker A opens /dev/iommu first", by);
	CHECK(ask(&b, OPEN_IOMMU) == 0 && ask(&b, BIND) == 0,
	      "owner %s: worker B binds " CDEV, by);
	CHECK(finish(&a, how) == 0, "owner %s: A exits", by);
	CHECK(ask(&b, MAP) == 0,
	      "owner %s: B's IOAS, attach, IOMMU_IOAS_MAP, GET_PA after", by);
	CHECK(run(OPEN_GROUP) == -EBUSY,
	      "owner %s: B's bind still holds the group: the parent's open "
	      "is EBUSY (group->cdev_device_open_cnt)",
	      by);
	CHECK(finish(&b, EXIT) == 0, "owner %s: B exits", by);
	CHECK(run(OPEN_GROUP) == 0 && run(CLOSE_GROUP) == 0,
	      "owner %s: then the parent's open succeeds", by);
}

/*
 * The owner exec()s while another worker holds a bound cdev: the kernel
 * keeps that worker's files whatever the opener's image becomes (the
 * shim's keeper, preload/exec.c). @fail_first: an exec that fails first
 * leaves the owner's own /dev/iommu working (it is the keeper's client).
 */
static void owner_exec_flow(bool fail_first)
{
	const char *by = fail_first ? "a failed exec, then exec" : "exec";
	struct worker a = start(), b = start();

	CHECK(ask(&a, OPEN_IOMMU) == 0 && ask(&b, OPEN_IOMMU) == 0 &&
		      ask(&b, BIND) == 0,
	      "owner %s: A opens /dev/iommu first, B binds " CDEV, by);
	if (fail_first)
		CHECK(ask(&a, EXEC_BAD) == -ENOENT && ask(&a, ALLOC) == 0,
		      "owner %s: A's exec of a missing program is ENOENT, its "
		      "IOMMU_IOAS_ALLOC after works",
		      by);
	CHECK(finish(&a, EXEC_TRUE) == 0, "owner %s: A execs /bin/true", by);
	CHECK(ask(&b, MAP) == 0 && run(OPEN_GROUP) == -EBUSY,
	      "owner %s: B's IOAS, attach, map, GET_PA work after, its bind "
	      "holds the group (the parent's open EBUSY)",
	      by);
	CHECK(finish(&b, EXIT) == 0 && run(OPEN_GROUP) == 0 &&
		      run(CLOSE_GROUP) == 0,
	      "owner %s: B exits, then the parent's open succeeds", by);
}

/*
 * A served fd without close-on-exec stays open across exec
 * (fs/exec.c begin_new_exec() -> do_close_on_exec() closes only the
 * close-on-exec ones): the new image's ioctls on it reach the same ctx
 * (preload/inherit.c). From a client, from the owner (which hands off
 * first), and through the shell's redirection.
 */
static void inherit_flow(void)
{
	struct worker a = start(), b = start(), c = start();

	CHECK(ask(&a, OPEN_IOMMU) == 0, "inherit: A opens /dev/iommu first");
	CHECK(finish(&b, EXEC_INHERIT) == 0,
	      "inherit: B's IOAS on a /dev/iommu fd without O_CLOEXEC, B "
	      "execs itself: the new image's IOMMU_IOAS_ALLOC on that fd and "
	      "IOMMU_DESTROY of B's IOAS work");
	CHECK(finish(&a, EXEC_INHERIT) == 0, "inherit: so for the owner A");
	CHECK(finish(&c, SH_INHERIT) == 0,
	      "inherit: sh -c 'exec 3<>/dev/iommu; exec prog': prog's "
	      "IOMMU_IOAS_ALLOC on fd 3 works");
}

/*
 * SCM_RIGHTS passes the sender's struct file (net/core/scm.c
 * scm_detach_fds()): the parent's IOMMU_DESTROY on the fd a worker sent
 * destroys the worker's IOAS, and the fd keeps the ctx after the worker
 * closed its own and exited.
 */
static void scm_rights_flow(void)
{
	struct iommu_destroy d = { .size = sizeof(d) };
	struct worker w;
	int id, fd;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pass_sock))
		exit(2);
	w = start();
	id = ask(&w, SEND_IOMMU);
	fd = recv_fd();
	d.id = (uint32_t)id;
	CHECK(id > 0 && fd >= 0 && !ioctl(fd, IOMMU_DESTROY, &d),
	      "SCM_RIGHTS: a worker sends its /dev/iommu fd, the parent's "
	      "IOMMU_DESTROY of the worker's IOAS on it works");
	ifd = fd;
	CHECK(ask(&w, CLOSE_IOMMU) == 0 && finish(&w, EXIT) == 0 &&
		      run(ALLOC) == 0,
	      "SCM_RIGHTS: the worker closes its fd and exits, the parent's "
	      "IOMMU_IOAS_ALLOC on the one it got works");
}

/* fail-nth is per task (fs/proc/base.c proc_fail_nth_write() sets
 * task->fail_nth, lib/fault-inject.c should_fail_ex() counts down
 * current's): one process's arming fails none of another's calls */
static void fail_nth_flow(void)
{
	struct worker w = start();

	CHECK(ask(&w, OPEN_IOMMU) == 0 && run(OPEN_IOMMU) == 0 &&
		      ask(&w, ARM_NTH) == 0,
	      "fail-nth: a worker and its parent open /dev/iommu, the worker "
	      "writes 1 to its /proc/self/fail-nth");
	CHECK(run(ALLOC) == 0 && run(READ_NTH) == 0,
	      "fail-nth: the parent's IOMMU_IOAS_ALLOC succeeds, its "
	      "fail-nth reads 0");
	CHECK(ask(&w, READ_NTH) == 1, "fail-nth: the worker's still reads 1");
	CHECK(ask(&w, ALLOC) < 0 && ask(&w, READ_NTH) == 0,
	      "fail-nth: the worker's IOMMU_IOAS_ALLOC fails, then its "
	      "fail-nth reads 0");
	CHECK(finish(&w, EXIT) == 0 && !close(ifd),
	      "fail-nth: the worker exits, the parent closes");
}

/* Refused (docs/preload.md): an owner that dies without exit() or
 * _exit() (a signal) takes the model with it; the others get EIO. */
static void owner_killed_flow(void)
{
	struct worker a = start(), b = start();
	int status;

	CHECK(ask(&a, OPEN_IOMMU) == 0 && ask(&b, OPEN_IOMMU) == 0,
	      "owner killed: A opens /dev/iommu first, then B");
	kill(a.pid, SIGKILL);
	waitpid(a.pid, &status, 0);
	CHECK(ask(&b, MAP) == -EIO,
	      "owner killed: B's next ioctl is EIO (refused, not modelled)");
	finish(&b, EXIT);
	close(a.to);
	close(a.from);
}

/* @flow in a process of its own that has opened nothing; the next
 * starts once every process of this one is gone, the model's keeper too
 * (reparented here, the subreaper): so each flow's first opener is the
 * owner of a model of its own */
static void isolated(void (*flow)(void))
{
	pid_t pid = fork();
	int status = -1;

	if (pid == 0) {
		flow();
		exit(0);
	}
	waitpid(pid, &status, 0);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	CHECK(status == 0, "the flow's process ends");
}

static void owner_exits(void)
{
	owner_exit_flow(EXIT);
}

static void owner_quick_exits(void)
{
	owner_exit_flow(QUICK_EXIT);
}

static void owner_execs(void)
{
	owner_exec_flow(false);
}

static void owner_exec_fails_then_execs(void)
{
	owner_exec_flow(true);
}

/* The image after an exec: IOMMU_IOAS_ALLOC on the inherited /dev/iommu
 * @fd, and IOMMU_DESTROY of @ioas the image before allocated (the same
 * ctx): exit 0, else 1 */
static int inherited(int fd, const char *ioas)
{
	struct iommu_destroy d = { .size = sizeof(d) };

	ifd = fd;
	if (ioas_alloc())
		return 1;
	d.id = ioas ? (uint32_t)atoi(ioas) : 0;
	return ioas && ioctl(fd, IOMMU_DESTROY, &d) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "--inherited"))
		return inherited(atoi(argv[2]), argc > 3 ? argv[3] : NULL);
	if (readlink("/proc/self/exe", self, sizeof(self) - 1) < 0)
		return 2;
	tap = mmap(NULL, sizeof(*tap), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tap == MAP_FAILED)
		return 2;
	setvbuf(stdout, NULL, _IONBF, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	printf("TAP version 13\n");
	isolated(group_flow);
	isolated(bind_flow);
	isolated(owner_exits);
	isolated(owner_quick_exits);
	isolated(owner_execs);
	isolated(owner_exec_fails_then_execs);
	isolated(inherit_flow);
	isolated(scm_rights_flow);
	isolated(fail_nth_flow);
	isolated(owner_killed_flow);
	printf("1..%d\n", tap->n);
	return tap->failed ? 1 : 0;
}
