/* SPDX-License-Identifier: MIT */
/*
 * preload.h - libiommusim-preload.so's private header.
 *
 * The shim runs a scenario's machine once at load (IOMMUSIM_SCENARIO)
 * and then serves the program's open/ioctl/close/... of /dev/iommu,
 * /dev/vfio/... and the sysfs entries VFIO users read from that one model
 * instance; every other path and fd goes to libc (docs/preload.md).
 *
 *  - state.c: the load (scenario run, the model and its process), the
 *    lock, the fd table (real fd -> model file), the pager that backs the
 *    model process's VMAs with the real process's mappings;
 *  - tree.c: the served paths and their shadow tree on disk (stat,
 *    readlink, opendir of /sys and /dev entries go there);
 *  - ioctl.c: an ioctl on a served fd, its argument translated (fds,
 *    integer arguments) and dispatched to the model;
 *  - libc.c: the interposed libc functions;
 *  - fork.c, fork_client.c, rendezvous.c: one model for every process of
 *    the tree (a forked child, or any process through the wrapper's
 *    rendezvous socket), served by its owner, then by a keeper.
 */
#ifndef IOMMUSIM_PRELOAD_PRELOAD_H
#define IOMMUSIM_PRELOAD_PRELOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <glib.h>
#include <sys/types.h>

#include "model/fault.h"

/* The name of the memfd behind a VFIO BAR's mmap (mmap.c), as
 * /proc/PID/maps shows it: "/memfd:" SHIM_BAR_MEMFD " (deleted)" */
#define SHIM_BAR_MEMFD "iommusim-vfio-bar"

struct iommu_model;
struct iommufd_ctx;
struct process;
struct vfio_file;

/* What a served fd names: the model's open file. dup()s share it; the
 * model's release runs when the last fd naming it closes (fput()). */
struct shim_file {
	unsigned int refs;	  /* fds in the table naming it */
	struct iommufd_ctx *ictx; /* /dev/iommu: the ctx */
	struct vfio_file *vf;	  /* the model's VFIO file; for /dev/iommu
				   * the handle VFIO names it by */
	char *path;		  /* what was opened, for traces */
	bool fail_nth;		  /* a /proc .../fail-nth file (failnth.c) */
	unsigned long long ino;	  /* the inode of the memfd every fd naming
				   * it is a copy of (inherit.c finds it by
				   * that after an exec or SCM_RIGHTS) */
	off_t pos;		  /* its file position */
};

/* A process the model serves: its fd table (real fd -> struct
 * shim_file *) and the model's process for it */
struct shim_proc {
	GHashTable *fds;
	struct process *task;
	/* its task->fail_nth (failnth.c): the model's knob (m->fault) is
	 * the one of the process being served, swapped in and out by
	 * fork.c; 0 at fork (copy_process()) */
	struct fault_attr fault;
	GList *vmas; /* struct shim_vma *: its mappings of /dev/iommu */
};

struct shim {
	bool ready;  /* the machine is up: serve */
	bool trace;  /* IOMMUSIM_PRELOAD_TRACE: each served call on stderr */
	pid_t owner; /* the process that made the shadow tree and serves */
	struct iommu_model *m;
	/* the calling process (this one, or a forked one served by
	 * fork.c's thread): its fd table and model process */
	GHashTable *fds;
	struct process *task;
	pid_t caller; /* the forked caller's pid, 0: this process */
	int spare;    /* the real fd the forked caller reserved for a file
		       * the call creates (-1: none, or used) */
	struct shim_proc self; /* this process's */
	/* the calling process's VMAs of /dev/iommu (mmap.c): a forked
	 * caller's while fork.c serves it, NULL: this process's */
	GList **vmas;
	/* a forked process (fork.c): its served calls go to the owner
	 * over @sock; its copy of the model is not used */
	bool client;
	int sock;
	/* a served file was ever opened here: forked children share the
	 * model from then on (fork.c fork_prepare()) */
	bool used;
	char *root;		    /* the shadow tree (tree.c) */
	unsigned long long next_pa; /* where the pager's next pages go */
};

extern struct shim shim;

/* ---- state.c ---- */
void shim_lock(void);
void shim_unlock(void);
/* The model file the real @fd names, NULL for a pass-through fd. */
struct shim_file *shim_fd_get(int fd);
/* A real fd (a memfd named after @path, O_CLOEXEC as @flags say) that
 * names @f from now on: the fd, or -errno. */
int shim_fd_install(struct shim_file *f, int flags);
/* @newfd names what @oldfd names (dup, dup2, fcntl F_DUPFD). */
void shim_fd_dup(int oldfd, int newfd);
/* A reference to @f dropped: released with its last (fput()) */
void shim_file_put(struct shim_file *f);
/* @fd is closed: its model file is released with its last fd. */
void shim_fd_forget(int fd);
/* The model file of @fd as the model's fd number (VFIO_GROUP_SET_
 * CONTAINER, VFIO_DEVICE_BIND_IOMMUFD); INT32_MAX (no such file: EBADF)
 * for a pass-through fd. */
int shim_model_fd(int fd);
/* Before IOMMU_IOAS_MAP_FILE of @fd: the model's file takes the real
 * one's size now (ftruncate() is not interposed). */
void shim_file_sync(int fd);
/* The program closed @fd: a file the model process has at that number
 * (an event queue's, a memfd it mapped) loses the table's reference. */
void shim_close_model_file(int fd);
/* read/write of @fd when the model process has a file there with a read
 * or write op (an event queue's): true, its bytes or -errno in *ret */
bool shim_model_file_rw(int fd, void *buf, size_t n, bool positioned,
			bool write, ssize_t *ret);
/* read/write of @fd when it is a VFIO file: true, its bytes or -errno in
 * *ret; @off the position of pread/pwrite, NULL for the file's own
 * (which then moves on by the bytes done) */
bool shim_vfio_rw(int fd, void *buf, size_t n, off_t *off, bool write,
		  ssize_t *ret);
/* The real munmap() of [addr, addr + len): the model process forgets
 * those pages (pinned ones stay pinned, as in the kernel). */
void shim_forget_memory(unsigned long long addr, unsigned long long len);
/* @p's hooks (pager, fds, memory) act on process @pid (0: this one) */
void shim_task_hooks(struct process *p, pid_t pid);
/* ---- eventfd.c ---- */
/* process->fd_lookup of @pid's (0: this process's) fd @fd when it is a
 * real eventfd: a stand-in the model signals through, else NULL */
struct file *shim_eventfd_lookup(pid_t pid, int fd);

/* IOMMUSIM_PRELOAD_TRACE */
void shim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- tree.c ---- */
/* @path with "//", "/./" and "/../" folded (no symlink followed). */
char *tree_normalize(const char *path);
/* @shadow (under shim.root, a realpath) as the served path it stands
 * for, in place; false when it is not under the root. */
bool tree_unshadow(char *shadow);
/* Whether @path (absolute) is one the shim serves; *shadow (newly
 * allocated) is where its shadow entry is. */
bool tree_served(const char *path, char **shadow);
/* The path is a character device node (/dev/iommu, /dev/vfio/...). */
bool tree_is_node(const char *path);
/* Build the shadow tree of the model's machine under shim.root. */
int tree_build(void);
void tree_remove(void);

/* ---- failnth.c ---- */
/* @norm (normalized) is this process's /proc fail-nth file */
bool failnth_path(const char *norm);
/* read (from *pos, advanced) and write of it: bytes, or -errno */
ssize_t failnth_read(void *buf, size_t n, off_t *pos);
ssize_t failnth_write(const void *buf, size_t n);
/* The debugfs fault-attribute files, through tree.c's @put_file */
int failnth_tree(int (*put_file)(const char *rel, const char *content));

/* ---- fork.c: one model for a process and its forked children ---- */
/* pthread_atfork()'s handlers */
void fork_prepare(void);
void fork_parent(void);
void fork_child(void);
/* In a forked process (shim.client), inside the shim: the served call
 * done by the owner; as the local call returns */
int client_open(const char *norm, int flags, bool fail_nth);
void client_close(int fd);
void client_dup(int oldfd, int newfd);
long client_ioctl(int fd, unsigned long cmd, void *arg);
ssize_t client_rw(int fd, void *buf, size_t n, off_t *off, bool write);
void client_forget(unsigned long long addr, unsigned long long len);
/* shim_model_file_rw() of this process's @fd, done by the owner */
bool client_model_rw(int fd, void *buf, size_t n, bool positioned, bool write,
		     ssize_t *ret);
/* the model's effective capabilities of this process (@set: to @caps) */
uint64_t client_caps(bool set, uint64_t caps);
/* fork() in a client: the owner makes the child's state from ours,
 * talking to it over @sock */
void client_fork(int sock);
/* /proc/self/status or /proc/PID/status (@norm) of a process the model
 * serves: a memfd holding the real file with VmLck and VmPin the
 * model's; -ENOENT for any other (the real file) */
int shim_status_open(const char *norm);
/* The owner, inside the shim: forked callers that are gone are let go
 * first (exit_mm(), exit_files()), so what the caller saw exit is gone */
void fork_reap(void);

/* ---- the tree's one model (rendezvous.c; fork.c's owner side) ---- */
/* Under the lock, before this process's first served open: join the
 * tree's model, as a client of its owner or as its owner (no-op without
 * IOMMUSIM_PRELOAD_DIR, or once joined) */
void rdv_join(void);
/* The rendezvous's lock (flock of the wrapper's model.lock): its fd, or
 * -1 without one; rdv_unlock() of that */
int rdv_lock(void);
void rdv_unlock(int fd);
/* The rendezvous's socket's name goes (its owner stops listening) */
void rdv_unlink(void);
/* A served process: the wrapper's descendants may read its memory under
 * Yama (PR_SET_PTRACER) */
void rdv_allow_tracer(void);
/* This process serves the tree from now on, joining processes arriving
 * at @listen (a listening socket) */
void fork_serve(int listen);
/* The serving process exits (atexit, _exit()): a keeper serves on for
 * the processes still served */
void fork_owner_exit(void);
/* The serving process exec()s: a keeper serves on, this process as its
 * client (exec.c) */
void fork_owner_exec(void);
/* A client: whether its model process holds memory (munmap is told) */
void client_has_vmas(bool has);
/* This is the client process itself (not a vfork()ed child of it) */
bool client_own(void);

/* ---- inherit.c: served fds across exec() ---- */
/* Under the lock, before an exec: each served fd without close-on-exec
 * pinned for the next image; after one that failed: unpinned */
void inherit_before_exec(void);
void inherit_exec_failed(void);
/* Under the lock, as the shim loads: the served fds the image before
 * left open adopted (or refused, said on stderr) */
void inherit_adopt(void);

/* ---- ioctl.c ---- */
/* ioctl(fd, cmd, arg) on @f: >= 0 as the ioctl returns, or -errno. */
long shim_ioctl(struct shim_file *f, unsigned long cmd, void *arg);

/* How many bytes at @arg the model may read for @cmd on any served fd
 * (-1: @arg is an integer), what a forked caller sends to the owner */
ssize_t shim_ioctl_len(unsigned long cmd, const void *arg);

/* ---- mmap.c: mmap() of a /dev/iommu fd (a driver's region) ---- */
/* mmap() of served @fd inside the shim: the address, or MAP_FAILED with
 * the errno in *err */
void *shim_mmap_served(int fd, void *addr, size_t len, int prot, int flags,
		       off_t off, int *err);
/* munmap(): the served VMAs in [addr, addr + len) go or are cut */
void shim_vma_unmap(uintptr_t addr, size_t len);
/* fork(): the child's copies of @from's VMAs into *@to, each taking its
 * references (dup_mmap(): vm_ops->open, get_file()) */
void shim_vma_fork(GList **to, GList *from);
/* the process's mm goes (exit_mmap(), exec): every VMA closes */
void shim_vma_exit(GList **vmas);
/* mremap(): -EFAULT when it would grow a served VMA, -EINVAL for its
 * MREMAP_DONTUNMAP, else 0; after it, the VMAs follow */
int shim_vma_mremap_check(uintptr_t old, size_t old_len, size_t new_len,
			  int flags);
void shim_vma_moved(uintptr_t old, size_t old_len, uintptr_t new,
		    size_t new_len);

/* ---- libc.c ---- */
/* enter(), leave(): the lock, this thread inside the shim (its libc
 * calls go to libc), LeakSanitizer tracking */
void shim_enter(void);
void shim_leave(void);
/* This thread is inside the shim for good (fork.c's server) */
void shim_thread_inside(void);
/* the served opens (under the lock): an fd or -errno */
int shim_open_node(const char *norm, int flags);
int shim_open_fail_nth(const char *norm, int flags);
/* The shim serves this call: it is ready, and this thread is not inside
 * it already (the model's own mallocs, the pager's and fd_lookup's libc
 * calls go straight to libc). */
bool shim_serving(void);
bool shim_served_fd(int fd);
/* Sanitized build: LeakSanitizer tracks this thread's allocations while
 * @on (inside the shim), not the program's; a no-op otherwise. */
void shim_lsan_track(bool on);
/* libc's own functions (dlsym RTLD_NEXT) */
int real_open(const char *path, int flags, mode_t mode);
int real_close(int fd);
ssize_t real_read(int fd, void *buf, size_t n);

#endif
