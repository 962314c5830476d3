// SPDX-License-Identifier: MIT
/*
 * inherit.c - served fds across exec(): a served fd without
 * close-on-exec stays open in the new image, as the kernel's file does
 * (do_close_on_exec() closes only the others), and names the same model
 * file there.
 *
 * The image before: its exec (exec.c) pins each such fd's file at the
 * model's server, under (pid, fd) (the pid and the fd numbers survive
 * exec), before its socket closes with it (close-on-exec), which lets
 * every other file of that image go. The new image, as it loads, finds
 * the memfds that reserved those numbers (named "iommusim:/dev/..."),
 * joins the tree's model and adopts each pinned file into its fd table.
 * A failed exec unpins. A pin nobody adopts (the new image does not load
 * the shim: static, or LD_PRELOAD cleared) is dropped once its pid is
 * gone. Only a client pins (an owner's exec makes it one first, fork.c
 * fork_owner_exec()); an fd a new image cannot adopt is refused and said.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "preload.h"
#include "fork_rpc.h"

/* ---- the server's side (under the lock, the caller switched to) ---- */

static GHashTable *pins; /* "pid:fd" -> struct shim_file * (a ref) */

static char *pin_key(pid_t pid, int fd)
{
	return g_strdup_printf("%d:%d", (int)pid, fd);
}

/* Pins whose pid is gone (the new image never adopted them) let go */
static void prune(void)
{
	GHashTableIter it;
	gpointer key, f;

	g_hash_table_iter_init(&it, pins);
	while (g_hash_table_iter_next(&it, &key, &f)) {
		pid_t pid = (pid_t)atoi(key);

		if (kill(pid, 0) && errno == ESRCH) {
			g_hash_table_iter_remove(&it);
			shim_file_put(f);
		}
	}
}

bool inherit_pending(void)
{
	if (!pins)
		return false;
	prune();
	return g_hash_table_size(pins) > 0;
}

int64_t inherit_serve(uint32_t op, int fd, uint64_t ino)
{
	g_autofree char *key = pin_key(shim.caller, fd);
	struct shim_file *f;

	if (!pins)
		pins = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					     NULL);
	prune();
	if (op == RPC_PIN) {
		f = shim_fd_get(fd);
		if (!f || g_hash_table_contains(pins, key))
			return -EBADF;
		f->refs++; /* the new image's, until it adopts it */
		g_hash_table_insert(pins, g_steal_pointer(&key), f);
		return 0;
	}
	f = g_hash_table_lookup(pins, key);
	if (f) {
		g_hash_table_remove(pins, key);
		if (op == RPC_UNPIN) {
			shim_file_put(f);
			return 0;
		}
	} else if (op == RPC_ADOPT && ino && (f = fork_file_of_ino(ino))) {
		/* another process holds it open (a vfork()ed child's
		 * parent, a sender over SCM_RIGHTS): one reference more */
		f->refs++;
	}
	if (!f || op != RPC_ADOPT)
		return -ENOENT;
	shim_fd_forget(fd); /* the reference moves in */
	g_hash_table_insert(shim.fds, GINT_TO_POINTER(fd), f);
	return 0;
}

/* ---- the image before exec (a client) ---- */

static GArray *pinned; /* the fds pinned for this exec */

static void pin_op(uint32_t op, int fd)
{
	struct rpc_req rq = { .op = op, .fd = fd, .fd2 = -1 };
	struct rpc_rep rep;

	if (rpc(&rq, NULL, NULL, 0, &rep, -1) == 0 && op == RPC_PIN)
		g_array_append_val(pinned, fd);
}

void inherit_before_exec(void)
{
	g_autoptr(GList) fds = NULL;

	if (!shim.client || shim.sock < 0 || !client_own())
		return;
	if (!pinned)
		pinned = g_array_new(FALSE, FALSE, sizeof(int));
	fds = g_hash_table_get_keys(shim.fds);
	for (GList *l = fds; l; l = l->next) {
		int fd = GPOINTER_TO_INT(l->data);
		int fl = fcntl(fd, F_GETFD);

		if (fl >= 0 && !(fl & FD_CLOEXEC))
			pin_op(RPC_PIN, fd);
	}
}

void inherit_exec_failed(void)
{
	for (guint i = 0; pinned && i < pinned->len; i++)
		pin_op(RPC_UNPIN, g_array_index(pinned, int, i));
	if (pinned)
		g_array_set_size(pinned, 0);
}

/* ---- the new image ---- */

/* @fd is a memfd that reserved a served node's number: the node */
static char *served_memfd(int fd)
{
	g_autofree char *path = g_strdup_printf("/proc/self/fd/%d", fd);
	g_autofree char *target = g_file_read_link(path, NULL);
	const char *tag = "/memfd:iommusim:";

	if (!target || !g_str_has_prefix(target, tag) ||
	    !g_str_has_prefix(target + strlen(tag), "/dev/"))
		return NULL;
	return g_strndup(target + strlen(tag),
			 strcspn(target + strlen(tag), " "));
}

static bool adopt(int fd)
{
	struct rpc_req rq = { .op = RPC_ADOPT, .fd = fd, .fd2 = -1 };
	struct rpc_rep rep;
	struct stat st;

	if (!fstat(fd, &st))
		rq.arg = st.st_ino;
	if (!shim.client || rpc(&rq, NULL, NULL, 0, &rep, -1))
		return false;
	g_hash_table_insert(shim.fds, GINT_TO_POINTER(fd), GINT_TO_POINTER(1));
	return true;
}

/* @fd (a served memfd this process got) as the model's file it names,
 * found by its inode: true when adopted */
static bool adopt_live(int fd)
{
	struct shim_file *f;
	struct stat st;

	if (shim.client)
		return adopt(fd);
	if (fstat(fd, &st) || !(f = fork_file_of_ino(st.st_ino)))
		return false;
	f->refs++;
	shim_fd_forget(fd);
	g_hash_table_insert(shim.fds, GINT_TO_POINTER(fd), f);
	return true;
}

/*
 * recvmsg(): an fd passed with SCM_RIGHTS is the sender's struct file
 * (net/core/scm.c scm_detach_fds() installs the same file): a served one
 * is adopted, found by its memfd's inode while some process of the tree
 * still holds it (the sender, usually: one it closed before this
 * receives is gone from the model, refused and said as after exec).
 */
static void adopt_passed(const struct msghdr *msg)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR((struct msghdr *)msg); cm;
	     cm = CMSG_NXTHDR((struct msghdr *)msg, cm)) {
		size_t n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		const int *fds = (const int *)CMSG_DATA(cm);

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		for (size_t i = 0; i < n; i++) {
			g_autofree char *node = served_memfd(fds[i]);

			if (!node)
				continue;
			rdv_join();
			if (!adopt_live(fds[i]))
				fprintf(stderr,
					"iommusim-preload: pid %d: fd %d is %s "
					"passed by SCM_RIGHTS: not found in "
					"the "
					"model (its ioctls: ENOTTY; "
					"docs/preload.md)\n",
					(int)getpid(), fds[i], node);
		}
	}
}

ssize_t recvmsg(int sock, struct msghdr *msg, int flags)
{
	static __typeof__(&recvmsg) real_fn;
	ssize_t r;

	if (!real_fn)
		real_fn = (__typeof__(&recvmsg))dlsym(RTLD_NEXT, "recvmsg");
	r = real_fn(sock, msg, flags);
	if (r >= 0 && msg->msg_controllen && shim_serving()) {
		shim_enter();
		adopt_passed(msg);
		shim_leave();
	}
	return r;
}

void inherit_adopt(void)
{
	GDir *d = g_dir_open("/proc/self/fd", 0, NULL);
	const char *name;
	bool joined = false;

	while (d && (name = g_dir_read_name(d))) {
		int fd = atoi(name);
		g_autofree char *node = served_memfd(fd);

		if (!node)
			continue;
		if (!joined)
			rdv_join();
		joined = true;
		if (adopt(fd)) {
			shim_log("fd %d: %s, from before exec()", fd, node);
			continue;
		}
		fprintf(stderr,
			"iommusim-preload: pid %d: fd %d is %s from before "
			"exec(): not carried into this image (its ioctls: "
			"ENOTTY; docs/preload.md)\n",
			(int)getpid(), fd, node);
	}
	if (d)
		g_dir_close(d);
}
