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
 *  - libc.c: the interposed libc functions.
 */
#ifndef IOMMUSIM_PRELOAD_PRELOAD_H
#define IOMMUSIM_PRELOAD_PRELOAD_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

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
	off_t pos;		  /* its file position */
};

struct shim {
	bool ready;  /* the machine is up: serve */
	bool trace;  /* IOMMUSIM_PRELOAD_TRACE: each served call on stderr */
	pid_t owner; /* the process that made the shadow tree */
	struct iommu_model *m;
	struct process *task;	    /* the program, as the model sees it */
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
/* The real munmap() of [addr, addr + len): the model process forgets
 * those pages (pinned ones stay pinned, as in the kernel). */
void shim_forget_memory(unsigned long long addr, unsigned long long len);
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

/* ---- ioctl.c ---- */
/* ioctl(fd, cmd, arg) on @f: >= 0 as the ioctl returns, or -errno. */
long shim_ioctl(struct shim_file *f, unsigned long cmd, void *arg);

/* ---- libc.c ---- */
/* The shim serves this call: it is ready, and this thread is not inside
 * it already (the model's own mallocs, the pager's and fd_lookup's libc
 * calls go straight to libc). */
bool shim_serving(void);
/* libc's own functions (dlsym RTLD_NEXT) */
int real_open(const char *path, int flags, mode_t mode);
int real_close(int fd);
ssize_t real_read(int fd, void *buf, size_t n);

#endif
