// SPDX-License-Identifier: MIT
/*
 * fork.c - one model for a process and every process it forks, as the
 * kernel has one for all: a forked child's served fds name the files its
 * parent's name (dup_fd(): the same struct file, one reference more), a
 * mapping the child makes is in the parent's IOAS, IOMMU_IOAS_CHANGE_
 * PROCESS moves the accounting between them.
 *
 * The process the shim loaded in (shim.owner) keeps the model and serves
 * its own calls directly, as before: a program that never forks pays
 * nothing. At its first fork it starts a server thread; each forked
 * process (shim.client, its copy of the model unused) sends its served
 * calls (open of a node, close, dup, ioctl, read/write of a fail-nth
 * file, munmap, /proc/PID/status) over a socket to that thread, which
 * runs them under the shim's lock on that process's own fd table and
 * model process (struct conn). The model reaches the caller's memory
 * with process_vm_readv()/writev() and /proc/PID/{maps,fd} (the owner is
 * an ancestor of every client, which ptrace's access check, Yama's
 * included, lets read); a file the call creates (a device fd, an event
 * queue) takes the real fd the client reserved before the call.
 *
 * fork() itself (pthread_atfork()): the child's conn is made in the
 * prepare handler from the forking process's (its fd table with each
 * file one reference more, its model process forked, process_fork(),
 * without the VMAs: the pager brings the child's own in from its maps,
 * shared mappings with the same pages, private ones fresh, as COW after
 * a pin gives). A client exiting closes its socket: the owner lets its
 * model process exit (exit_mm(): nothing more can be pinned from it) and
 * closes its files (exit_files()) before it serves anything else. When
 * the owner itself exits or exec()s, a fork of it keeps serving
 * (fork_keeper.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "preload.h"
#include "fork_rpc.h"
#include "fork_server.h"
#include "model/iommu.h"
#include "model/iommufd/process.h"

#define PAGE 4096u

/* ---- the owner's side ---- */

GPtrArray *fork_conns;
int fork_wake_fd = -1;
int fork_listen_fd = -1;
pid_t fork_server_pid;
bool fork_handed_off;
static bool server_up;
/* the user_struct's template for a joining process (join_task()) */
static struct process *user_tmpl;

static struct conn *serving; /* the conn switched to, NULL: none */

/* The model serves @c's calls: its fd table, its model process, its
 * fail-nth (the knob is per task, should_fail_ex() reads current's) */
static void conn_switch(struct conn *c)
{
	shim.fds = c->proc.fds;
	shim.task = c->proc.task;
	shim.caller = c->pid;
	shim.self.fault = shim.m->fault;
	shim.m->fault = c->proc.fault;
	shim.vmas = &c->proc.vmas;
	serving = c;
}

void fork_conn_switch_back(void)
{
	shim.fds = shim.self.fds;
	shim.task = shim.self.task;
	shim.caller = 0;
	shim.spare = -1;
	shim.vmas = NULL;
	if (serving) {
		serving->proc.fault = shim.m->fault;
		shim.m->fault = shim.self.fault;
	}
	serving = NULL;
}

static void wake_server(void)
{
	uint64_t one = 1;

	if (fork_wake_fd >= 0 && write(fork_wake_fd, &one, sizeof(one)) < 0)
		shim_log("cannot wake the server: %s", strerror(errno));
}

static u64 same_pa(u64 pa, void *data)
{
	(void)data;
	return pa;
}

/* process_fork() of @from without its memory: the pager brings the
 * child's own in from its maps */
static struct process *fork_task(struct process *from)
{
	struct process *t = process_fork(from, same_pa, NULL);

	while (t->vmas->len)
		process_munmap(t, ((struct vma *)t->vmas->pdata[0])->start);
	return t;
}

/* The child's conn, made from what @from has at fork() (dup_fd(),
 * dup_mm() without the VMAs; see the top of the file); @from NULL: a
 * process joining through the rendezvous (no fds, its task made at its
 * RPC_JOIN). */
static void conn_new(const struct shim_proc *from, int sock)
{
	struct conn *c = g_new0(struct conn, 1);
	GHashTableIter it;
	gpointer fd, f;

	c->sock = sock;
	c->proc.fds = g_hash_table_new(g_direct_hash, g_direct_equal);
	if (from) {
		g_hash_table_iter_init(&it, from->fds);
		while (g_hash_table_iter_next(&it, &fd, &f)) {
			((struct shim_file *)f)->refs++;
			g_hash_table_insert(c->proc.fds, fd, f);
		}
		c->proc.task = fork_task(from->task);
		shim_vma_fork(&c->proc.vmas, from->vmas);
	}
	g_ptr_array_add(fork_conns, c);
	wake_server();
}

/*
 * A process that joined (rendezvous.c): forked from no served process,
 * so no file and no memory of one; its capabilities and RLIMIT_MEMLOCK
 * its own (capset before its first open), its user_struct the one every
 * process of the tree shares (same uid: alloc_uid() finds it).
 */
static struct process *join_task(uint64_t caps, uint64_t rlimit_memlock)
{
	struct process *t = fork_task(user_tmpl);

	for (guint fd = 0; fd < t->files->len; fd++) {
		if (t->files->pdata[fd])
			process_close_fd(t, (int)fd);
	}
	t->caps = caps;
	t->rlimit_memlock = rlimit_memlock;
	return t;
}

/* Joining processes waiting at the rendezvous: fork_conns (their RPC_JOIN
 * follows on their socket) */
void fork_accept_joins(void)
{
	int s;

	while (fork_listen_fd >= 0 &&
	       (s = accept4(fork_listen_fd, NULL, NULL, SOCK_CLOEXEC)) >= 0)
		conn_new(NULL, s);
}

/* @p's process exited: exit_mm(), then exit_files() (do_exit()'s
 * order); the caller switched to it */
void fork_proc_exit(struct shim_proc *p)
{
	g_autoptr(GList) fds = g_hash_table_get_keys(p->fds);

	shim_vma_exit(&p->vmas); /* exit_mmap() */
	process_free(p->task);
	for (GList *l = fds; l; l = l->next)
		shim_fd_forget(GPOINTER_TO_INT(l->data));
	g_hash_table_destroy(p->fds);
}

/* The client exited */
static void conn_drop(struct conn *c)
{
	shim_log("pid %d is gone", (int)c->pid);
	conn_switch(c);
	fork_proc_exit(&c->proc);
	fork_conn_switch_back();
	real_close(c->sock);
	g_ptr_array_remove(fork_conns, c);
	g_free(c);
	wake_server();
}

/* The model's file for a forked caller's new fd: which kind, to tell it */
static uint32_t spare_fate(const struct rpc_req *rq)
{
	if (rq->op != RPC_IOCTL || rq->fd2 < 0 || shim.spare >= 0)
		return SPARE_UNUSED;
	return g_hash_table_contains(shim.fds, GINT_TO_POINTER(rq->fd2))
		       ? SPARE_SERVED
		       : SPARE_MODEL_FILE;
}

/* A page-aligned copy of the argument, at least a page, zero past it
 * (the model may read to the end of the page it starts in). */
static void *arg_copy(const void *data, size_t len)
{
	size_t size = (MAX(len, PAGE) + PAGE - 1) / PAGE * PAGE;
	void *buf = NULL;

	if (posix_memalign(&buf, PAGE, size))
		return NULL;
	memset(buf, 0, size);
	memcpy(buf, data, len);
	return buf;
}

static int64_t serve_ioctl(const struct rpc_req *rq, void *buf)
{
	struct shim_file *f = shim_fd_get(rq->fd);
	void *arg = rq->flags & RPC_INT_ARG ? (void *)(uintptr_t)rq->arg
		    : rq->arg		    ? buf
					    : NULL;

	if (!f)
		return -EBADF;
	return f->fail_nth ? -ENOTTY : shim_ioctl(f, rq->cmd, arg);
}

static int64_t serve_rw(const struct rpc_req *rq, void *buf, uint64_t *out)
{
	struct shim_file *f = shim_fd_get(rq->fd);
	off_t pos;
	ssize_t ret;

	if (!f)
		return -EBADF;
	if (!f->fail_nth) /* no BAR, no queue: not modelled */
		return -EINVAL;
	pos = rq->arg == ~0ull ? f->pos : (off_t)rq->arg;
	ret = rq->flags ? failnth_write(buf, rq->len)
			: failnth_read(buf, rq->len, &pos);
	if (rq->arg == ~0ull && ret > 0 && !rq->flags)
		f->pos = pos;
	*out = !rq->flags && ret > 0 ? (uint64_t)ret : 0;
	return ret;
}

/* One request of @c, under the lock, as the caller; false: @c is gone. */
static bool serve_one(struct conn *c)
{
	g_autofree char *data = NULL, *status = NULL;
	struct rpc_req rq;
	struct rpc_rep rep = { 0 };
	void *out = NULL;
	int passed;

	if (rpc_recv_req(c->sock, &rq, &passed) ||
	    (rq.op != RPC_FORGET && rq.op != RPC_MODEL_RW &&
	     rq.op != RPC_JOIN && rq.len > (64u << 20)) ||
	    (!c->proc.task && rq.op != RPC_JOIN))
		return false;
	if (rq.op == RPC_IOCTL || rq.op == RPC_OPEN ||
	    (rq.op == RPC_RW && rq.len)) {
		data = g_malloc0(rq.len + 1);
		if ((rq.op != RPC_RW || rq.flags) &&
		    rpc_recv_all(c->sock, data, rq.len))
			return false;
	}
	if (rq.op == RPC_JOIN && !c->proc.task)
		c->proc.task = join_task(rq.arg, rq.len);
	if (rq.op == RPC_HELLO || rq.op == RPC_JOIN) {
		c->pid = (pid_t)rq.cmd;
		shim_task_hooks(c->proc.task, c->pid);
		return true;
	}
	conn_switch(c);
	/* a file the call makes takes the fd the caller reserved */
	if (rq.op == RPC_OPEN || rq.op == RPC_IOCTL)
		shim.spare = rq.fd2;
	switch (rq.op) {
	case RPC_OPEN:
		rep.ret = rq.cmd ? shim_open_fail_nth(data, rq.flags)
				 : shim_open_node(data, rq.flags);
		break;
	case RPC_CLOSE:
		shim_fd_forget(rq.fd);
		shim_close_model_file(rq.fd);
		break;
	case RPC_DUP:
		shim_fd_dup(rq.fd, rq.fd2);
		break;
	case RPC_IOCTL: {
		g_autofree void *buf = arg_copy(data, rq.len);

		rep.ret = buf ? serve_ioctl(&rq, buf) : -ENOMEM;
		if (buf && rq.len && !(rq.flags & RPC_INT_ARG))
			memcpy(data, buf, rq.len);
		out = data;
		rep.len = rq.len;
		break;
	}
	case RPC_RW:
		rep.ret = serve_rw(&rq, data, &rep.len);
		out = data;
		break;
	case RPC_FORGET:
		shim_forget_memory(rq.arg, rq.len);
		shim_vma_unmap(rq.arg, rq.len);
		break;
	case RPC_FORK:
		if (passed >= 0)
			conn_new(&c->proc, passed);
		rep.ret = passed >= 0 ? 0 : -EBADF;
		break;
	case RPC_MODEL_RW: { /* the buffer is the caller's (access_vm) */
		ssize_t n = 0;

		rep.served =
			shim_model_file_rw(rq.fd, (void *)(uintptr_t)rq.cmd,
					   rq.len, rq.arg, rq.flags, &n);
		rep.ret = n;
		break;
	}
	case RPC_PIN:
	case RPC_UNPIN:
	case RPC_ADOPT:
		rep.ret = inherit_serve(rq.op, rq.fd, rq.arg);
		break;
	case RPC_CAPS:
		if (rq.cmd)
			shim.task->caps = rq.arg;
		rep.ret = (int64_t)shim.task->caps;
		break;
	case RPC_STATUS:
		status = shim_status_text((pid_t)rq.cmd, &rep.len);
		rep.ret = status ? 0 : -ENOENT;
		out = status;
		break;
	default:
		rep.ret = -ENOSYS;
	}
	rep.spare_used = spare_fate(&rq);
	rep.has_vmas = shim.task->vmas->len > 0;
	fork_conn_switch_back();
	return !rpc_send(c->sock, &rep, sizeof(rep), out, rep.len, -1);
}

/*
 * Under the lock: what every client has sent is served, those gone are
 * let go; @hup_only: only the gone ones (the owner's own call: a child
 * it saw exit must be gone from the model before it goes on).
 */
static void serve_ready(bool hup_only)
{
	g_autofree struct pollfd *p = g_new0(struct pollfd, fork_conns->len);
	g_autofree struct conn **c = g_new0(struct conn *, fork_conns->len);
	guint n = fork_conns->len;

	for (guint i = 0; i < n; i++) {
		c[i] = fork_conns->pdata[i];
		p[i] = (struct pollfd){ .fd = c[i]->sock, .events = POLLIN };
	}
	if (poll(p, n, 0) <= 0)
		return;
	for (int pass = 0; pass < 2; pass++) { /* the gone ones first */
		for (guint i = 0; i < n; i++) {
			bool gone = p[i].revents & (POLLHUP | POLLERR);

			if (!p[i].revents || gone != !pass)
				continue;
			/* a gone client's last messages (its HELLO), then it */
			while (gone && poll(&p[i], 1, 0) > 0 &&
			       (p[i].revents & POLLIN) && serve_one(c[i]))
				;
			if (gone || (!hup_only && !serve_one(c[i])))
				conn_drop(c[i]);
		}
		if (hup_only)
			return;
	}
}

void fork_reap(void)
{
	/* (handed off: the keeper reads those sockets, not this process) */
	if (fork_conns && fork_conns->len && !fork_handed_off)
		serve_ready(true);
}

/* The server's round: wait for a request or a joining process, serve
 * what came. false: stop (the owner handed off to its keeper, or poll
 * failed). */
bool fork_serve_round(void)
{
	g_autofree struct pollfd *p = NULL;
	guint n;
	uint64_t v;

	shim_lock();
	if (fork_handed_off) {
		shim_unlock();
		return false;
	}
	n = fork_conns->len;
	p = g_new0(struct pollfd, n + 2);
	p[0] = (struct pollfd){ .fd = fork_wake_fd, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = fork_listen_fd, .events = POLLIN };
	for (guint i = 0; i < n; i++)
		p[i + 2] = (struct pollfd){
			.fd = ((struct conn *)fork_conns->pdata[i])->sock,
			.events = POLLIN
		};
	shim_unlock();
	if (fork_spin_poll(p, n + 2) < 0)
		return false;
	if ((p[0].revents & POLLIN) && read(fork_wake_fd, &v, sizeof(v)) < 0 &&
	    errno != EAGAIN)
		return false;
	shim_lock();
	if (!fork_handed_off) {
		fork_accept_joins();
		serve_ready(false);
	}
	shim_unlock();
	return true;
}

/* posted by the server thread once it has made what a thread makes */
static sem_t server_ready;

static void *server(void *unused)
{
	(void)unused;
	/* what a new thread maps for itself (ASan's per-thread state as
	 * it starts, the block its __tls_get_addr interceptor maps at the
	 * first TLS access, glibc's arena at the first malloc), mapped
	 * now, while server_start() waits */
	shim_thread_inside();
	g_free(g_malloc(1));
	sem_post(&server_ready);
	while (fork_serve_round())
		;
	return NULL;
}

/*
 * The server thread, once: no signal of the program's is delivered to
 * it (its handlers would run on a thread the program never made). It is
 * up before this returns: a thread starting late maps its own memory
 * at an arbitrary point of the program's run, often into a range the
 * program has just unmapped (the kernel puts a new mapping at the top
 * of the highest free gap that fits), and the model, which reads what
 * is mapped from /proc/PID/maps, then pins it where the program expects
 * EFAULT (docs/preload.md: the selftest's iommufd_mock_domain.*.basic
 * at iommufd.c:1775; tests/preload/late-thread.sh).
 */
static void server_start(void)
{
	sigset_t all, old;
	pthread_t t;

	if (server_up)
		return;
	if (!fork_conns)
		fork_conns = g_ptr_array_new();
	fork_server_pid = getpid();
	fork_wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	sem_init(&server_ready, 0, 0);
	server_up = !pthread_create(&t, NULL, server, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!server_up) {
		shim_log("no server thread: forked children are not served");
		return;
	}
	pthread_detach(t);
	while (sem_wait(&server_ready) && errno == EINTR)
		;
}

/* The live file whose memfd is inode @ino, NULL: none (inherit.c) */
struct shim_file *fork_file_of_ino(unsigned long long ino)
{
	GHashTableIter it;
	gpointer fd, f;

	for (guint i = 0; i <= (fork_conns ? fork_conns->len : 0); i++) {
		GHashTable *t = i < (fork_conns ? fork_conns->len : 0)
					? ((struct conn *)fork_conns->pdata[i])
						  ->proc.fds
					: shim.self.fds;

		g_hash_table_iter_init(&it, t);
		while (g_hash_table_iter_next(&it, &fd, &f)) {
			if (((struct shim_file *)f)->ino == ino)
				return f;
		}
	}
	return NULL;
}

/* ---- /proc/PID/status (fork_client.c) ---- */

struct process *fork_task_of(pid_t pid)
{
	if (pid == getpid())
		return shim.self.task;
	for (guint i = 0; fork_conns && i < fork_conns->len; i++) {
		struct conn *c = fork_conns->pdata[i];

		if (c->pid == pid)
			return c->proc.task;
	}
	return NULL;
}

/* ---- fork() ---- */

static int fork_sv[2] = { -1, -1 }; /* [0] the owner's end, [1] the child's */

/* this fork's child shares the model (see fork_prepare()) */
static bool fork_shared;
/* this fork's child is the owner's keeper (fork_keeper.c) */
bool fork_keeping;

/*
 * A process that has never had a served file (shim.used: the model is
 * still the scenario's, untouched) forks a child with a model of its own,
 * its copy, unused unless there is no rendezvous (preloaded by hand): at
 * its first served open the child joins the tree's model (rendezvous.c).
 * A process that has used the model shares it with every child it forks
 * from then on, through this one's server.
 */
void fork_prepare(void)
{
	shim_enter();
	fork_shared = !fork_keeping && (shim.client || shim.used);
	if (!fork_shared)
		return;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fork_sv)) {
		fork_sv[0] = fork_sv[1] = -1;
		return;
	}
	if (shim.client) { /* the owner makes the conn from ours */
		client_fork(fork_sv[0]);
		real_close(fork_sv[0]);
		return;
	}
	server_start();
	conn_new(&shim.self, fork_sv[0]);
}

/* The keeper serves from now on: the thread stops at its next look, and
 * this process's copies of the sockets go (a client sees the keeper's
 * end close when the keeper goes, not when this process does) */
static void hand_off(void)
{
	fork_handed_off = true;
	for (guint i = 0; i < fork_conns->len; i++) {
		struct conn *c = fork_conns->pdata[i];

		real_close(c->sock);
		c->sock = -1;
	}
	if (fork_listen_fd >= 0)
		real_close(fork_listen_fd);
	fork_listen_fd = -1;
}

void fork_parent(void)
{
	if (fork_sv[1] >= 0)
		real_close(fork_sv[1]);
	fork_sv[0] = fork_sv[1] = -1;
	if (fork_keeping)
		hand_off();
	shim_leave();
}

/* The child: a client of the owner from now on. The owner's sockets and
 * its parent's it inherited are closed (a client's exit is seen when its
 * own socket's last copy goes; a dead owner's rendezvous refuses). */
void fork_child(void)
{
	struct rpc_req rq = { .op = RPC_HELLO, .fd2 = -1, .cmd = getpid() };

	if (!fork_shared) { /* an owner of its copy, or the keeper */
		shim_leave();
		return;
	}
	if (shim.client) {
		real_close(shim.sock);
	} else {
		/* (the fork_conns stay, unused: a client serves nothing) */
		for (guint i = 0; fork_conns && i < fork_conns->len; i++)
			real_close(((struct conn *)fork_conns->pdata[i])->sock);
		if (fork_wake_fd >= 0)
			real_close(fork_wake_fd);
		if (fork_listen_fd >= 0)
			real_close(fork_listen_fd);
		fork_listen_fd = -1;
	}
	client_start(!shim.client);
	shim.client = true;
	shim.sock = fork_sv[1];
	fork_sv[0] = fork_sv[1] = -1;
	if (shim.sock >= 0)
		rpc_send(shim.sock, &rq, sizeof(rq), NULL, 0, -1);
	shim_leave();
}

/* ---- the rendezvous's owner (rendezvous.c) and its keeper ---- */

void fork_serve(int listen)
{
	server_start();
	fork_listen_fd = listen;
	/* the user_struct every joining process shares (join_task()) */
	user_tmpl = fork_task(shim.self.task);
	wake_server();
}
