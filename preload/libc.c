// SPDX-License-Identifier: MIT
/*
 * libc.c - the libc functions the shim interposes (LD_PRELOAD puts these
 * before libc's). Each asks whether its path or fd is served (tree.c,
 * state.c's fd table): if so the model answers, under the shim's lock;
 * if not, libc's own function (dlsym(RTLD_NEXT)) does, untouched.
 *
 * While a thread is inside the shim (in_shim) every call it makes, the
 * model's mallocs and frees among them, goes straight to libc. Raw
 * syscalls and libc's internal calls (fopen's open, scandir's opendir)
 * are not seen: docs/preload.md lists what is and is not served.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <dirent.h>

#include "preload.h"
#include "model/iommufd/iommufd.h"
#include "model/vfio/vfio.h"

static __thread bool in_shim;

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SHIM_ASAN 1
#endif
#elif defined(__SANITIZE_ADDRESS__)
#define SHIM_ASAN 1
#endif

#ifdef SHIM_ASAN
#include <sanitizer/lsan_interface.h>
/* whether this thread has LeakSanitizer off for the program's own
 * allocations (__lsan_disable() once: enabling more often than it was
 * disabled is fatal) */
static __thread bool lsan_off;
#endif

/*
 * The sanitized build (docs/testing.md): LeakSanitizer tracks what the
 * shim and the model allocate and nothing of the program's, which is not
 * ours to judge (the kernel's selftests leak at exit, so do ls and sh).
 * A thread's allocations are ignored from its first return from the
 * shim on, and tracked again while it is inside (@on): a block the model
 * allocates and loses is reported at exit, the program's are not.
 */
/*
 * LeakSanitizer's own switch (lsan_interface.h), checked at exit: off in
 * a forked process (fork.c). Its copy of the model is not used, and the
 * owner's server thread it copied the memory of does not exist in it:
 * what only that thread's stack pointed at looks leaked. The model's
 * work for it is done, and checked, in the owner.
 */
int __lsan_is_turned_off(void)
{
	return shim.client;
}

void shim_lsan_track(bool on)
{
#ifdef SHIM_ASAN
	if (on && lsan_off)
		__lsan_enable();
	else if (!on)
		__lsan_disable();
	lsan_off = !on;
#else
	(void)on;
#endif
}

/* libc's @name, looked up once */
#define REAL(name)                                                             \
	static __typeof__(&name) real_fn;                                      \
	if (!real_fn)                                                          \
	real_fn = (__typeof__(&name))dlsym(RTLD_NEXT, #name)

bool shim_serving(void)
{
	return shim.ready && !in_shim;
}

static bool serving(void)
{
	return shim_serving();
}

void shim_thread_inside(void)
{
	in_shim = true;
}

static void enter(void)
{
	shim_lock();
	in_shim = true;
	shim_lsan_track(true);
	if (!shim.client)
		fork_reap();
}

static void leave(void)
{
	shim_lsan_track(false);
	in_shim = false;
	shim_unlock();
}

void shim_enter(void)
{
	enter();
}

void shim_leave(void)
{
	leave();
}

static long fail(long err)
{
	errno = (int)-err;
	return -1;
}

int real_open(const char *path, int flags, mode_t mode)
{
	REAL(open);
	return real_fn(path, flags, mode);
}

int real_close(int fd)
{
	REAL(close);
	return real_fn(fd);
}

ssize_t real_read(int fd, void *buf, size_t n)
{
	REAL(read);
	return real_fn(fd, buf, n);
}

/* ---- exit ---- */

/* _exit() (exit() calls libc's own, not this): the model's owner hands
 * the model to a keeper first if others are served (fork.c) */
#define EXIT_WRAPPER(name)                                                     \
	void name(int status)                                                  \
	{                                                                      \
		REAL(name);                                                    \
		if (serving())                                                 \
			fork_owner_exit();                                     \
		real_fn(status);                                               \
		for (;;)                                                       \
			;                                                      \
	}
EXIT_WRAPPER(_exit)
EXIT_WRAPPER(_Exit)

/* ---- open ---- */

/* open() of a node: the model's open, then a real fd naming it. */
int shim_open_node(const char *norm, int flags)
{
	struct shim_file *f = g_new0(struct shim_file, 1);
	int ret = 0, fd;

	f->path = g_strdup(norm);
	iommu_model_begin(shim.m);
	if (!strcmp(norm, "/dev/iommu")) {
		ret = iommufd_dev_open(shim.m, &f->ictx);
		if (!ret)
			f->vf = vfio_file_iommufd(shim.m, shim.task, f->ictx);
	} else {
		ret = vfio_open(shim.m, shim.task, norm, &f->vf);
	}
	shim_log("open %s -> %d%s%s", norm, ret, shim.m->why->len ? ": " : "",
		 shim.m->why->str);
	if (ret)
		goto err_free;
	fd = shim_fd_install(f, flags);
	if (fd >= 0) {
		shim.used = true;
		return fd;
	}
	ret = fd;
	vfio_close(f->vf);
	if (f->ictx)
		iommufd_fops_close(f->ictx);
err_free:
	g_free(f->path);
	g_free(f);
	return ret;
}

/* open() of this process's fail-nth file: the model's knob (failnth.c) */
int shim_open_fail_nth(const char *norm, int flags)
{
	struct shim_file *f = g_new0(struct shim_file, 1);
	int fd;

	f->path = g_strdup(norm);
	f->fail_nth = true;
	fd = shim_fd_install(f, flags);
	shim.used |= fd >= 0;
	if (fd < 0) {
		g_free(f->path);
		g_free(f);
	}
	return fd;
}

/* Writable: the debugfs fault attributes (accepted, not read), which
 * exist (O_CREAT creates nothing there, as in debugfs) */
static bool writable(const char *norm, const char *shadow)
{
	return g_str_has_prefix(norm, "/sys/kernel/debug/") &&
	       g_file_test(shadow, G_FILE_TEST_IS_REGULAR);
}

/* A served path: -errno or an fd; *served false for the others. */
static int served_open(const char *path, int flags, mode_t mode, bool *served)
{
	g_autofree char *shadow = NULL, *norm = NULL;
	bool node;
	int ret;

	if (serving() && path && path[0] == '/') {
		norm = tree_normalize(path);
		if (failnth_path(norm)) {
			*served = true;
			enter();
			rdv_join();
			ret = shim.client ? client_open(norm, flags, true)
					  : shim_open_fail_nth(norm, flags);
			leave();
			return ret;
		}
		if (g_str_has_prefix(norm, "/proc/") &&
		    g_str_has_suffix(norm, "/status")) {
			enter();
			ret = shim_status_open(norm);
			leave();
			*served = ret != -ENOENT;
			if (*served)
				return ret;
		}
	}
	*served = serving() && tree_served(path, &shadow);
	if (!*served)
		return 0;
	g_free(norm);
	norm = tree_normalize(path);
	enter();
	node = tree_is_node(norm) && !(flags & (O_PATH | O_DIRECTORY));
	if (node) {
		rdv_join(); /* the tree's one model serves it */
		ret = shim.client ? client_open(norm, flags, false)
				  : shim_open_node(norm, flags);
	} else if (((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT)) &&
		   !writable(norm, shadow))
		ret = -EACCES; /* the machine is the scenario's to change */
	else if ((ret = real_open(shadow, flags & ~O_CREAT, mode)) < 0)
		ret = -errno; /* a shadow entry: its real fd */
	leave();
	return ret;
}

/* open() and openat() alike: @params as libc declares them, @args
 * libc's own call with the mode read from the variadic tail */
#define OPEN_WRAPPER(name, params, args)                                       \
	int name params                                                        \
	{                                                                      \
		mode_t mode = 0;                                               \
		bool served;                                                   \
		int ret;                                                       \
		REAL(name);                                                    \
		if (flags & (O_CREAT | __O_TMPFILE)) {                         \
			va_list ap;                                            \
			va_start(ap, flags);                                   \
			mode = va_arg(ap, mode_t);                             \
			va_end(ap);                                            \
		}                                                              \
		ret = served_open(path, flags, mode, &served);                 \
		if (!served)                                                   \
			return real_fn args;                                   \
		return ret < 0 ? fail(ret) : ret;                              \
	}
OPEN_WRAPPER(open, (const char *path, int flags, ...), (path, flags, mode))
OPEN_WRAPPER(open64, (const char *path, int flags, ...), (path, flags, mode))
OPEN_WRAPPER(openat, (int dirfd, const char *path, int flags, ...),
	     (dirfd, path, flags, mode))
OPEN_WRAPPER(openat64, (int dirfd, const char *path, int flags, ...),
	     (dirfd, path, flags, mode))

/* _FORTIFY_SOURCE's checked variants */
int __open_2(const char *path, int flags)
{
	return open(path, flags);
}

int __open64_2(const char *path, int flags)
{
	return open64(path, flags);
}

int __openat_2(int dirfd, const char *path, int flags)
{
	return openat(dirfd, path, flags);
}

int __openat64_2(int dirfd, const char *path, int flags)
{
	return openat64(dirfd, path, flags);
}

FILE *fopen(const char *path, const char *mode)
{
	bool served;
	int ret, flags = strpbrk(mode, "wa+") ? O_RDWR : O_RDONLY;

	REAL(fopen);
	ret = served_open(path, flags | (strchr(mode, 'e') ? O_CLOEXEC : 0), 0,
			  &served);
	if (!served)
		return real_fn(path, mode);
	if (ret < 0) {
		errno = -ret;
		return NULL;
	}
	return fdopen(ret, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
	return fopen(path, mode);
}

/* ---- fds: close, dup ---- */

int close(int fd)
{
	REAL(close);
	if (serving()) {
		enter();
		if (shim.client) {
			client_close(fd);
		} else {
			shim_fd_forget(fd);
			shim_close_model_file(fd);
		}
		leave();
	}
	return real_fn(fd);
}

/* After a successful dup of @oldfd to @newfd: the table follows. */
static int dup_done(int oldfd, int newfd)
{
	if (newfd >= 0 && newfd != oldfd && serving()) {
		enter();
		if (shim.client)
			client_dup(oldfd, newfd);
		else
			shim_fd_dup(oldfd, newfd);
		leave();
	}
	return newfd;
}

int dup(int fd)
{
	REAL(dup);
	return dup_done(fd, real_fn(fd));
}

int dup2(int oldfd, int newfd)
{
	REAL(dup2);
	return dup_done(oldfd, real_fn(oldfd, newfd));
}

int dup3(int oldfd, int newfd, int flags)
{
	REAL(dup3);
	return dup_done(oldfd, real_fn(oldfd, newfd, flags));
}

#define FCNTL_WRAPPER(name)                                                    \
	int name(int fd, int cmd, ...)                                         \
	{                                                                      \
		va_list ap;                                                    \
		void *arg;                                                     \
		int ret;                                                       \
		REAL(name);                                                    \
		va_start(ap, cmd);                                             \
		arg = va_arg(ap, void *);                                      \
		va_end(ap);                                                    \
		ret = real_fn(fd, cmd, arg);                                   \
		if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)                  \
			dup_done(fd, ret);                                     \
		return ret;                                                    \
	}
FCNTL_WRAPPER(fcntl)
FCNTL_WRAPPER(fcntl64)

/* ---- ioctl, read, write, mmap ---- */

int ioctl(int fd, unsigned long request, ...)
{
	struct shim_file *f;
	va_list ap;
	void *arg;
	long ret;

	REAL(ioctl);
	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!serving() || !shim_served_fd(fd))
		return real_fn(fd, request, arg);
	enter();
	f = shim_fd_get(fd);
	if (shim.client) /* its table's entries are the owner's to read */
		ret = client_ioctl(fd, request, arg);
	else
		ret = !f	    ? -EBADF
		      : f->fail_nth ? -ENOTTY
				    : shim_ioctl(f, request, arg);
	leave();
	return ret < 0 ? (int)fail(ret) : (int)ret;
}

/* read/write of a VFIO file (the config region of a device: the
 * model's vfio_device_rw(), at the pread/pwrite offset or the file's
 * position); a forked child's are not served (no_rw()) */
static bool vfio_rw(int fd, void *buf, size_t n, off_t *off, bool write,
		    ssize_t *ret)
{
	bool served;

	if (!serving() || shim.client || !shim_served_fd(fd))
		return false;
	enter();
	served = shim_vfio_rw(fd, buf, n, off, write, ret);
	leave();
	if (served && *ret < 0) {
		errno = (int)-*ret;
		*ret = -1;
	}
	return served;
}

/* read/write of a served fd: iommufd has no read or write */
static bool no_rw(int fd)
{
	if (!serving() || !shim_served_fd(fd))
		return false;
	shim_log("read/write on a served fd %d: not modelled, EINVAL", fd);
	errno = EINVAL;
	return true;
}

/* read/write of a fail-nth fd (failnth.c): true when @fd is one, the
 * result in *ret; @off NULL for the file position's kinds */
static bool fail_nth_rw(int fd, void *buf, size_t n, off_t *off, bool write,
			ssize_t *ret)
{
	struct shim_file *f;
	off_t pos;

	if (!serving() || !shim_served_fd(fd))
		return false;
	if (shim.client) { /* the owner answers: fail-nth, or EINVAL */
		enter();
		*ret = client_rw(fd, buf, n, off, write);
		leave();
		goto out;
	}
	enter();
	f = shim_fd_get(fd);
	if (!f || !f->fail_nth) {
		leave();
		return false;
	}
	pos = off ? *off : f->pos;
	*ret = write ? failnth_write(buf, n) : failnth_read(buf, n, &pos);
	if (!off && *ret > 0 && !write)
		f->pos = pos;
	leave();
out:
	if (*ret < 0) {
		errno = (int)-*ret;
		*ret = -1;
	}
	return true;
}

/* read/write of a file the model installed (an event queue's fd, a
 * memfd to the real system): its fops (eventq.c) */
static bool model_file_rw(int fd, void *buf, size_t n, bool positioned,
			  bool write, ssize_t *ret)
{
	bool served;

	if (!serving())
		return false;
	enter();
	served = shim.client
			 ? client_model_rw(fd, buf, n, positioned, write, ret)
			 : shim_model_file_rw(fd, buf, n, positioned, write,
					      ret);
	leave();
	if (served && *ret < 0) {
		errno = (int)-*ret;
		*ret = -1;
	}
	return served;
}

/* read(), write() and their positioned kinds: @params as libc declares
 * them, @args libc's own call, @off the position or NULL, @w a write */
#define RW_WRAPPER(name, params, args, off, w)                                 \
	ssize_t name params                                                    \
	{                                                                      \
		ssize_t ret;                                                   \
		REAL(name);                                                    \
		if (fail_nth_rw(fd, (void *)buf, n, off, w, &ret))             \
			return ret;                                            \
		if (model_file_rw(fd, (void *)buf, n, off != NULL, w, &ret))   \
			return ret;                                            \
		if (vfio_rw(fd, (void *)buf, n, off, w, &ret))                 \
			return ret;                                            \
		return no_rw(fd) ? -1 : real_fn args;                          \
	}
RW_WRAPPER(read, (int fd, void *buf, size_t n), (fd, buf, n), NULL, false)
RW_WRAPPER(write, (int fd, const void *buf, size_t n), (fd, buf, n), NULL, true)
RW_WRAPPER(pread, (int fd, void *buf, size_t n, off_t off), (fd, buf, n, off),
	   &off, false)
RW_WRAPPER(pwrite, (int fd, const void *buf, size_t n, off_t off),
	   (fd, buf, n, off), &off, true)
RW_WRAPPER(pread64, (int fd, void *buf, size_t n, off64_t off),
	   (fd, buf, n, off), &off, false)
RW_WRAPPER(pwrite64, (int fd, const void *buf, size_t n, off64_t off),
	   (fd, buf, n, off), &off, true)

/* The model process forgets what the real process unmapped. */
static void forget(void *addr, size_t len)
{
	if (!serving())
		return;
	enter();
	if (shim.client) {
		client_forget((uintptr_t)addr, len);
	} else {
		shim_forget_memory((uintptr_t)addr, len);
		shim_vma_unmap((uintptr_t)addr, len);
	}
	leave();
}

/* mmap() of a served fd: a /dev/iommu region (mmap.c); a forked child's
 * is not served (EINVAL, as before mmap was modelled) */
static void *served_mmap(void *addr, size_t len, int prot, int flags, int fd,
			 off_t off)
{
	void *ret = MAP_FAILED;
	int err = EINVAL;

	enter();
	if (!shim.client) {
		ret = shim_mmap_served(fd, addr, len, prot, flags, off, &err);
		if (ret != MAP_FAILED && (flags & MAP_FIXED))
			shim_forget_memory((uintptr_t)ret, len);
	}
	leave();
	if (ret == MAP_FAILED)
		errno = err;
	return ret;
}

#define SZ_2M (2ul << 20)
#define ALIGN_2M(x) (((x) + SZ_2M - 1) & ~(SZ_2M - 1))

/*
 * An anonymous MAP_HUGETLB the host refused (no huge pages reserved):
 * 2 MiB-aligned normal pages instead, the length rounded up to 2 MiB as
 * hugetlbfs rounds it. The model's pager backs each 2 MiB of it with one
 * aligned, physically contiguous run, which is what an IOMMU sees of a
 * huge page; the host's memory is not huge pages (docs/preload.md).
 */
static void *hugetlb_fallback(void *(*real_mmap)(void *, size_t, int, int, int,
						 off_t),
			      void *addr, size_t len, int prot, int flags)
{
	size_t alen = ALIGN_2M(len);
	uintptr_t p, a;

	/* the size bits reach bit 31: unsigned (63 << 26 overflows int) */
	flags = (int)((unsigned int)flags &
		      ~(MAP_HUGETLB | (0x3fu << MAP_HUGE_SHIFT)));
	if (flags & MAP_FIXED) {
		if ((uintptr_t)addr % SZ_2M)
			return MAP_FAILED;
		return real_mmap(addr, alen, prot, flags, -1, 0);
	}
	/* over-allocate, keep the aligned middle */
	p = (uintptr_t)real_mmap(NULL, alen + SZ_2M, prot, flags, -1, 0);
	if (p == (uintptr_t)MAP_FAILED)
		return MAP_FAILED;
	a = ALIGN_2M(p);
	if (a > p)
		munmap((void *)p, a - p);
	if (a + alen < p + alen + SZ_2M)
		munmap((void *)(a + alen), p + alen + SZ_2M - (a + alen));
	shim_log("MAP_HUGETLB of %zu bytes: 2 MiB-aligned normal pages at %p",
		 len, (void *)a);
	return (void *)a;
}

#define MMAP_WRAPPER(name)                                                     \
	void *name(void *addr, size_t len, int prot, int flags, int fd,        \
		   off_t off)                                                  \
	{                                                                      \
		void *ret;                                                     \
		REAL(name);                                                    \
		if (serving() && shim_served_fd(fd))                           \
			return served_mmap(addr, len, prot, flags, fd, off);   \
		ret = real_fn(addr, len, prot, flags, fd, off);                \
		if (ret == MAP_FAILED && errno == ENOMEM && serving() &&       \
		    (flags & MAP_HUGETLB) && (flags & MAP_ANONYMOUS))          \
			ret = hugetlb_fallback(real_fn, addr, len, prot,       \
					       flags);                         \
		if (ret != MAP_FAILED && (flags & MAP_FIXED))                  \
			forget(ret, len);                                      \
		return ret;                                                    \
	}
MMAP_WRAPPER(mmap)
MMAP_WRAPPER(mmap64)

int munmap(void *addr, size_t len)
{
	int ret;

	REAL(munmap);
	ret = real_fn(addr, len);
	if (!ret)
		forget(addr, len);
	return ret;
}

/* mremap() growing a served VMA: EFAULT; MREMAP_DONTUNMAP of it: EINVAL
 * (mmap.c) */
static bool vma_mremap_refused(void *old, size_t old_len, size_t new_len,
			       int flags)
{
	int rc = 0;

	if (!serving())
		return false;
	enter();
	if (!shim.client)
		rc = shim_vma_mremap_check((uintptr_t)old, old_len, new_len,
					   flags);
	leave();
	if (rc)
		errno = -rc;
	return rc != 0;
}

static void vma_moved(void *old, size_t old_len, void *new, size_t new_len)
{
	if (!serving())
		return;
	enter();
	if (!shim.client)
		shim_vma_moved((uintptr_t)old, old_len, (uintptr_t) new,
			       new_len);
	leave();
}

void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	va_list ap;
	void *new_addr, *ret;

	REAL(mremap);
	va_start(ap, flags);
	new_addr = va_arg(ap, void *);
	va_end(ap);
	if (vma_mremap_refused(old, old_len, new_len, flags))
		return MAP_FAILED;
	ret = real_fn(old, old_len, new_len, flags, new_addr);
	if (ret != MAP_FAILED) {
		vma_moved(old, old_len, ret, new_len);
		forget(old, old_len);
		forget(ret, new_len);
	}
	return ret;
}
