// SPDX-License-Identifier: MIT
/*
 * process.c - the calling process of process.h: capabilities, memlock
 * limit and counters, VMAs with a chosen physical layout, memfds.
 */
#include <string.h>

#include "iommufd/process.h"
#include "core/kerrno.h"

#define ROOT_CAPS                                                              \
	(CAP_BIT(CAP_IPC_LOCK) | CAP_BIT(CAP_SYS_RAWIO) |                      \
	 CAP_BIT(CAP_SYS_RESOURCE) | CAP_BIT(CAP_SYS_ADMIN))

struct process *process_new(void)
{
	struct process *p = g_new0(struct process, 1);

	p->refs = 1;
	p->caps = ROOT_CAPS;
	p->rlimit_memlock = RLIM_INFINITY;
	p->user = g_new0(struct user_struct, 1);
	p->user->refs = 1;
	p->vmas = g_ptr_array_new();
	p->files = g_ptr_array_new();
	return p;
}

struct process *process_copy(const struct process *p)
{
	struct process *n;

	if (p->refs != 1 || p->vmas->len || p->files->len || p->fault ||
	    p->fd_alloc || p->fd_lookup || p->access_vm || p->user->refs != 1)
		return NULL;
	n = process_new();
	n->caps = p->caps;
	n->rlimit_memlock = p->rlimit_memlock;
	n->pinned_vm = p->pinned_vm;
	n->mm_locked_vm = p->mm_locked_vm;
	n->user->locked_vm = p->user->locked_vm;
	return n;
}

bool process_is_new(const struct process *p)
{
	return p->caps == ROOT_CAPS && p->rlimit_memlock == RLIM_INFINITY &&
	       !p->pinned_vm && !p->mm_locked_vm && !p->user->locked_vm &&
	       !p->vmas->len && !p->files->len;
}

/* dup_mmap(): the VMA again, each page's PA the child's copy */
static struct vma *vma_fork(const struct vma *v,
			    u64 (*copy_pa)(u64 pa, void *data), void *data)
{
	struct vma *c = g_new0(struct vma, 1);
	u64 n = v->length / PROCESS_PAGE_SIZE;

	*c = *v;
	c->page_pa = g_new(u64, n);
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
	for (unsigned int i = 0; i < parent->vmas->len; i++)
		g_ptr_array_add(c->vmas, vma_fork(parent->vmas->pdata[i],
						  copy_pa, data));
	for (unsigned int fd = 0; fd < parent->files->len; fd++) {
		struct file *f = parent->files->pdata[fd];

		if (f)
			f->refs++;
		g_ptr_array_add(c->files, f);
	}
	return c;
}

static void vma_free(struct vma *v)
{
	g_free(v->page_pa);
	g_free(v);
}

void fput(struct file *f)
{
	if (!f || --f->refs)
		return;
	if (f->release)
		f->release(f->private_data);
	g_free(f->page_pa);
	g_free(f);
}

/* exit(): the files close first (exit_files()), whoever still holds the
 * mm (mmgrab() by iopt_pages) */
static void vmas_free(struct process *p)
{
	for (unsigned int i = 0; i < p->vmas->len; i++)
		vma_free(p->vmas->pdata[i]);
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
	vmas_free(p);
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
	g_ptr_array_free(p->vmas, TRUE);
	g_ptr_array_free(p->files, TRUE);
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

int process_mmap(struct process *p, u64 start, u64 length, const u64 *page_pa,
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
	v = g_new0(struct vma, 1);
	v->start = start;
	v->length = length;
	v->writable = writable;
	v->page_pa =
		g_memdup2(page_pa, length / PROCESS_PAGE_SIZE * sizeof(u64));
	g_ptr_array_insert(p->vmas, i, v);
	return 0;
}

int process_mmap_contig(struct process *p, u64 start, u64 length, u64 pa,
			bool writable)
{
	u64 n = length / PROCESS_PAGE_SIZE;
	u64 *pas = g_new(u64, n ? n : 1);
	int ret;

	for (u64 i = 0; i < n; i++)
		pas[i] = pa + i * PROCESS_PAGE_SIZE;
	ret = process_mmap(p, start, length, pas, writable);
	g_free(pas);
	return ret;
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
	vma_free(v);
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

u64 process_va_to_pa(struct process *p, u64 va, bool *writable)
{
	const struct vma *v = vma_find(p, va);

	/* get_user_pages() faults the page in when no VMA has it yet */
	if (!v && p->fault && !p->fault(p, va, p->hook_data))
		v = vma_find(p, va);
	if (!v)
		return 0;
	if (writable)
		*writable = v->writable;
	return v->page_pa[(va - v->start) / PROCESS_PAGE_SIZE] +
	       (va & (PROCESS_PAGE_SIZE - 1));
}

/* The part [start, end) of @v as a VMA of its own. */
static struct vma *vma_slice(const struct vma *v, u64 start, u64 end)
{
	struct vma *s = g_new0(struct vma, 1);

	s->start = start;
	s->length = end - start;
	s->writable = v->writable;
	s->page_pa =
		g_memdup2(v->page_pa + (start - v->start) / PROCESS_PAGE_SIZE,
			  s->length / PROCESS_PAGE_SIZE * sizeof(u64));
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
					   vma_slice(v, v->start, start));
		if (v_end > end)
			g_ptr_array_insert(p->vmas, i++,
					   vma_slice(v, end, v_end));
		vma_free(v);
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

int process_memfd_create(struct process *p, u64 size, const u64 *page_pa)
{
	struct file *f = g_new0(struct file, 1);
	u64 n = (size + PROCESS_PAGE_SIZE - 1) / PROCESS_PAGE_SIZE;

	f->refs = 1;
	f->shmem = true;
	f->size = size;
	f->page_pa = g_memdup2(page_pa, n * sizeof(u64));
	return process_fd_install(p, f);
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

int process_copy_from_user(struct process *p, void *dst, u64 uptr, u64 len)
{
	if (!len)
		return 0;
	if (!uptr)
		return -EFAULT;
	memcpy(dst, (const void *)(uintptr_t)uptr, len);
	return 0;
}

int process_copy_to_user(struct process *p, u64 uptr, const void *src, u64 len)
{
	if (!len)
		return 0;
	if (!uptr)
		return -EFAULT;
	memcpy((void *)(uintptr_t)uptr, src, len);
	return 0;
}

int process_access_vm(struct process *p, u64 va, void *buf, u64 len, bool write)
{
	return p->access_vm(p, va, buf, len, write, p->hook_data);
}
