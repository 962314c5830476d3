// SPDX-License-Identifier: MIT
/*
 * process.c - the calling process of process.h: capabilities, memlock
 * limit and counters, VMAs with a chosen physical layout, memfds.
 */
#include <string.h>

#include "copy.h"
#include "iommufd/process.h"
#include "core/kerrno.h"
#include "iommu.h"
#include "pt/physmem.h"

#define ROOT_CAPS                                                              \
	(CAP_BIT(CAP_IPC_LOCK) | CAP_BIT(CAP_SYS_RAWIO) |                      \
	 CAP_BIT(CAP_SYS_RESOURCE) | CAP_BIT(CAP_SYS_ADMIN))

struct process *process_new(void)
{
	struct process *p = g_new0(struct process, 1);

	p->refs = 1;
	p->caps = ROOT_CAPS;
	p->rlimit_memlock = MLOCK_LIMIT;
	p->user = g_new0(struct user_struct, 1);
	p->user->refs = 1;
	p->vmas = g_ptr_array_new();
	p->files = g_ptr_array_new();
	return p;
}

const char *process_copy_refusal(const struct process *p)
{
	if (p->fault || p->fd_alloc || p->fd_lookup || p->access_vm)
		return "a process with a pager or fd hooks (a preload shim's)";
	return NULL;
}

int process_setrlimit_memlock(struct process *p, u64 bytes)
{
	if (bytes > p->rlimit_memlock && !capable(p, CAP_SYS_RESOURCE))
		return -EPERM;
	p->rlimit_memlock = bytes;
	return 0;
}

void process_charge_to(struct process *p, struct iommu_model *m)
{
	p->budget = m->physmem;
}

/* Whether any fd is open (a closed one leaves its slot NULL) that the
 * process's state shows */
static bool files_open(const struct process *p)
{
	for (guint fd = 0; fd < p->files->len; fd++) {
		const struct file *f = p->files->pdata[fd];

		if (f && !f->owner_shows)
			return true;
	}
	return false;
}

bool process_is_new(const struct process *p)
{
	return p->caps == ROOT_CAPS && p->rlimit_memlock == MLOCK_LIMIT &&
	       !p->pinned_vm && !p->mm_locked_vm && !p->user->locked_vm &&
	       !p->vmas->len && !files_open(p);
}

/* A VMA's PA list: 8 bytes a page, against p->budget */
static u64 vma_cost(const struct vma *v)
{
	return v->length / PROCESS_PAGE_SIZE * sizeof(u64);
}

static void vma_free(struct process *p, struct vma *v)
{
	if (p->budget)
		physmem_uncharge(p->budget, vma_cost(v));
	g_free(v->page_pa);
	g_free(v);
}

/* A VMA whose list is charged (checked by the caller, or no larger than
 * the one it is cut from) */
static struct vma *vma_new(struct process *p, u64 start, u64 length,
			   bool writable)
{
	struct vma *v = g_new0(struct vma, 1);

	v->start = start;
	v->length = length;
	v->writable = writable;
	v->page_pa = g_new(u64, length / PROCESS_PAGE_SIZE);
	if (p->budget)
		physmem_charge(p->budget, vma_cost(v));
	return v;
}

/* dup_mmap(): the VMA again, each page's PA the child's copy */
static struct vma *vma_fork(struct process *child, const struct vma *v,
			    u64 (*copy_pa)(u64 pa, void *data), void *data)
{
	struct vma *c = vma_new(child, v->start, v->length, v->writable);
	u64 n = v->length / PROCESS_PAGE_SIZE;

	c->pfnmap = v->pfnmap;

	for (u64 i = 0; i < n; i++)
		c->page_pa[i] = copy_pa(v->page_pa[i], data);
	return c;
}

struct process *process_fork(struct process *parent,
			     u64 (*copy_pa)(u64 pa, void *data), void *data)
{
	struct process *c = g_new0(struct process, 1);

	c->refs = 1;
	c->caps = parent->caps;
	c->rlimit_memlock = parent->rlimit_memlock;
	c->user = parent->user;
	c->user->refs++;
	c->vmas = g_ptr_array_new();
	c->files = g_ptr_array_new();
	/* the child's PA lists: no larger than the parent's, charged */
	c->budget = parent->budget;
	for (unsigned int i = 0; i < parent->vmas->len; i++)
		g_ptr_array_add(c->vmas, vma_fork(c, parent->vmas->pdata[i],
						  copy_pa, data));
	for (unsigned int fd = 0; fd < parent->files->len; fd++) {
		struct file *f = parent->files->pdata[fd];

		if (f)
			f->refs++;
		g_ptr_array_add(c->files, f);
	}
	return c;
}

void fput(struct file *f)
{
	if (!f || --f->refs)
		return;
	if (f->release)
		f->release(f->private_data);
	if (f->budget)
		physmem_uncharge(f->budget, f->budget_bytes);
	if (f->pages)
		g_array_free(f->pages, TRUE);
	g_free(f);
}

/* exit(): the files close first (exit_files()), whoever still holds the
 * mm (mmgrab() by iopt_pages) */
static void vmas_free(struct process *p)
{
	for (unsigned int i = 0; i < p->vmas->len; i++)
		vma_free(p, p->vmas->pdata[i]);
	g_ptr_array_set_size(p->vmas, 0);
}

void process_free(struct process *p)
{
	if (!p)
		return;
	for (unsigned int fd = 0; fd < p->files->len; fd++) {
		if (p->files->pdata[fd])
			process_close_fd(p, (int)fd);
	}
	/* exit_mm(): nothing can be pinned from the mm any more; the VMAs
	 * stay as the record of where its pinned pages are (they cannot
	 * move while pinned: a new domain is filled from them) */
	p->exited = true;
	process_put(p);
}

static void free_uid(struct user_struct *u)
{
	if (!--u->refs)
		g_free(u);
}

void process_put(struct process *p)
{
	if (!p || --p->refs)
		return;
	vmas_free(p);
	for (unsigned int i = 0; i < p->files->len; i++)
		fput(p->files->pdata[i]);
	spare_ptr_array_put(p->vmas);
	spare_ptr_array_put(p->files);
	free_uid(p->user);
	g_free(p);
}

static bool page_aligned(u64 v)
{
	return !(v & (PROCESS_PAGE_SIZE - 1));
}

/* Index of the first VMA ending after @va (where @va would go). */
static unsigned int vma_index(const struct process *p, u64 va)
{
	unsigned int i = 0;

	while (i < p->vmas->len) {
		const struct vma *v = p->vmas->pdata[i];

		if (va < v->start + v->length)
			break;
		i++;
	}
	return i;
}

/* process_mmap_fn() with @extra records (bytes) that @pa_of will charge
 * too: -ENOMEM unless both fit */
static int mmap_charged(struct process *p, u64 start, u64 length, u64 extra,
			u64 (*pa_of)(u64 i, const void *priv), const void *priv,
			bool writable)
{
	unsigned int i = vma_index(p, start);
	struct vma *v;

	if (!length || !page_aligned(start) || !page_aligned(length) ||
	    start + length < start)
		return -EINVAL;
	if (i < p->vmas->len &&
	    ((struct vma *)p->vmas->pdata[i])->start < start + length)
		return -EEXIST;
	/* mmap()'s -ENOMEM: the pages cannot be had */
	if (p->budget &&
	    !physmem_may_charge(p->budget,
				length / PROCESS_PAGE_SIZE * sizeof(u64) +
					extra))
		return -ENOMEM;
	v = vma_new(p, start, length, writable);
	for (u64 n = 0; n < length / PROCESS_PAGE_SIZE; n++)
		v->page_pa[n] = pa_of(n, priv);
	g_ptr_array_insert(p->vmas, i, v);
	return 0;
}

int process_mmap_fn(struct process *p, u64 start, u64 length,
		    u64 (*pa_of)(u64 i, const void *priv), const void *priv,
		    bool writable)
{
	return mmap_charged(p, start, length, 0, pa_of, priv, writable);
}

static u64 pa_from_list(u64 i, const void *priv)
{
	return ((const u64 *)priv)[i];
}

int process_mmap(struct process *p, u64 start, u64 length, const u64 *page_pa,
		 bool writable)
{
	return process_mmap_fn(p, start, length, pa_from_list, page_pa,
			       writable);
}

static u64 pa_contig(u64 i, const void *priv)
{
	return *(const u64 *)priv + i * PROCESS_PAGE_SIZE;
}

int process_mmap_contig(struct process *p, u64 start, u64 length, u64 pa,
			bool writable)
{
	return process_mmap_fn(p, start, length, pa_contig, &pa, writable);
}

/* page @i of the memfd @priv, a hole filled (its budget checked) */
static u64 file_page(u64 i, const void *priv)
{
	int err = 0;

	return shmem_page_get((struct file *)priv, i, &err);
}

/*
 * mmap(MAP_SHARED) of a file at offset 0 (shmem_mmap() for a memfd): the
 * VMA's pages are the file's own, so its VA and the file's IOAS mapping
 * (IOMMU_IOAS_MAP_FILE) are one memory, as shmem's page cache makes them.
 * The VMA takes the pages the file has: a length past its last page is
 * -EINVAL here (the kernel maps it and the first touch past EOF is
 * SIGBUS, which a fault-in would take; an event queue's file has none);
 * pages the file grows later are not seen. A file with pages but no mmap
 * -ENODEV, as do_mmap() answers one without f_op->mmap.
 */
int process_mmap_file(struct process *p, u64 start, u64 length, int fd,
		      bool writable)
{
	struct file *f = process_file_at(p, fd);
	u64 pages;

	if (!f)
		return -EBADF;
	pages = (f->size + PROCESS_PAGE_SIZE - 1) / PROCESS_PAGE_SIZE;
	if (length > pages * PROCESS_PAGE_SIZE)
		return -EINVAL;
	if (!f->shmem)
		return -ENODEV;
	/* a hole in it gets its page now (shmem_fault() would at the first
	 * touch): the mapping's records and the holes' fit, or -ENOMEM */
	return mmap_charged(p, start, length,
			    shmem_holes(f, length / PROCESS_PAGE_SIZE) *
				    sizeof(u64),
			    file_page, f, writable);
}

int process_munmap(struct process *p, u64 start)
{
	unsigned int i = vma_index(p, start);
	struct vma *v;

	if (i == p->vmas->len)
		return -EINVAL;
	v = p->vmas->pdata[i];
	if (v->start != start)
		return -EINVAL;
	g_ptr_array_remove_index(p->vmas, i);
	vma_free(p, v);
	return 0;
}

int process_set_pfnmap(struct process *p, u64 start)
{
	unsigned int i = vma_index(p, start);
	struct vma *v = i < p->vmas->len ? p->vmas->pdata[i] : NULL;

	if (!v || v->start != start)
		return -EINVAL;
	v->pfnmap = true;
	return 0;
}

/* The VMA holding @va, NULL when none does. */
static const struct vma *vma_find(const struct process *p, u64 va)
{
	unsigned int i = vma_index(p, va);
	const struct vma *v;

	if (i == p->vmas->len)
		return NULL;
	v = p->vmas->pdata[i];
	return va < v->start ? NULL : v;
}

/* The VMA holding @va, faulted in (handle_mm_fault()) when none has it */
static const struct vma *vma_fault_in(struct process *p, u64 va)
{
	const struct vma *v = vma_find(p, va);

	if (!v && p->fault && !p->fault(p, va, p->hook_data))
		v = vma_find(p, va);
	return v;
}

bool process_va_is_pfnmap(struct process *p, u64 va)
{
	const struct vma *v = vma_fault_in(p, va);

	return v && v->pfnmap;
}

u64 process_gup_va_to_pa(struct process *p, u64 va, bool *writable)
{
	return process_va_is_pfnmap(p, va) ? 0
					   : process_va_to_pa(p, va, writable);
}

u64 process_va_to_pa(struct process *p, u64 va, bool *writable)
{
	const struct vma *v = vma_fault_in(p, va);

	if (!v)
		return 0;
	if (writable)
		*writable = v->writable;
	return v->page_pa[(va - v->start) / PROCESS_PAGE_SIZE] +
	       (va & (PROCESS_PAGE_SIZE - 1));
}

/* The part [start, end) of @v as a VMA of its own. */
static struct vma *vma_slice(struct process *p, const struct vma *v, u64 start,
			     u64 end)
{
	struct vma *s = vma_new(p, start, end - start, v->writable);

	s->pfnmap = v->pfnmap;

	memcpy(s->page_pa, v->page_pa + (start - v->start) / PROCESS_PAGE_SIZE,
	       vma_cost(s));
	return s;
}

int process_munmap_range(struct process *p, u64 start, u64 length)
{
	u64 end = start + length;
	unsigned int i = vma_index(p, start);

	if (!length || !page_aligned(start) || !page_aligned(length) ||
	    end < start)
		return -EINVAL;
	while (i < p->vmas->len) {
		struct vma *v = p->vmas->pdata[i];
		u64 v_end = v->start + v->length;

		if (v->start >= end)
			break;
		g_ptr_array_remove_index(p->vmas, i);
		/* __split_vma(): what lies outside the range stays */
		if (v->start < start)
			g_ptr_array_insert(p->vmas, i++,
					   vma_slice(p, v, v->start, start));
		if (v_end > end)
			g_ptr_array_insert(p->vmas, i++,
					   vma_slice(p, v, end, v_end));
		vma_free(p, v);
	}
	return 0;
}

/* @f in the table at @fd (the slot is free) */
static void fd_install_at(struct process *p, int fd, struct file *f)
{
	while (p->files->len <= (unsigned int)fd)
		g_ptr_array_add(p->files, NULL);
	p->files->pdata[fd] = f;
}

int process_fd_install(struct process *p, struct file *f)
{
	int fd = 3;

	if (p->fd_alloc) {
		fd = p->fd_alloc(p, p->hook_data);
		if (fd < 0)
			return fd;
	} else {
		/* the lowest free fd, as alloc_fd() picks; 0-2 are stdio */
		while ((unsigned int)fd < p->files->len && p->files->pdata[fd])
			fd++;
	}
	fd_install_at(p, fd, f);
	return fd;
}

int process_memfd_create_fn(struct process *p, u64 size,
			    u64 (*pa_of)(u64 i, const void *priv),
			    const void *priv)
{
	u64 n = (size + PROCESS_PAGE_SIZE - 1) / PROCESS_PAGE_SIZE;
	struct file *f;

	/* shmem's pages cannot be had: -ENOMEM, nothing installed */
	if (p->budget && !physmem_may_charge(p->budget, n * sizeof(u64)))
		return -ENOMEM;
	f = g_new0(struct file, 1);
	f->refs = 1;
	f->shmem = true;
	f->size = size;
	f->pages =
		g_array_sized_new(FALSE, FALSE, sizeof(struct shmem_page), n);
	for (u64 i = 0; i < n; i++) {
		struct shmem_page pg = { i, pa_of(i, priv) };

		g_array_append_val(f->pages, pg);
	}
	if (p->budget) {
		f->budget = p->budget;
		f->budget_bytes = n * sizeof(u64);
		physmem_charge(f->budget, f->budget_bytes);
	}
	return process_fd_install(p, f);
}

int process_memfd_create(struct process *p, u64 size, const u64 *page_pa)
{
	return process_memfd_create_fn(p, size, pa_from_list, page_pa);
}

struct file *anon_inode_getfile(const char *name, void (*release)(void *),
				void *priv)
{
	struct file *f = g_new0(struct file, 1);

	f->refs = 1;
	f->name = name;
	f->release = release;
	f->private_data = priv;
	return f;
}

struct file *process_file_at(struct process *p, int fd)
{
	if (fd < 0 || (unsigned int)fd >= p->files->len)
		return NULL;
	return p->files->pdata[fd];
}

ssize_t process_file_rw(struct process *p, int fd, u64 ubuf, u64 count,
			bool write)
{
	struct file *f = process_file_at(p, fd);
	ssize_t (*op)(void *, struct process *, u64, u64);
	ssize_t ret;

	if (!f)
		return -EBADF;
	if (f->shmem && f->budget) { /* a memfd with modelled contents */
		f->refs++;
		ret = write ? shmem_file_write(f, p, ubuf, count)
			    : shmem_file_read(f, p, ubuf, count);
		fput(f);
		return ret;
	}
	op = write ? f->write : f->read;
	if (!op) /* no FMODE_CAN_READ / FMODE_CAN_WRITE */
		return -EINVAL;
	f->refs++; /* fdget() for the call */
	ret = op(f->private_data, p, ubuf, count);
	fput(f);
	return ret;
}

ssize_t process_file_prw(struct process *p, int fd, u64 ubuf, u64 count,
			 u64 pos, bool write)
{
	struct file *f = process_file_at(p, fd);
	u64 saved;
	ssize_t ret;

	if (!f)
		return -EBADF;
	if (!f->shmem) /* alloc_file_pseudo(): no FMODE_PREAD/PWRITE */
		return -ESPIPE;
	saved = f->pos;
	f->pos = pos;
	ret = process_file_rw(p, fd, ubuf, count, write);
	f->pos = saved;
	return ret;
}

struct file *fget(struct process *p, int fd)
{
	struct file *f = NULL;

	if (fd < 0)
		return NULL;
	if ((unsigned int)fd < p->files->len)
		f = p->files->pdata[fd];
	if (!f && p->fd_lookup) {
		f = p->fd_lookup(p, fd, p->hook_data);
		if (f)
			fd_install_at(p, fd, f);
	}
	if (f)
		f->refs++;
	return f;
}

int process_close_fd(struct process *p, int fd)
{
	struct file *f = fget(p, fd);

	if (!f)
		return -EBADF;
	fput(f);
	p->files->pdata[fd] = NULL;
	fput(f);
	return 0;
}

void process_fd_remove(struct process *p, int fd, struct file *f)
{
	if (process_file_at(p, fd) != f)
		return;
	p->files->pdata[fd] = NULL;
	fput(f);
}

/*
 * A scenario's process (no accessor; p->budget is the modelled physmem)
 * whose VMA holds @va: its pages' contents are the physmem's at their PAs
 * (a user_buffer a copy_to_user() lands in: IOMMU_TEST_OP_ACCESS_RW's
 * uptr). Returns 1 when @va is no VMA's (the caller's own pointer), else
 * 0 or -EFAULT (a page past the VMAs, a write to a read-only one).
 */
static int vma_copy(struct process *p, u64 va, void *buf, u64 len, bool write)
{
	if (!p || p->access_vm || !p->budget || !vma_find(p, va))
		return 1;
	while (len) {
		const struct vma *v = vma_find(p, va);
		u64 off = va & (PROCESS_PAGE_SIZE - 1);
		u64 n = MIN(len, PROCESS_PAGE_SIZE - off);
		u64 pa;

		if (!v || v->pfnmap || (write && !v->writable))
			return -EFAULT;
		pa = v->page_pa[(va - v->start) / PROCESS_PAGE_SIZE] + off;
		if (write ? physmem_write(p->budget, pa, buf, n)
			  : physmem_read(p->budget, pa, buf, n))
			return -EFAULT;
		buf = (u8 *)buf + n;
		va += n;
		len -= n;
	}
	return 0;
}

/* A user pointer is the host's own (the runner's scratch for a uapi
 * struct's pointers) unless a VMA of a scenario's process holds it, or
 * the process's memory has an accessor (a preload shim's process,
 * possibly another one than the caller's: its pointers are not this
 * address space's). */
int process_copy_from_user(struct process *p, void *dst, u64 uptr, u64 len)
{
	int rc;

	if (!len)
		return 0;
	if (!uptr)
		return -EFAULT;
	if (p && p->access_vm)
		return p->access_vm(p, uptr, dst, len, false, p->hook_data);
	rc = vma_copy(p, uptr, dst, len, false);
	if (rc <= 0)
		return rc;
	memcpy(dst, (const void *)(uintptr_t)uptr, len);
	return 0;
}

int process_clear_user(struct process *p, u64 uptr, u64 len)
{
	if (!len)
		return 0;
	if (!uptr)
		return -EFAULT;
	if (p && p->access_vm) {
		g_autofree void *zero = g_malloc0(len);

		return p->access_vm(p, uptr, zero, len, true, p->hook_data);
	}
	memset((void *)(uintptr_t)uptr, 0, len);
	return 0;
}

int process_copy_to_user(struct process *p, u64 uptr, const void *src, u64 len)
{
	int rc;

	if (!len)
		return 0;
	if (!uptr)
		return -EFAULT;
	if (p && p->access_vm)
		return p->access_vm(p, uptr, (void *)src, len, true,
				    p->hook_data);
	rc = vma_copy(p, uptr, (void *)src, len, true);
	if (rc <= 0)
		return rc;
	memcpy((void *)(uintptr_t)uptr, src, len);
	return 0;
}

int process_access_vm(struct process *p, u64 va, void *buf, u64 len, bool write)
{
	return p->access_vm(p, va, buf, len, write, p->hook_data);
}
