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
 * closes its files (exit_files()) before it serves anything else.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <poll.h>
#include <pthread.h>
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
#include "model/iommufd/process.h"

#define PAGE 4096u

/* ---- the owner's side ---- */

/* a forked process the owner serves */
struct conn {
	int sock;
	pid_t pid; /* 0 until its HELLO */
	struct shim_proc proc;
};

static GPtrArray *conns; /* struct conn * */
static int wake_fd = -1; /* eventfd: @conns changed, poll again */
static bool server_up;

static void conn_switch(struct conn *c)
{
	shim.fds = c->proc.fds;
	shim.task = c->proc.task;
	shim.caller = c->pid;
}

static void conn_switch_back(void)
{
	shim.fds = shim.self.fds;
	shim.task = shim.self.task;
	shim.caller = 0;
	shim.spare = -1;
}

static void wake_server(void)
{
	uint64_t one = 1;

	if (wake_fd >= 0 && write(wake_fd, &one, sizeof(one)) < 0)
		shim_log("cannot wake the server: %s", strerror(errno));
}

static u64 same_pa(u64 pa, void *data)
{
	(void)data;
	return pa;
}

/* The child's conn, made from what @from has at fork() (dup_fd(),
 * dup_mm() without the VMAs; see the top of the file). */
static void conn_new(const struct shim_proc *from, int sock)
{
	struct conn *c = g_new0(struct conn, 1);
	GHashTableIter it;
	gpointer fd, f;

	c->sock = sock;
	c->proc.fds = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_hash_table_iter_init(&it, from->fds);
	while (g_hash_table_iter_next(&it, &fd, &f)) {
		((struct shim_file *)f)->refs++;
		g_hash_table_insert(c->proc.fds, fd, f);
	}
	c->proc.task = process_fork(from->task, same_pa, NULL);
	/* its memory is paged in from its own maps (the pager) */
	while (c->proc.task->vmas->len)
		process_munmap(
			c->proc.task,
			((struct vma *)c->proc.task->vmas->pdata[0])->start);
	g_ptr_array_add(conns, c);
	wake_server();
}

/* The client exited: exit_mm(), then exit_files() (do_exit()'s order) */
static void conn_drop(struct conn *c)
{
	g_autoptr(GList) fds = g_hash_table_get_keys(c->proc.fds);

	shim_log("pid %d is gone", (int)c->pid);
	conn_switch(c);
	process_free(c->proc.task);
	for (GList *l = fds; l; l = l->next)
		shim_fd_forget(GPOINTER_TO_INT(l->data));
	conn_switch_back();
	g_hash_table_destroy(c->proc.fds);
	real_close(c->sock);
	g_ptr_array_remove(conns, c);
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
	     rq.len > (64u << 20)))
		return false;
	if (rq.op == RPC_IOCTL || rq.op == RPC_OPEN ||
	    (rq.op == RPC_RW && rq.len)) {
		data = g_malloc0(rq.len + 1);
		if ((rq.op != RPC_RW || rq.flags) &&
		    rpc_recv_all(c->sock, data, rq.len))
			return false;
	}
	if (rq.op == RPC_HELLO) {
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
	conn_switch_back();
	return !rpc_send(c->sock, &rep, sizeof(rep), out, rep.len, -1);
}

/*
 * Under the lock: what every client has sent is served, those gone are
 * let go; @hup_only: only the gone ones (the owner's own call: a child
 * it saw exit must be gone from the model before it goes on).
 */
static void serve_ready(bool hup_only)
{
	g_autofree struct pollfd *p = g_new0(struct pollfd, conns->len);
	g_autofree struct conn **c = g_new0(struct conn *, conns->len);
	guint n = conns->len;

	for (guint i = 0; i < n; i++) {
		c[i] = conns->pdata[i];
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
	if (conns && conns->len)
		serve_ready(true);
}

static void *server(void *unused)
{
	(void)unused;
	shim_thread_inside();
	for (;;) {
		g_autofree struct pollfd *p = NULL;
		guint n;
		uint64_t v;

		shim_lock();
		n = conns->len;
		p = g_new0(struct pollfd, n + 1);
		p[0] = (struct pollfd){ .fd = wake_fd, .events = POLLIN };
		for (guint i = 0; i < n; i++)
			p[i + 1] = (struct pollfd){
				.fd = ((struct conn *)conns->pdata[i])->sock,
				.events = POLLIN
			};
		shim_unlock();
		if (fork_spin_poll(p, n + 1) < 0)
			return NULL;
		if ((p[0].revents & POLLIN) &&
		    read(wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
			return NULL;
		shim_lock();
		serve_ready(false);
		shim_unlock();
	}
	return NULL;
}

/* The server thread, once: no signal of the program's is delivered to
 * it (its handlers would run on a thread the program never made). */
static void server_start(void)
{
	sigset_t all, old;
	pthread_t t;

	if (server_up)
		return;
	wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	server_up = !pthread_create(&t, NULL, server, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (server_up)
		pthread_detach(t);
	else
		shim_log("no server thread: forked children are not served");
}

/* ---- /proc/PID/status ---- */

/* The model process of @pid, if the model serves it */
static struct process *task_of(pid_t pid)
{
	if (pid == getpid())
		return shim.self.task;
	for (guint i = 0; conns && i < conns->len; i++) {
		struct conn *c = conns->pdata[i];

		if (c->pid == pid)
			return c->proc.task;
	}
	return NULL;
}

/* @line ("VmLck:\t   N kB") with the model's @pages added */
static void add_kb(GString *out, const char *line, const char *tag, u64 pages)
{
	unsigned long long kb = strtoull(line + strlen(tag), NULL, 10);

	g_string_append_printf(out, "%s\t%8llu kB\n", tag,
			       kb + pages * (PROCESS_PAGE_SIZE / 1024));
}

/* The real status of @pid with the model's mm->locked_vm and
 * mm->pinned_vm added to VmLck and VmPin (task_mem()), or NULL */
char *shim_status_text(pid_t pid, uint64_t *len)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
	struct process *t = task_of(pid);
	g_autoptr(GString) in = g_string_new(NULL);
	GString *out;
	char buf[4096];
	int fd;
	ssize_t n;

	if (!t || (fd = real_open(path, O_RDONLY | O_CLOEXEC, 0)) < 0)
		return NULL;
	while ((n = real_read(fd, buf, sizeof(buf))) > 0)
		g_string_append_len(in, buf, n);
	real_close(fd);
	out = g_string_new(NULL);
	for (char *l = in->str, *e; l && *l; l = e ? e + 1 : NULL) {
		e = strchr(l, '\n');
		if (g_str_has_prefix(l, "VmLck:"))
			add_kb(out, l, "VmLck:", t->mm_locked_vm);
		else if (g_str_has_prefix(l, "VmPin:"))
			add_kb(out, l, "VmPin:", t->pinned_vm);
		else
			g_string_append_len(out, l, e ? e - l + 1 : -1);
	}
	*len = out->len;
	return g_string_free(out, FALSE);
}

/* ---- fork() ---- */

static int fork_sv[2] = { -1, -1 }; /* [0] the owner's end, [1] the child's */

/* this fork's child shares the model (see fork_prepare()) */
static bool fork_shared;

/*
 * A process that has never had a served file (shim.used: the model is
 * still the scenario's, untouched) forks a child with a model of its own,
 * its copy, served in-process as before: what the child does is then not
 * seen by this process if it starts using the model later, nor by
 * siblings forked likewise. A test harness that forks each test from a
 * process that never opens /dev/iommu (the kernel's selftests) keeps its
 * speed; a process that has used the model shares it with every child
 * it forks from then on.
 */
void fork_prepare(void)
{
	shim_enter();
	fork_shared = shim.client || shim.used;
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
	if (!conns)
		conns = g_ptr_array_new();
	conn_new(&shim.self, fork_sv[0]);
	server_start();
}

void fork_parent(void)
{
	if (fork_sv[1] >= 0)
		real_close(fork_sv[1]);
	fork_sv[0] = fork_sv[1] = -1;
	shim_leave();
}

/* The child: a client of the owner from now on. The owner's sockets and
 * its parent's it inherited are closed (a client's exit is seen when its
 * own socket's last copy goes). */
void fork_child(void)
{
	struct rpc_req rq = { .op = RPC_HELLO, .fd2 = -1, .cmd = getpid() };

	if (!fork_shared) { /* an owner of its copy */
		shim_leave();
		return;
	}
	if (shim.client) {
		real_close(shim.sock);
	} else {
		/* (the conns stay, unused: a client serves nothing) */
		for (guint i = 0; conns && i < conns->len; i++)
			real_close(((struct conn *)conns->pdata[i])->sock);
		if (wake_fd >= 0)
			real_close(wake_fd);
	}
	client_start(!shim.client);
	shim.client = true;
	shim.sock = fork_sv[1];
	fork_sv[0] = fork_sv[1] = -1;
	if (shim.sock >= 0)
		rpc_send(shim.sock, &rq, sizeof(rq), NULL, 0, -1);
	shim_leave();
}
