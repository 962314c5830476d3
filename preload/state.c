// SPDX-License-Identifier: MIT
/*
 * state.c - the shim's one model instance: the load (the scenario's
 * machine and steps run once, IOMMUSIM_SCENARIO), the lock every served
 * call takes, the fd table (a real fd, reserved as a memfd, -> the model
 * file it names) and the pager that backs the model process's VMAs with
 * the real process's own mappings (the VAs a program passes to
 * IOMMU_IOAS_MAP and VFIO_IOMMU_MAP_DMA are its real ones).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

/* the model's process.h spells RLIM_INFINITY too (the same ~0) */
#undef RLIM_INFINITY
#include "preload.h"
#include "model/iommufd/iommufd.h"
#include "model/vfio/vfio.h"
#include "run.h"

struct shim shim;

static pthread_mutex_t shim_mutex = PTHREAD_MUTEX_INITIALIZER;

/* The pager's pages: from 64 GiB up (scenarios' buffers sit at 4 GiB,
 * page tables at PHYSMEM_TABLE_BASE), each paged-in run 2 MiB aligned
 * with a 2 MiB hole after it, so no two runs look contiguous. */
#define PAGER_PA_BASE 0x1000000000ull
#define SZ_2M (2ull << 20)
#define ROUND_UP(x, a) (((x) + (a)-1) / (a) * (a))

void shim_lock(void)
{
	pthread_mutex_lock(&shim_mutex);
}

void shim_unlock(void)
{
	pthread_mutex_unlock(&shim_mutex);
}

void shim_log(const char *fmt, ...)
{
	va_list ap;

	if (!shim.trace)
		return;
	va_start(ap, fmt);
	fputs("iommusim-preload: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- the fd table ---- */

struct shim_file *shim_fd_get(int fd)
{
	return shim.fds ? g_hash_table_lookup(shim.fds, GINT_TO_POINTER(fd))
			: NULL;
}

/* A real fd reserved for a new file of the calling process: a memfd of
 * this one, or the one a forked caller reserved for the call (fork.c). */
static int reserve_fd(const char *name, int flags)
{
	int fd;

	if (shim.caller) {
		fd = shim.spare;
		shim.spare = -1;
		return fd < 0 ? -EMFILE : fd;
	}
	fd = memfd_create(name, flags & O_CLOEXEC ? MFD_CLOEXEC : 0);
	return fd < 0 ? -errno : fd;
}

static int pid_fd_stat(pid_t pid, int fd, struct stat *st, bool *memfd);

int shim_fd_install(struct shim_file *f, int flags)
{
	g_autofree char *name = g_strdup_printf("iommusim:%s", f->path);
	/* a real fd of its own: dup, poll, close-on-exec, /proc/self/fd
	 * all work on it, and no other open can be given its number */
	int fd = reserve_fd(name, flags);

	struct stat st;
	bool memfd;

	if (fd < 0)
		return fd;
	if (!pid_fd_stat(shim.caller, fd, &st, &memfd))
		f->ino = st.st_ino;
	f->refs++;
	g_hash_table_insert(shim.fds, GINT_TO_POINTER(fd), f);
	return fd;
}

void shim_fd_dup(int oldfd, int newfd)
{
	struct shim_file *f = shim_fd_get(oldfd);

	shim_fd_forget(newfd); /* dup2() closed what newfd named */
	if (!f)
		return;
	f->refs++;
	g_hash_table_insert(shim.fds, GINT_TO_POINTER(newfd), f);
}

/* The model's release of a file whose last fd went. */
static void shim_file_release(struct shim_file *f)
{
	shim_log("release %s", f->path);
	vfio_close(f->vf);
	if (f->ictx)
		iommufd_fops_close(f->ictx);
	g_free(f->path);
	g_free(f);
}

void shim_file_put(struct shim_file *f)
{
	if (!--f->refs)
		shim_file_release(f);
}

void shim_fd_forget(int fd)
{
	struct shim_file *f = shim_fd_get(fd);

	if (!f)
		return;
	g_hash_table_remove(shim.fds, GINT_TO_POINTER(fd));
	if (!--f->refs)
		shim_file_release(f);
}

int shim_model_fd(int fd)
{
	struct shim_file *f = shim_fd_get(fd);

	if (fd < 0)
		return fd;
	return f ? vfio_file_fd(f->vf) : INT32_MAX;
}

/* ---- the pager ---- */

/* Where a run of @bytes of fresh pages starts (see PAGER_PA_BASE). */
static u64 take_pa_run(u64 bytes)
{
	u64 base = shim.next_pa;

	shim.next_pa = ROUND_UP(base + bytes, SZ_2M) + SZ_2M;
	return base;
}

/* The pid a model process's hooks act on: hook_data, 0 for this one
 * (a forked caller's, fork.c, is its own) */
static pid_t hook_pid(void *data)
{
	return (pid_t)(intptr_t)data;
}

/* /proc/PID/@what of @pid (0: self) */
static char *proc_path(pid_t pid, const char *what)
{
	return pid ? g_strdup_printf("/proc/%d/%s", (int)pid, what)
		   : g_strdup_printf("/proc/self/%s", what);
}

/* /proc/PID/maps, whole. */
static GString *read_maps(pid_t pid)
{
	g_autofree char *path = proc_path(pid, "maps");
	GString *s = g_string_new(NULL);
	int fd = real_open(path, O_RDONLY | O_CLOEXEC, 0);
	char buf[4096];
	ssize_t n;

	if (fd < 0)
		return s;
	while ((n = real_read(fd, buf, sizeof(buf))) > 0)
		g_string_append_len(s, buf, n);
	real_close(fd);
	return s;
}

/* A line of /proc/self/maps */
struct real_map {
	u64 start, end, offset, inode;
	dev_t dev;
	bool readable, writable, shared;
	bool pfnmap; /* a VFIO BAR's (mmap.c): VM_IO | VM_PFNMAP */
};

/* Whether the maps line at @line (up to its newline) names a BAR's memfd */
static bool is_bar_line(const char *line)
{
	const char *nl = strchr(line, '\n');
	const char *hit = strstr(line, "/memfd:" SHIM_BAR_MEMFD);

	return hit && (!nl || hit < nl);
}

/* The real mapping of @pid holding @va; false when @va is not mapped. */
static bool real_mapping(pid_t pid, u64 va, struct real_map *m)
{
	g_autoptr(GString) maps = read_maps(pid);
	char *line = maps->str;

	while (line && *line) {
		unsigned long long s, e, off = 0, ino = 0;
		unsigned int maj = 0, mnr = 0;
		char perms[5] = "";

		if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu", &s, &e, perms,
			   &off, &maj, &mnr, &ino) >= 3 &&
		    va >= s && va < e) {
			*m = (struct real_map){
				.start = s,
				.end = e,
				.offset = off,
				.inode = ino,
				.dev = makedev(maj, mnr),
				.readable = perms[0] == 'r',
				.writable = perms[1] == 'w',
				.shared = perms[3] == 's',
				.pfnmap = is_bar_line(line),
			};
			return m->readable || m->writable;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return false;
}

/* ---- files by inode: a memfd's pages are the same pages through every
 * fd and every shared mapping of it (shmem's page cache) ---- */

static GHashTable *inode_files; /* "dev:ino" -> struct file * (a ref) */

/* Fresh PAs for @n pages, one run. */
static u64 *fresh_pages(u64 n)
{
	u64 base = take_pa_run(n * PROCESS_PAGE_SIZE);
	u64 *pa = g_new(u64, n ? n : 1);

	for (u64 i = 0; i < n; i++)
		pa[i] = base + i * PROCESS_PAGE_SIZE;
	return pa;
}

/* The model's file for inode @ino of @dev, at least @size bytes long
 * (pages past its old end fresh). The table keeps a reference. */
static struct file *inode_file(dev_t dev, u64 ino, u64 size, bool shmem)
{
	g_autofree char *key = g_strdup_printf("%lx:%llu", (unsigned long)dev,
					       (unsigned long long)ino);
	struct file *f = g_hash_table_lookup(inode_files, key);
	u64 old = 0, n = (size + PROCESS_PAGE_SIZE - 1) / PROCESS_PAGE_SIZE;

	if (!f) {
		f = g_new0(struct file, 1);
		f->refs = 1;
		f->shmem = shmem;
		g_hash_table_insert(inode_files, g_steal_pointer(&key), f);
	} else {
		old = (f->size + PROCESS_PAGE_SIZE - 1) / PROCESS_PAGE_SIZE;
	}
	if (n > old) {
		g_autofree u64 *tail = fresh_pages(n - old);

		for (u64 i = old; i < n; i++)
			shmem_page_insert(f, i, tail[i - old]);
	}
	f->size = MAX(f->size, size);
	return f;
}

/* The file's pages from @first on, as a VMA takes them */
struct file_run {
	const struct file *f;
	u64 first;
};

static u64 file_run_pa(u64 i, const void *priv)
{
	const struct file_run *r = priv;

	return shmem_page_find(r->f, r->first + i);
}

/* The VMA [start, end) of real mapping @m with its pages: the file's
 * for a shared mapping of a file (shmem, a memfd), else fresh ones. */
static int page_in(struct process *p, const struct real_map *m, u64 start,
		   u64 end)
{
	struct file_run run;
	struct file *f;
	int rc;

	if (!m->shared || !m->inode)
		return process_mmap_contig(p, start, end - start,
					   take_pa_run(end - start),
					   m->writable);
	f = inode_file(m->dev, m->inode, m->offset + (m->end - m->start), true);
	run.f = f;
	run.first = (m->offset + (start - m->start)) / PROCESS_PAGE_SIZE;
	rc = process_mmap_fn(p, start, end - start, file_run_pa, &run,
			     m->writable);
	/* vfio_pci_core_mmap()'s vm_flags_set(VM_IO | VM_PFNMAP ...) */
	if (!rc && m->pfnmap)
		rc = process_set_pfnmap(p, start);
	return rc;
}

/*
 * process->fault: the page at @va as get_user_pages() finds it in the
 * real process. Up to 2 MiB around it (within the real mapping and the
 * gap between the model's VMAs) becomes a model VMA, so a buffer keeps
 * its PAs for as long as it stays mapped.
 */
static int shim_pager(struct process *p, u64 va, void *data)
{
	u64 start, end, lo = va & ~(SZ_2M - 1), hi = lo + SZ_2M;
	struct real_map m;

	if (p->exited || !real_mapping(hook_pid(data), va, &m))
		return -EFAULT;
	start = MAX(m.start, lo);
	end = MIN(m.end, hi);
	for (guint i = 0; i < p->vmas->len; i++) {
		const struct vma *v = p->vmas->pdata[i];

		if (v->start + v->length <= va)
			start = MAX(start, v->start + v->length);
		else if (v->start > va)
			end = MIN(end, v->start);
	}
	if (page_in(p, &m, start, end))
		return -EFAULT;
	shim_log("paged in %#llx-%#llx%s%s", (unsigned long long)start,
		 (unsigned long long)end,
		 m.pfnmap	       ? " (a BAR's, VM_PFNMAP)"
		 : m.shared && m.inode ? " (a file's)"
				       : "",
		 m.writable ? "" : " (read-only)");
	return 0;
}

/* ---- the model process's files: its fd numbers are the real ones ---- */

/* process->fd_alloc: a file the model installs (an event queue's
 * anon-inode file) gets a real fd reserved for its number. */
static int shim_fd_alloc(struct process *p, void *data)
{
	(void)p;
	(void)data;
	return reserve_fd("iommusim:anon_inode", O_CLOEXEC);
}

/* process->access_vm: the program's own memory, through
 * process_vm_readv()/process_vm_writev() on itself, so an address it no
 * longer maps is -EFAULT (as copy_to_user() has it), not a crash */
static int vm_rw(pid_t pid, u64 va, void *buf, u64 len, bool write)
{
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)va,
				.iov_len = len };
	ssize_t n;

	n = write ? process_vm_writev(pid, &local, 1, &remote, 1, 0)
		  : process_vm_readv(pid, &local, 1, &remote, 1, 0);
	return n == (ssize_t)len ? 0 : -EFAULT;
}

/*
 * A forked process that is gone (fork.c): its pinned pages are still
 * there in the kernel, and their contents are reachable where this
 * process maps the same pages: a page the model gives the same PA in
 * both (a shared mapping of the same inode, inode_file()) is read or
 * written here; any other is -EFAULT (a private page of the dead
 * process: its contents went with it, as far as the shim can see).
 */
static int gone_rw(struct process *p, u64 va, void *buf, u64 len, bool write)
{
	while (len) {
		u64 n = MIN(len, PROCESS_PAGE_SIZE - va % PROCESS_PAGE_SIZE);
		u64 pa = process_va_to_pa(p, va, NULL);

		if (!pa || pa != process_va_to_pa(shim.self.task, va, NULL) ||
		    vm_rw(getpid(), va, buf, n, write))
			return -EFAULT;
		va += n;
		buf = (char *)buf + n;
		len -= n;
	}
	return 0;
}

static int shim_access_vm(struct process *p, u64 va, void *buf, u64 len,
			  bool write, void *data)
{
	pid_t pid = hook_pid(data);

	if (!pid)
		return vm_rw(getpid(), va, buf, len, write);
	if (!p->exited && !vm_rw(pid, va, buf, len, write))
		return 0;
	return gone_rw(p, va, buf, len, write);
}

/* process->fd_lookup: the program's own fd (a memfd for
 * IOMMU_IOAS_MAP_FILE) as a file of the model process: its inode's
 * (inode_file()); shmem only for a memfd (F_GET_SEALS answers only for
 * one). Any other open fd (a tty, /dev/null, a pipe) is a file too, as
 * fget() takes any: the model then judges it as 7.3 does (not a dma-buf,
 * not shmem: memfd_pin_folios()'s -EINVAL at the first pin). */
/* fstat() of fd @fd of @pid (0: self); *memfd: F_GET_SEALS answers */
static int pid_fd_stat(pid_t pid, int fd, struct stat *st, bool *memfd)
{
	g_autofree char *path = NULL;
	int rfd;

	if (!pid) {
		*memfd = fcntl(fd, F_GET_SEALS) >= 0;
		return fstat(fd, st);
	}
	path = g_strdup_printf("/proc/%d/fd/%d", (int)pid, fd);
	rfd = real_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (rfd < 0)
		return -1;
	*memfd = fcntl(rfd, F_GET_SEALS) >= 0;
	fd = fstat(rfd, st);
	real_close(rfd);
	return fd;
}

static struct file *shim_fd_lookup(struct process *p, int fd, void *data)
{
	struct stat st;
	struct file *f;
	bool memfd;

	(void)p;
	if (shim_fd_get(fd))
		return NULL;
	/* an eventfd's inode is the one anon inode: not a file by inode */
	f = shim_eventfd_lookup(hook_pid(data), fd);
	if (f)
		return f;
	if (pid_fd_stat(hook_pid(data), fd, &st, &memfd))
		return NULL;
	/* only a regular file's size is its length (a device's is 0) */
	f = inode_file(st.st_dev, st.st_ino,
		       S_ISREG(st.st_mode) ? st.st_size : 0, memfd);
	f->refs++; /* the fd table's */
	shim_log("fd %d: %s of %llu bytes for the model", fd,
		 f->shmem	       ? "a memfd"
		 : S_ISREG(st.st_mode) ? "a file"
				       : "a non-regular file",
		 (unsigned long long)f->size);
	return f;
}

void shim_file_sync(int fd)
{
	struct process *p = shim.task;
	struct stat st;
	struct file *f;
	bool memfd;

	if (fd < 0 || (unsigned int)fd >= p->files->len ||
	    pid_fd_stat(shim.caller, fd, &st, &memfd))
		return;
	f = p->files->pdata[fd];
	if (!f || !f->pages)
		return;
	inode_file(st.st_dev, st.st_ino, st.st_size, f->shmem);
	f->size = st.st_size; /* ftruncate() may have shrunk it */
}

void shim_close_model_file(int fd)
{
	struct process *p = shim.task;

	if (fd >= 0 && (unsigned int)fd < p->files->len && p->files->pdata[fd])
		process_close_fd(p, fd);
}

bool shim_model_file_rw(int fd, void *buf, size_t n, bool positioned,
			bool write, ssize_t *ret)
{
	struct file *f = process_file_at(shim.task, fd);

	if (!f || !(f->read || f->write))
		return false;
	/* an anon-inode file has no FMODE_PREAD/PWRITE: vfs says -ESPIPE */
	*ret = positioned ? -ESPIPE
			  : process_file_rw(shim.task, fd, (uintptr_t)buf, n,
					    write);
	return true;
}

bool shim_vfio_rw(int fd, void *buf, size_t n, off_t *off, bool write,
		  ssize_t *ret)
{
	struct shim_file *f = shim_fd_get(fd);
	off_t pos;

	if (!f || f->ictx || !f->vf || f->fail_nth)
		return false;
	pos = off ? *off : f->pos;
	/* rw_verify_area(): a negative position is -EINVAL */
	*ret = pos < 0 ? -EINVAL
		       : vfio_device_rw(f->vf, buf, n, (uint64_t)pos, write,
					NULL);
	if (!off && *ret > 0)
		f->pos += *ret;
	shim_log("%s of %s: %zu bytes at 0x%llx: %zd", write ? "write" : "read",
		 f->path, n, (unsigned long long)pos, *ret);
	return true;
}

void shim_forget_memory(unsigned long long addr, unsigned long long len)
{
	u64 start = addr & ~(PROCESS_PAGE_SIZE - 1);
	u64 end = ROUND_UP(addr + len, PROCESS_PAGE_SIZE);

	if (shim.ready && end > start)
		process_munmap_range(shim.task, start, end - start);
}

/* ---- the load ---- */

static void __attribute__((noreturn)) shim_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("iommusim-preload: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	_exit(2);
}

static bool scenario_sets_memlock(const struct scenario *sc)
{
	for (guint i = 0; i < sc->stmts->len; i++) {
		const struct statement *st = sc->stmts->pdata[i];

		if (!strcmp(st->verb, "setrlimit"))
			return true;
	}
	return false;
}

void shim_task_hooks(struct process *p, pid_t pid)
{
	p->fault = shim_pager;
	p->fd_alloc = shim_fd_alloc;
	p->fd_lookup = shim_fd_lookup;
	p->access_vm = shim_access_vm;
	p->hook_data = (void *)(intptr_t)pid;
}

/* The program as the model sees it: the scenario's capabilities (capset;
 * every one by default) and RLIMIT_MEMLOCK (setrlimit; the real
 * process's when the scenario sets none), no memory but what the pager
 * brings in. */
static void shim_task(const struct scenario *sc, struct process *scn_task)
{
	struct rlimit rl;

	shim.task = process_new();
	shim.task->caps = scn_task->caps;
	shim.task->rlimit_memlock = scn_task->rlimit_memlock;
	if (!scenario_sets_memlock(sc) && !getrlimit(RLIMIT_MEMLOCK, &rl))
		shim.task->rlimit_memlock = (u64)rl.rlim_cur;
	shim_task_hooks(shim.task, 0);
	process_put(scn_task);
}

/* Run the scenario once: its machine and its steps, each of which must
 * hold (a program served by a machine it did not ask for is no test). */
static void shim_run(const char *path)
{
	struct run_opts opts = { .keep_model = &shim.m };
	struct process *scn_task = NULL;
	struct scenario *sc;
	struct run_result *rr;
	GError *err = NULL;

	opts.keep_task = &scn_task;
	sc = scenario_load(path, &err);
	if (!sc)
		shim_fail("%s", err->message);
	rr = scenario_run(sc, &opts, &err);
	if (!rr)
		shim_fail("%s", err->message);
	for (guint i = 0; i < rr->steps->len; i++) {
		const struct step_result *sr = rr->steps->pdata[i];

		if (!sr->pass)
			shim_fail("%s:%d: %s", path, sr->st->line,
				  sr->failure ? sr->failure : "failed");
	}
	shim_task(sc, scn_task);
	run_result_free(rr);
	scenario_free(sc);
}

/* The exit of the process the shim loaded in: its shadow tree goes,
 * unless the wrapper's directory holds it (processes it forked may run
 * on, a keeper's clients among them: the wrapper removes it at the end) */
static void shim_exit(void)
{
	fork_owner_exit();
	if (getpid() == shim.owner && !getenv("IOMMUSIM_PRELOAD_DIR"))
		tree_remove();
}

__attribute__((constructor)) static void shim_init(void)
{
	const char *path = getenv("IOMMUSIM_SCENARIO");

	if (!path || !*path)
		shim_fail("IOMMUSIM_SCENARIO is not set: it names the scenario "
			  "whose machine serves /dev/iommu and /dev/vfio "
			  "(`iommusim exec SCENARIO -- PROGRAM` sets it)");
	shim.trace = getenv("IOMMUSIM_PRELOAD_TRACE") != NULL;
	shim.next_pa = PAGER_PA_BASE;
	shim_run(path);
	shim.fds = g_hash_table_new(g_direct_hash, g_direct_equal);
	shim.self.fds = shim.fds;
	shim.self.task = shim.task;
	shim.spare = -1;
	inode_files = g_hash_table_new(g_str_hash, g_str_equal);
	shim.owner = getpid();
	if (tree_build())
		shim_fail("cannot build the shadow tree: %s", strerror(errno));
	atexit(shim_exit);
	/* fork(): the child's served calls come here (fork.c) */
	pthread_atfork(fork_prepare, fork_parent, fork_child);
	shim.ready = true;
	shim_enter();
	inherit_adopt(); /* what the image before left open */
	shim_leave();
	shim_log("serving %s", path);
	shim_lsan_track(false); /* the program's allocations from here on */
}

/* ---- introspection for tests (tests/preload/client.c finds these with
 * dlsym(RTLD_DEFAULT)): the model's own answers, as a scenario's checks
 * read them, to compare with what the ioctls said ---- */

/* The PA the model process has behind @va (paging it in), 0: none. */
uint64_t iommusim_preload_va_to_pa(const void *va)
{
	uint64_t pa;

	shim_lock();
	pa = process_va_to_pa(shim.task, (uintptr_t)va, NULL);
	shim_unlock();
	return pa;
}

/* The PA IOAS @ioas_id of the /dev/iommu fd @fd maps @iova to through
 * its areas (iommufd_view_iova_to_phys()), 0: none or not an iommufd. */
uint64_t iommusim_preload_iova_to_phys(int fd, uint32_t ioas_id, uint64_t iova)
{
	struct shim_file *f;
	uint64_t pa = 0;

	shim_lock();
	f = shim.client ? NULL : shim_fd_get(fd); /* a forked one's: not here */
	if (f && f->ictx)
		pa = iommufd_view_iova_to_phys(f->ictx, ioas_id, iova);
	shim_unlock();
	return pa;
}
