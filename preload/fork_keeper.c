// SPDX-License-Identifier: MIT
/*
 * fork_keeper.c - the owner's keeper: as the process that owns the model
 * exits or exec()s, a fork of it keeps serving the processes it served
 * (and, at an exec, the owner's new image as a client), as the kernel
 * keeps a file until its last fd closes, whoever opened it. The keeper
 * holds only its sockets and goes when nobody is left to serve.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "preload.h"
#include "fork_rpc.h"
#include "fork_server.h"
#include "model/iommu.h"
#include "model/iommufd/process.h"

/* The rendezvous goes (under its lock, nobody waiting at it): whoever
 * joins next becomes the owner of a model of its own. */
static void stop_listening(void)
{
	if (fork_listen_fd < 0)
		return;
	real_close(fork_listen_fd);
	fork_listen_fd = -1;
	rdv_unlink();
}

/* The keeper with nothing left to serve: gone, unless a process joined
 * meanwhile (the rendezvous's lock orders the two) or an exec'd image is
 * still to adopt its files (inherit.c: it looks again every 100 ms, a
 * pin going with its pid) */
static void keeper_idle(void)
{
	int lk = rdv_lock();
	bool pending;

	shim_lock();
	fork_accept_joins();
	pending = inherit_pending();
	if (!fork_conns->len && !pending) {
		stop_listening();
		_exit(0); /* nothing of a program's runs here: no atexit */
	}
	shim_unlock();
	rdv_unlock(lk);
	if (!fork_conns->len)
		poll(&(struct pollfd){ .fd = fork_listen_fd, .events = POLLIN },
		     1, 100);
}

static int int_cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The keeper holds only its sockets (and stderr when tracing): a pipe
 * the program's reader waits to see closed is not kept open by it */
static void keeper_close_fds(void)
{
	g_autofree int *keep = g_new(int, fork_conns->len + 4);
	guint n = 0;
	int from = 0, null = -1;

	if (!shim.trace && (null = real_open("/dev/null", O_WRONLY, 0)) >= 0)
		dup2(null, 2);
	keep[n++] = 2;
	keep[n++] = fork_listen_fd;
	keep[n++] = fork_wake_fd;
	for (guint i = 0; i < fork_conns->len; i++)
		keep[n++] = ((struct conn *)fork_conns->pdata[i])->sock;
	qsort(keep, n, sizeof(int), int_cmp);
	for (guint i = 0; i < n; i++) {
		if (keep[i] > from)
			close_range((unsigned int)from,
				    (unsigned int)keep[i] - 1, 0);
		from = MAX(from, keep[i] + 1);
	}
	close_range((unsigned int)from, ~0u, 0);
}

/* The owner stays served (its exec()): its fd table, model process and
 * fail-nth become a conn of the keeper, on @sock; its pid is the
 * keeper's parent's */
static void keep_owner(int sock)
{
	struct conn *c = g_new0(struct conn, 1);

	c->sock = sock;
	c->pid = getppid();
	c->proc = shim.self;
	c->proc.fault = shim.m->fault;
	shim_task_hooks(c->proc.task, c->pid);
	g_ptr_array_add(fork_conns, c);
}

/*
 * The owner's keeper, a fork of it made as the owner goes: the owner's
 * own files close and its model process exits (as for a client gone,
 * exit_files(), exit_mm()), or, @owner_sock >= 0 (its exec()), it is
 * served on that socket from now on; the model serves every process on
 * this thread until the last is gone.
 */
static void __attribute__((noreturn)) keeper_run(int lk, int owner_sock)
{
	sigset_t all;

	/* the owner's copy of the rendezvous's lock: it unlocks it */
	rdv_unlock(lk);
	/* no handler of the program's runs here */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	shim_thread_inside();
	shim_lock();
	if (owner_sock >= 0)
		keep_owner(owner_sock);
	else
		fork_proc_exit(&shim.self);
	keeper_close_fds();
	fork_server_pid = getpid();
	real_close(fork_wake_fd);
	fork_wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	shim.self.fds = g_hash_table_new(g_direct_hash, g_direct_equal);
	shim.self.task = process_new();
	shim.m->fault = (struct fault_attr){ 0 }; /* the owner's task's */
	fork_conn_switch_back();
	shim_log("keeping the model for %u processes", fork_conns->len);
	shim_unlock();
	for (;;) {
		while (!fork_conns->len)
			keeper_idle();
		if (!fork_serve_round())
			_exit(0);
	}
}

/* A keeper forked (the rendezvous's lock @lk held); @stay: this process
 * goes on as its client */
static void keeper_fork(int lk, bool stay)
{
	int sv[2] = { -1, -1 };
	pid_t pid;

	if (stay && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return; /* the others' calls will fail: EIO */
	fork_keeping = true;
	pid = fork();
	if (pid == 0)
		keeper_run(lk, sv[0]);
	fork_keeping = false;
	real_close(sv[0]);
	/* no keeper (fork failed): this process serves itself on, the
	 * others' calls fail (EIO), as when the owner is killed */
	if (!stay || pid < 0) {
		real_close(sv[1]);
		return;
	}
	shim_enter();
	client_start(true);
	client_has_vmas(shim.self.task->vmas->len > 0);
	shim.client = true;
	shim.sock = sv[1];
	shim_leave();
}

/*
 * The owner exits (atexit(), or _exit()): the processes it serves keep
 * their files and the model, as the kernel keeps a file until its last
 * fd closes, whoever opened it: a keeper forked from here serves them.
 * Nobody served and nobody waiting at the rendezvous: it goes (the next
 * process to open becomes the owner of a model of its own).
 */
void fork_owner_exit(void)
{
	int lk;
	bool keep;

	if (!fork_server_pid || getpid() != fork_server_pid || fork_handed_off)
		return;
	lk = rdv_lock();
	shim_enter();
	fork_accept_joins();
	keep = fork_conns->len > 0 || inherit_pending();
	if (!keep)
		stop_listening();
	shim_leave();
	if (keep)
		keeper_fork(lk, false);
	rdv_unlock(lk);
}

/*
 * The owner exec()s: the model goes to a keeper and this process is its
 * client, so the others are served on (as at the owner's exit) and, if
 * the exec fails, so is this one, with every file it had; once the new
 * image runs, the client's socket has closed (close-on-exec) and the
 * keeper lets this image's files go, as at a client's exit.
 */
void fork_owner_exec(void)
{
	int lk;

	if (!fork_server_pid || getpid() != fork_server_pid || fork_handed_off)
		return;
	lk = rdv_lock();
	keeper_fork(lk, true);
	rdv_unlock(lk);
}
