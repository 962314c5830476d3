// SPDX-License-Identifier: MIT
/*
 * fork_client.c - a forked or joined process's side of fork.c: its served calls
 * (open of a node, close, dup, ioctl, fail-nth's read and write, munmap,
 * capabilities, /proc/PID/status) sent to the owner, which runs them on
 * this process's fd table and model process. What stays here is which
 * fds are served (shim.fds, whose entries are only markers: the files
 * are the owner's) and which have a file in the model's process.
 *
 * A call that may create a file (an open, an ioctl: VFIO_GROUP_GET_
 * DEVICE_FD's device, an event queue's fd) carries a real fd reserved
 * here beforehand, a memfd as the owner's own are; the file takes it.
 *
 * /proc/PID/status is here whole: its open (a client's asks the owner)
 * and the text the owner makes of it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "preload.h"
#include "fork_rpc.h"
#include "model/iommufd/process.h"

static int spare = -1;		  /* a reserved fd for the next call */
static bool has_vmas;		  /* the model process holds memory */
static GHashTable *model_fds;	  /* fds the model's process has files at */
#define SERVED GINT_TO_POINTER(1) /* a client's fd table entry */

/* The server is gone (its owner killed: no keeper took
 * over): said once, each served call then fails with EIO */
static void server_gone(void)
{
	static bool said;

	if (!said)
		fprintf(stderr,
			"iommusim-preload: pid %d: the model's server is gone "
			"(its owner was killed): served calls fail "
			"with EIO (docs/preload.md)\n",
			(int)getpid());
	said = true;
}

/* One call done by the owner; the reply's payload into @in (at most
 * @cap bytes, the rest dropped). -EIO when the owner is gone. */
int64_t rpc(struct rpc_req *rq, const void *data, void *in, size_t cap,
	    struct rpc_rep *rep, int pass_fd)
{
	char sink[256];

	*rep = (struct rpc_rep){ .ret = -EIO };
	if (rpc_send(shim.sock, rq, sizeof(*rq), data,
		     rq->op == RPC_FORGET || rq->op == RPC_MODEL_RW ||
				     (rq->op == RPC_RW && !rq->flags)
			     ? 0
			     : rq->len,
		     pass_fd) ||
	    fork_spin_poll(
		    &(struct pollfd){ .fd = shim.sock, .events = POLLIN }, 1) <
		    0 ||
	    rpc_recv_all(shim.sock, rep, sizeof(*rep))) {
		server_gone();
		*rep = (struct rpc_rep){ .ret = -EIO };
		return rep->ret;
	}
	for (uint64_t got = 0; got < rep->len;) {
		size_t k = got < cap ? MIN(cap - got, rep->len - got)
				     : MIN(sizeof(sink), rep->len - got);

		if (rpc_recv_all(shim.sock, got < cap ? (char *)in + got : sink,
				 k))
			return rep->ret = -EIO;
		got += k;
	}
	has_vmas = rep->has_vmas;
	return rep->ret;
}

/* The reserved fd for a call that may create a file */
static int take_spare(const char *name, int flags)
{
	if (spare < 0)
		spare = memfd_create(name, flags & O_CLOEXEC ? MFD_CLOEXEC : 0);
	return spare;
}

static void spare_done(const struct rpc_rep *rep)
{
	if (rep->spare_used == SPARE_SERVED)
		g_hash_table_insert(shim.fds, GINT_TO_POINTER(spare), SERVED);
	else if (rep->spare_used == SPARE_MODEL_FILE)
		g_hash_table_add(model_fds, GINT_TO_POINTER(spare));
	if (rep->spare_used != SPARE_UNUSED)
		spare = -1;
}

int client_open(const char *norm, int flags, bool fail_nth)
{
	g_autofree char *name = g_strdup_printf("iommusim:%s", norm);
	struct rpc_req rq = { .op = RPC_OPEN,
			      .flags = flags,
			      .cmd = fail_nth,
			      .len = strlen(norm) + 1 };
	struct rpc_rep rep;
	int fd;

	/* its own fd, with open()'s close-on-exec */
	fd = memfd_create(name, flags & O_CLOEXEC ? MFD_CLOEXEC : 0);
	if (fd < 0)
		return -errno;
	rq.fd2 = fd;
	if (rpc(&rq, norm, NULL, 0, &rep, -1) < 0) {
		real_close(fd);
		return (int)rep.ret;
	}
	g_hash_table_insert(shim.fds, GINT_TO_POINTER(fd), SERVED);
	return fd;
}

void client_close(int fd)
{
	struct rpc_req rq = { .op = RPC_CLOSE, .fd = fd, .fd2 = -1 };
	struct rpc_rep rep;

	if (!g_hash_table_remove(shim.fds, GINT_TO_POINTER(fd)) &&
	    !g_hash_table_remove(model_fds, GINT_TO_POINTER(fd)))
		return;
	rpc(&rq, NULL, NULL, 0, &rep, -1);
}

void client_dup(int oldfd, int newfd)
{
	struct rpc_req rq = { .op = RPC_DUP, .fd = oldfd, .fd2 = newfd };
	struct rpc_rep rep;
	bool served = g_hash_table_contains(shim.fds, GINT_TO_POINTER(oldfd));

	if (!served && !g_hash_table_contains(shim.fds, GINT_TO_POINTER(newfd)))
		return;
	g_hash_table_remove(shim.fds, GINT_TO_POINTER(newfd));
	if (served)
		g_hash_table_insert(shim.fds, GINT_TO_POINTER(newfd), SERVED);
	rpc(&rq, NULL, NULL, 0, &rep, -1);
}

/* What the owner changed in the argument (@got against what was @sent),
 * written back in byte runs only: the rest of the page may be the
 * program's (another thread's, or what the model wrote through a
 * pointer in it, process_copy_to_user()) */
static void write_back(char *arg, const char *sent, const char *got, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t j = i;

		while (j < len && sent[j] != got[j])
			j++;
		if (j > i)
			memcpy(arg + i, got + i, j - i);
		i = j + 1;
	}
}

/*
 * The argument's bytes as the owner's model may read them: up to the end
 * of its page (shim_ioctl_len()), past the struct, as the in-process
 * model may read them through the pointer. Mapped memory, but not all
 * of it the struct's: an instrumented program's redzones are no error
 * of ours to report, so this copy is not checked (a plain byte loop, no
 * intercepted memcpy).
 */
__attribute__((no_sanitize_address)) static void
program_bytes(char *dst, const char *arg, size_t len)
{
	const volatile char *src = arg;

	for (size_t i = 0; i < len; i++)
		dst[i] = src[i];
}

long client_ioctl(int fd, unsigned long cmd, void *arg)
{
	ssize_t len = shim_ioctl_len(cmd, arg);
	struct rpc_req rq = {
		.op = RPC_IOCTL, .fd = fd, .cmd = cmd, .arg = (uintptr_t)arg
	};
	g_autofree char *sent = NULL, *got = NULL;
	struct rpc_rep rep;

	rq.fd2 = take_spare("iommusim:anon_inode", O_CLOEXEC);
	if (len < 0)
		rq.flags = RPC_INT_ARG;
	else
		rq.len = (uint64_t)len;
	sent = g_malloc(rq.len + 1);
	got = g_malloc(rq.len + 1);
	program_bytes(sent, arg, rq.len);
	rpc(&rq, sent, got, rq.len, &rep, -1);
	spare_done(&rep);
	if (rep.len == rq.len && rq.len)
		write_back(arg, sent, got, rq.len);
	return (long)rep.ret;
}

ssize_t client_rw(int fd, void *buf, size_t n, off_t *off, bool write)
{
	struct rpc_req rq = { .op = RPC_RW,
			      .fd = fd,
			      .fd2 = -1,
			      .flags = write,
			      .arg = off ? (uint64_t)*off : ~0ull,
			      .len = n };
	struct rpc_rep rep;

	return (ssize_t)rpc(&rq, write ? buf : NULL, write ? NULL : buf,
			    write ? 0 : n, &rep, -1);
}

bool client_model_rw(int fd, void *buf, size_t n, bool positioned, bool write,
		     ssize_t *ret)
{
	struct rpc_req rq = { .op = RPC_MODEL_RW,
			      .fd = fd,
			      .fd2 = -1,
			      .flags = write,
			      .cmd = (uintptr_t)buf,
			      .arg = positioned,
			      .len = n };
	struct rpc_rep rep;

	if (!g_hash_table_contains(model_fds, GINT_TO_POINTER(fd)))
		return false;
	*ret = (ssize_t)rpc(&rq, NULL, NULL, 0, &rep, -1);
	return rep.served;
}

void client_forget(unsigned long long addr, unsigned long long len)
{
	struct rpc_req rq = {
		.op = RPC_FORGET, .fd2 = -1, .arg = addr, .len = len
	};
	struct rpc_rep rep;

	if (has_vmas)
		rpc(&rq, NULL, NULL, 0, &rep, -1);
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
	struct process *t = fork_task_of(pid);
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

/* /proc/self/status, /proc/PID/status: the pid, 0 for anything else */
static pid_t status_pid(const char *norm)
{
	char *end;
	long pid;

	if (!strcmp(norm, "/proc/self/status"))
		return getpid();
	pid = strtol(norm + strlen("/proc/"), &end, 10);
	return pid > 0 && !strcmp(end, "/status") ? (pid_t)pid : 0;
}

int shim_status_open(const char *norm)
{
	g_autofree char *text = NULL;
	pid_t pid = status_pid(norm);
	uint64_t len = 0;
	int fd;

	if (!pid)
		return -ENOENT;
	if (shim.client) {
		struct rpc_req rq = { .op = RPC_STATUS, .fd2 = -1, .cmd = pid };
		struct rpc_rep rep;

		text = g_malloc(64 << 10);
		if (rpc(&rq, NULL, text, 64 << 10, &rep, -1) < 0)
			return -ENOENT;
		len = MIN(rep.len, 64u << 10);
	} else if (!(text = shim_status_text(pid, &len))) {
		return -ENOENT;
	}
	fd = memfd_create("iommusim:status", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pwrite(fd, text, len, 0) != (ssize_t)len) {
		real_close(fd);
		return -EIO;
	}
	return fd;
}

uint64_t client_caps(bool set, uint64_t caps)
{
	struct rpc_req rq = {
		.op = RPC_CAPS, .fd2 = -1, .cmd = set, .arg = caps
	};
	struct rpc_rep rep;

	return (uint64_t)rpc(&rq, NULL, NULL, 0, &rep, -1);
}

void client_fork(int sock)
{
	struct rpc_req rq = { .op = RPC_FORK, .fd2 = -1 };
	struct rpc_rep rep;

	rpc(&rq, NULL, NULL, 0, &rep, sock);
}

void client_has_vmas(bool has)
{
	has_vmas = has;
}

static pid_t own_pid; /* this client's */

bool client_own(void)
{
	return getpid() == own_pid;
}

void client_start(bool from_owner)
{
	has_vmas = false;
	own_pid = getpid();
	rdv_allow_tracer();
	if (!from_owner)
		return;
	/* the files the model's process has (memfds it looked up, event
	 * queues): closing one here is the owner's to know */
	model_fds = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (guint fd = 0; fd < shim.self.task->files->len; fd++) {
		if (shim.self.task->files->pdata[fd])
			g_hash_table_add(model_fds, GINT_TO_POINTER(fd));
	}
}
