// SPDX-License-Identifier: MIT
/*
 * rendezvous.c - one model for every process of one `iommusim exec`
 * tree, whenever it forked, as one kernel serves them all: a group one
 * process opened is EBUSY to every other (vfio_group_fops_open()), a
 * device one bound is bound for all.
 *
 * The wrapper's private directory (IOMMUSIM_PRELOAD_DIR, cli/exec.c)
 * holds the tree's socket, model.sock, and its lock file, model.lock. A
 * process's first served open (or fail-nth open) joins the model, under
 * the lock: if model.sock answers, the process becomes a client of the
 * process that listens there (the owner), which serves it as it serves a
 * forked child (fork.c), with an fd table and a model process of its own
 * (the same user_struct, as every process of one uid has); if nobody
 * listens (none yet, or the owner died), it becomes the owner and
 * listens. The lock orders a join against the owner's exit: what
 * connected before the owner looks is served by it or by its keeper
 * (fork.c fork_owner_exit()), what comes after finds no socket.
 *
 * Until it joins, a process serves itself from its own copy of the
 * model, untouched since the scenario (shadow sysfs, capget, capset),
 * and what it forks does too: a program that never opens a served file
 * pays nothing, and one process alone in its tree keeps in-process
 * speed (the kernel's selftest harness forks each test first).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "preload.h"
#include "fork_rpc.h"
#include "model/iommufd/process.h"

#define RDV_SOCK "model.sock"
#define RDV_LOCK "model.lock"

/* @name in the wrapper's directory, NULL without one (preloaded by hand:
 * each process that opens has a model of its own, as before) */
static char *rdv_path(const char *name)
{
	const char *dir = getenv("IOMMUSIM_PRELOAD_DIR");

	return dir && *dir ? g_build_filename(dir, name, NULL) : NULL;
}

int rdv_lock(void)
{
	g_autofree char *path = rdv_path(RDV_LOCK);
	int fd, r;

	if (!path)
		return -1;
	fd = real_open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1; /* the wrapper removed it: the program is gone */
	do
		r = flock(fd, LOCK_EX);
	while (r && errno == EINTR);
	if (r) {
		real_close(fd);
		return -1;
	}
	return fd;
}

void rdv_unlock(int fd)
{
	if (fd >= 0)
		real_close(fd); /* the lock goes with its last fd */
}

static bool rdv_addr(struct sockaddr_un *a)
{
	g_autofree char *path = rdv_path(RDV_SOCK);

	*a = (struct sockaddr_un){ .sun_family = AF_UNIX };
	if (!path || strlen(path) >= sizeof(a->sun_path)) {
		if (path)
			shim_log("%s: too long for a socket, no rendezvous",
				 path);
		return false;
	}
	strcpy(a->sun_path, path);
	return true;
}

void rdv_unlink(void)
{
	struct sockaddr_un a;

	if (rdv_addr(&a))
		unlink(a.sun_path);
}

/*
 * A model server that is not this process's ancestor (an owner found
 * through the socket, a keeper) reads its memory with process_vm_readv(),
 * which Yama's ptrace_scope=1 allows only to a declared tracer: the
 * wrapper, whose descendants (it is their subreaper) the servers are
 * (yama_ptrace_access_check(): a descendant of the declared tracer).
 * Without Yama the call fails (EINVAL) and nothing needs it.
 */
void rdv_allow_tracer(void)
{
	const char *pid = getenv("IOMMUSIM_EXEC_PID");

	if (pid && *pid)
		prctl(PR_SET_PTRACER, strtoul(pid, NULL, 10), 0, 0, 0);
}

/* A client of the owner listening at @a; false: nobody listens. */
static bool join_owner(const struct sockaddr_un *a)
{
	struct rpc_req rq = { .op = RPC_JOIN,
			      .fd2 = -1,
			      .cmd = (uint64_t)getpid(),
			      .arg = shim.self.task->caps,
			      .len = shim.self.task->rlimit_memlock };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return false;
	if (connect(s, (const struct sockaddr *)a, sizeof(*a)) ||
	    rpc_send(s, &rq, sizeof(rq), NULL, 0, -1)) {
		real_close(s);
		return false;
	}
	client_start(true);
	shim.client = true;
	shim.sock = s;
	shim_log("joined the model of %s", a->sun_path);
	return true;
}

/* The tree's owner from now on, listening at @a. */
static bool become_owner(const struct sockaddr_un *a)
{
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (s < 0)
		return false;
	unlink(a->sun_path); /* a dead owner's */
	if (bind(s, (const struct sockaddr *)a, sizeof(*a)) ||
	    listen(s, SOMAXCONN)) {
		shim_log("cannot listen at %s: %s", a->sun_path,
			 strerror(errno));
		real_close(s);
		return false;
	}
	shim.used = true;
	fork_serve(s);
	shim_log("the model's owner, at %s", a->sun_path);
	return true;
}

void rdv_join(void)
{
	struct sockaddr_un a;
	int lk;

	if (shim.client || shim.used || !rdv_addr(&a))
		return;
	lk = rdv_lock();
	if (lk < 0)
		return;
	if (!join_owner(&a))
		become_owner(&a);
	rdv_unlock(lk);
}
