// SPDX-License-Identifier: MIT
/*
 * libc_path.c - the interposed libc functions that look at a path
 * without opening it (stat, access, readlink, realpath, opendir) and
 * fstat of a served fd. A served path is answered from the shadow tree
 * (tree.c); a node (/dev/iommu, /dev/vfio/...) stats as the character
 * device it is (the shadow is an empty file). Everything else: libc.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "preload.h"

#define REAL(name)                                                             \
	static __typeof__(&name) real_fn;                                      \
	if (!real_fn)                                                          \
	real_fn = (__typeof__(&name))dlsym(RTLD_NEXT, #name)

/* The shadow of a served @path (newly allocated), or NULL. */
static char *shadow_of(const char *path)
{
	char *shadow = NULL;

	if (!shim_serving() || !tree_served(path, &shadow))
		return NULL;
	return shadow;
}

/* misc devices: /dev/vfio/vfio is VFIO_MINOR (196); the others are
 * dynamic in 7.3, the model says 0 */
static dev_t node_rdev(const char *path)
{
	g_autofree char *norm = tree_normalize(path);

	return makedev(10, strcmp(norm, "/dev/vfio/vfio") ? 0 : 196);
}

static bool is_node(const char *path)
{
	bool node;

	shim_lock();
	node = tree_is_node(path);
	shim_unlock();
	return node;
}

/* A node's stat: crw------- (the caller's uid, so it may open it) */
#define PATCH_NODE(path, buf)                                                  \
	do {                                                                   \
		if (is_node(path)) {                                           \
			(buf)->st_mode = S_IFCHR | 0600;                       \
			(buf)->st_rdev = node_rdev(path);                      \
			(buf)->st_size = 0;                                    \
		}                                                              \
	} while (0)

#define STAT_WRAPPER(name, type)                                               \
	int name(const char *path, struct type *buf)                           \
	{                                                                      \
		g_autofree char *sh = shadow_of(path);                         \
		int ret;                                                       \
		REAL(name);                                                    \
		ret = real_fn(sh ? sh : path, buf);                            \
		if (sh && !ret)                                                \
			PATCH_NODE(path, buf);                                 \
		return ret;                                                    \
	}
STAT_WRAPPER(stat, stat)
STAT_WRAPPER(stat64, stat64)
STAT_WRAPPER(lstat, stat)
STAT_WRAPPER(lstat64, stat64)

#define XSTAT_WRAPPER(name, type)                                              \
	int name(int ver, const char *path, struct type *buf)                  \
	{                                                                      \
		g_autofree char *sh = shadow_of(path);                         \
		int ret;                                                       \
		REAL(name);                                                    \
		ret = real_fn(ver, sh ? sh : path, buf);                       \
		if (sh && !ret)                                                \
			PATCH_NODE(path, buf);                                 \
		return ret;                                                    \
	}
int __xstat(int ver, const char *path, struct stat *buf);
int __lxstat(int ver, const char *path, struct stat *buf);
int __xstat64(int ver, const char *path, struct stat64 *buf);
int __lxstat64(int ver, const char *path, struct stat64 *buf);
XSTAT_WRAPPER(__xstat, stat)
XSTAT_WRAPPER(__lxstat, stat)
XSTAT_WRAPPER(__xstat64, stat64)
XSTAT_WRAPPER(__lxstat64, stat64)

#define FSTATAT_WRAPPER(name, type)                                            \
	int name(int dirfd, const char *path, struct type *buf, int flags)     \
	{                                                                      \
		g_autofree char *sh = shadow_of(path);                         \
		int ret;                                                       \
		REAL(name);                                                    \
		ret = real_fn(dirfd, sh ? sh : path, buf, flags);              \
		if (sh && !ret)                                                \
			PATCH_NODE(path, buf);                                 \
		return ret;                                                    \
	}
FSTATAT_WRAPPER(fstatat, stat)
FSTATAT_WRAPPER(fstatat64, stat64)

int statx(int dirfd, const char *path, int flags, unsigned int mask,
	  struct statx *buf)
{
	g_autofree char *sh = shadow_of(path);
	int ret;

	REAL(statx);
	ret = real_fn(dirfd, sh ? sh : path, flags, mask, buf);
	if (sh && !ret && is_node(path)) {
		buf->stx_mode = S_IFCHR | 0600;
		buf->stx_rdev_major = 10;
		buf->stx_rdev_minor = minor(node_rdev(path));
		buf->stx_size = 0;
	}
	return ret;
}

/* fstat of a served fd: the character device, not the memfd */
/* Is @fd served in this process? Under the lock: while the fork server
 * serves a forked client it points shim.fds at that client's table
 * (fork.c conn_switch()), so an unlocked look could read a child's. */
bool shim_served_fd(int fd)
{
	bool served;

	if (!shim_serving())
		return false;
	shim_lock();
	served = shim_fd_get(fd) != NULL;
	shim_unlock();
	return served;
}

#define FSTAT_FD_PATCH(fd, buf)                                                \
	do {                                                                   \
		if (shim_served_fd(fd)) {                                      \
			(buf)->st_mode = S_IFCHR | 0600;                       \
			(buf)->st_size = 0;                                    \
		}                                                              \
	} while (0)

#define FSTAT_WRAPPER(name, type)                                              \
	int name(int fd, struct type *buf)                                     \
	{                                                                      \
		int ret;                                                       \
		REAL(name);                                                    \
		ret = real_fn(fd, buf);                                        \
		if (!ret)                                                      \
			FSTAT_FD_PATCH(fd, buf);                               \
		return ret;                                                    \
	}
FSTAT_WRAPPER(fstat, stat)
FSTAT_WRAPPER(fstat64, stat64)

#define FXSTAT_WRAPPER(name, type)                                             \
	int name(int ver, int fd, struct type *buf)                            \
	{                                                                      \
		int ret;                                                       \
		REAL(name);                                                    \
		ret = real_fn(ver, fd, buf);                                   \
		if (!ret)                                                      \
			FSTAT_FD_PATCH(fd, buf);                               \
		return ret;                                                    \
	}
int __fxstat(int ver, int fd, struct stat *buf);
int __fxstat64(int ver, int fd, struct stat64 *buf);
FXSTAT_WRAPPER(__fxstat, stat)
FXSTAT_WRAPPER(__fxstat64, stat64)

/* ---- access, readlink, realpath, opendir ---- */

int access(const char *path, int mode)
{
	g_autofree char *sh = shadow_of(path);

	REAL(access);
	return real_fn(sh ? sh : path, mode);
}

int faccessat(int dirfd, const char *path, int mode, int flags)
{
	g_autofree char *sh = shadow_of(path);

	REAL(faccessat);
	return real_fn(dirfd, sh ? sh : path, mode, flags);
}

ssize_t readlink(const char *path, char *buf, size_t n)
{
	g_autofree char *sh = shadow_of(path);

	REAL(readlink);
	return real_fn(sh ? sh : path, buf, n);
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t n)
{
	g_autofree char *sh = shadow_of(path);

	REAL(readlinkat);
	return real_fn(dirfd, sh ? sh : path, buf, n);
}

/* realpath(): resolved inside the shadow tree, then named as served */
char *realpath(const char *path, char *resolved)
{
	g_autofree char *sh = shadow_of(path);
	char *r;

	REAL(realpath);
	if (!sh)
		return real_fn(path, resolved);
	r = real_fn(sh, NULL);
	if (!r)
		return NULL;
	if (!tree_unshadow(r) || (resolved && strlen(r) >= PATH_MAX)) {
		free(r);
		errno = ENOENT;
		return NULL;
	}
	if (!resolved)
		return r;
	strcpy(resolved, r);
	free(r);
	return resolved;
}

char *canonicalize_file_name(const char *path)
{
	return realpath(path, NULL);
}

#define XATTR_WRAPPER(name)                                                    \
	ssize_t name(const char *path, const char *key, void *val, size_t n)   \
	{                                                                      \
		g_autofree char *sh = shadow_of(path);                         \
		REAL(name);                                                    \
		return real_fn(sh ? sh : path, key, val, n);                   \
	}
XATTR_WRAPPER(getxattr)
XATTR_WRAPPER(lgetxattr)

#define LISTXATTR_WRAPPER(name)                                                \
	ssize_t name(const char *path, char *list, size_t n)                   \
	{                                                                      \
		g_autofree char *sh = shadow_of(path);                         \
		REAL(name);                                                    \
		return real_fn(sh ? sh : path, list, n);                       \
	}
LISTXATTR_WRAPPER(listxattr)
LISTXATTR_WRAPPER(llistxattr)

DIR *opendir(const char *path)
{
	g_autofree char *sh = shadow_of(path);

	REAL(opendir);
	return real_fn(sh ? sh : path);
}
